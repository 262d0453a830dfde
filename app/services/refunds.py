"""Refunds: quote by the rule of ``app.rules.refund`` and execute as ledger entries.

The quote uses the contract's own numbers: paid ÷ bought units as the effective price (gifts and
discounts are not re-priced), consumed = the charged attendance on the contract, and the contract's
full-refund window. Executing books a ``refund`` entry that removes every unit left (refunded paid units
plus forfeited gifts) and the money paid back, then closes the contract as 'refunded'. Rounding and the
full-refund window can make the money paid back differ from the money left on the package; that
difference is booked as a closing ``adjust`` entry, so a refunded contract always balances to zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce, update
from sqlalchemy.orm import Session

from app.clock import local_today
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.rules.refund import RefundQuote, RefundTerms, compute_refund
from app.services.ledger import book
from app.services.lookups import get_live
from app.services.parsing import require_choice
from localdb import codes
from localdb.balances import contract_balance
from localdb.codes import ContractStatus
from localdb.models import Attendance, Contract, KlassMember, Refund
from localdb.types import units_from_x100

MESSAGES: dict[str, str] = {
    "refund.already_refunded": "该合同已退费，不能重复退费",
    "refund.not_active": "合同状态为“{status}”，不能退费",
    "refund.pay_after": "合同{contract_no}为先学后付合同，没有预收费用，不适用退费；有异议的课可冲正",
    "refund.duplicate_request": "平台退费申请{request_id}已处理",
    "refund.nothing_to_refund": "该合同已没有可退的课时或金额",
    "refund.closing": "退费结清",
    "refund.reason_required": "请填写退费原因",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    contract_id: str
    units: Decimal
    forfeited_units: Decimal
    amount_fen: int
    basis: str
    full_refund: bool
    ledger_entry_ids: tuple[str, ...]


def _terms(session: Session, contract: Contract, request_date: date) -> RefundTerms:
    consumed = session.scalar(
        select(func.coalesce(func.sum(type_coerce(Attendance.__table__.c.units_x100, Integer)), 0)).where(
            Attendance.contract_id == contract.id, Attendance.charged.is_(True)
        )
    )
    refunded = session.scalar(
        select(func.coalesce(func.sum(Refund.amount_fen), 0)).where(Refund.contract_id == contract.id)
    )
    return RefundTerms(
        fee_fen=contract.fee_fen,
        bought_units=contract.total_units,
        gift_units=contract.gift_units,
        consumed_units=units_from_x100(int(consumed or 0)),
        start_date=contract.start_date,
        request_date=request_date,
        full_refund_days_before_start=contract.full_refund_days_before_start,
        full_refund_days_after_start=contract.full_refund_days_after_start,
        full_refund_units_after_start=contract.full_refund_units_after_start,
        already_refunded_fen=int(refunded or 0),
    )


def _refundable(session: Session, contract_id: str) -> Contract:
    contract = get_live(session, Contract, contract_id)
    if contract.status == ContractStatus.REFUNDED:
        raise RuleViolation("refund.already_refunded")
    if contract.status != ContractStatus.ACTIVE:
        raise RuleViolation("refund.not_active", status=contract.status)
    if contract.billing == codes.Billing.PAY_AFTER:
        # nothing was prepaid: a 先学后付 family pays lessons already held (docs/pay_after.md)
        raise RuleViolation("refund.pay_after", contract_no=contract.contract_no)
    return contract


def quote_refund(
    db: Database, actor: Actor, contract_id: str, request_date: date | None = None
) -> RefundQuote:
    """What a refund requested on ``request_date`` (default today) would pay back, and why.

    The front desk may ask (it tells the parent); carrying the refund out needs ``Permission.REFUND``.
    """
    if not actor.may(Permission.ENROLL):
        require(actor, Permission.REFUND)
    with db.reading() as session:
        contract = _refundable(session, contract_id)
        return compute_refund(_terms(session, contract, request_date or local_today()))


def execute_refund(
    db: Database,
    actor: Actor,
    contract_id: str,
    reason: str,
    source: str = "desk",
    platform_request_id: str | None = None,
    request_date: date | None = None,
    requested_by: str | None = None,
) -> RefundResult:
    """Refund a contract once: refund row, ledger entries, contract 'refunded', student leaves the class.

    The desk and the platform-request path both come here. ``requested_by`` is the desk user who
    prepared a refund that ``actor`` (a manager) approved; the audit entry keeps both.
    """
    require(actor, Permission.REFUND)
    require_choice("source", source, codes.REFUND_SOURCES)
    if not (reason or "").strip():
        raise ValidationError("refund.reason_required")
    reason = reason.strip()
    day = request_date or local_today()
    with db.transaction() as session:
        contract = _refundable(session, contract_id)
        if platform_request_id and session.scalar(
            select(Refund.id).where(Refund.platform_request_id == platform_request_id)
        ):
            raise RuleViolation("refund.duplicate_request", request_id=platform_request_id)
        quote = compute_refund(_terms(session, contract, day))
        left = contract_balance(session, contract_id)
        units_out = max(left.units_left, Decimal(0))
        if quote.amount_fen == 0 and units_out == 0:
            raise RuleViolation("refund.nothing_to_refund")
        refund = Refund(
            contract_id=contract.id,
            student_id=contract.student_id,
            units=quote.units,
            amount_fen=quote.amount_fen,
            reason=reason,
            source=source,
            platform_request_id=platform_request_id,
            created_by=actor.username,
        )
        session.add(refund)
        entries = [
            book(session, actor, contract, "refund", -units_out, -quote.amount_fen, reason, check=False)
        ]
        rest_units, rest_fen = left.units_left - units_out, left.fen_left - quote.amount_fen
        if rest_units or rest_fen:
            closing = InstDeskError.messages["refund.closing"]
            entries.append(
                book(session, actor, contract, "adjust", -rest_units, -rest_fen, closing, check=False)
            )
        contract.status = ContractStatus.REFUNDED
        session.execute(
            update(KlassMember)
            .where(KlassMember.contract_id == contract.id, KlassMember.left_on.is_(None))
            .values(left_on=day)
        )
        session.flush()
        audit(
            session,
            actor,
            "refund.execute",
            "contract",
            contract.id,
            amount_fen=quote.amount_fen,
            units=str(quote.units),
            basis=quote.basis,
            source=source,
            requested_by=requested_by or actor.username,
        )
        return RefundResult(
            refund.id,
            contract.id,
            quote.units,
            quote.forfeited_units,
            quote.amount_fen,
            quote.basis,
            quote.full_refund,
            tuple(e.id for e in entries),
        )
