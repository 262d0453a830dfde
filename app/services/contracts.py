"""What happens to a contract between signing and its end, besides lessons and refunds: 转班 (the
student moves to another class of the same course) and 停课/复课 (the contract is paused and resumed).

Ledger effects: none on units or money. A transfer keeps the same course, hence the same package and
price, so the balance carries over untouched; the contract points at the new class and the seat in the
old class is given up (``left_on`` today) for one in the new (capacity checked). A pause gives up the
seat too, so no roll call charges the paused contract; the contract stays 'active' with its balance. On
resume the student takes a seat again (in the contract's class, or another of the course) and the
contract's end date moves by the days it was paused, so the pause never eats into the period the parent
paid for. A paused contract is one whose last seat was given up without a refund: the seat rows (synced
as ``klass_member``) are the record, so no new column or status is needed (docs/domain.md, 转班, 停课,
复课).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import local_today
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation
from app.permissions import Actor, Permission, require
from app.services.classes import join_class
from app.services.lookups import get_live
from localdb.codes import ContractStatus
from localdb.models import Contract, Course, Klass, KlassMember

MESSAGES: dict[str, str] = {
    "contract.not_active": "合同状态为“{status_label}”，不能办理",
    "contract.paused": "合同已停课，请先复课",
    "contract.not_paused": "合同未停课",
    "contract.no_class": "合同没有所在班级",
    "transfer.same_class": "学员已在该班级",
    "transfer.other_course": "只能转到同一课程的班级（该班级属于“{course}”）",
    "transfer.class_ended": "该班级已于{end}结课",
}
InstDeskError.register(MESSAGES)

_STATUS_LABELS = {"active": "在读", "closed": "结束", "refunded": "已退费"}


@dataclass(frozen=True)
class ContractMove:
    """The contract after a transfer, pause or resume."""

    contract_id: str
    klass_id: str | None
    paused: bool
    end_date: date | None
    paused_since: date | None = None


def _seats(session: Session, contract: Contract) -> list[KlassMember]:
    """The contract's seats, newest last."""
    return list(
        session.scalars(
            select(KlassMember)
            .where(KlassMember.contract_id == contract.id, KlassMember.deleted_at.is_(None))
            .order_by(KlassMember.joined_on, KlassMember.created_at)
        )
    )


def _live_seat(seats: list[KlassMember]) -> KlassMember | None:
    return next((seat for seat in reversed(seats) if seat.left_on is None), None)


def paused_since(session: Session, contract: Contract) -> date | None:
    """The day an active contract was paused, or ``None`` when it holds a seat (or never had one)."""
    if contract.status != ContractStatus.ACTIVE:
        return None
    seats = _seats(session, contract)
    if not seats or _live_seat(seats) is not None:
        return None
    return max(seat.left_on for seat in seats if seat.left_on is not None)


def _active(session: Session, contract_id: str) -> Contract:
    contract = get_live(session, Contract, contract_id)
    if contract.status != ContractStatus.ACTIVE:
        raise RuleViolation(
            "contract.not_active", status=contract.status, status_label=_STATUS_LABELS[contract.status]
        )
    return contract


def _target_class(session: Session, contract: Contract, klass_id: str, today: date) -> Klass:
    klass = get_live(session, Klass, klass_id)
    if klass.course_id != contract.course_id:
        course = get_live(session, Course, klass.course_id)
        raise RuleViolation("transfer.other_course", course=course.name)
    if klass.end_date is not None and klass.end_date < today:
        raise RuleViolation("transfer.class_ended", end=klass.end_date.isoformat())
    return klass


def _moved(contract: Contract, paused: bool, since: date | None = None) -> ContractMove:
    return ContractMove(contract.id, contract.klass_id, paused, contract.end_date, since)


def transfer_class(db: Database, actor: Actor, contract_id: str, klass_id: str) -> ContractMove:
    """转班: move the contract's student to ``klass_id`` (same course); the balance carries over."""
    require(actor, Permission.ENROLL)
    today = local_today()
    with db.transaction() as session:
        contract = _active(session, contract_id)
        seats = _seats(session, contract)
        if seats and _live_seat(seats) is None:
            raise RuleViolation("contract.paused")
        klass = _target_class(session, contract, klass_id, today)
        seat = _live_seat(seats)
        if klass.id == contract.klass_id or (seat is not None and seat.klass_id == klass.id):
            raise RuleViolation("transfer.same_class")
        join_class(session, actor, klass, contract.student_id, contract.id, strict=True)
        if seat is not None:
            seat.left_on = today
        previous, contract.klass_id = contract.klass_id, klass.id
        session.flush()
        audit(
            session,
            actor,
            "contract.transfer",
            "contract",
            contract.id,
            from_klass=previous,
            to_klass=klass.id,
        )
        return _moved(contract, False)


def pause_contract(db: Database, actor: Actor, contract_id: str, reason: str = "") -> ContractMove:
    """停课: the student gives up the seat from today; nothing is charged until the contract resumes."""
    require(actor, Permission.ENROLL)
    today = local_today()
    with db.transaction() as session:
        contract = _active(session, contract_id)
        seat = _live_seat(_seats(session, contract))
        if seat is None:
            raise RuleViolation("contract.paused" if _seats(session, contract) else "contract.no_class")
        seat.left_on = today
        session.flush()
        audit(session, actor, "contract.pause", "contract", contract.id, reason=reason.strip() or None)
        return _moved(contract, True, today)


def resume_contract(
    db: Database, actor: Actor, contract_id: str, klass_id: str | None = None
) -> ContractMove:
    """复课: a seat again (the contract's class unless another of the course is given, capacity checked),
    and the end date moved by the days the contract was paused."""
    require(actor, Permission.ENROLL)
    today = local_today()
    with db.transaction() as session:
        contract = _active(session, contract_id)
        since = paused_since(session, contract)
        if since is None:
            raise RuleViolation("contract.not_paused")
        target = klass_id or contract.klass_id or _seats(session, contract)[-1].klass_id
        klass = _target_class(session, contract, target, today)
        join_class(session, actor, klass, contract.student_id, contract.id, strict=True)
        days = max((today - since).days, 0)
        if contract.end_date is not None and days:
            contract.end_date = contract.end_date + timedelta(days=days)
        contract.klass_id = klass.id
        session.flush()
        audit(session, actor, "contract.resume", "contract", contract.id, klass_id=klass.id, paused_days=days)
        return _moved(contract, False)
