"""Enrollment: sign a contract (GF—2021—2604) and take its one payment, as one transaction.

One charge = one payment for one course (no stored value). The charge limits come from the policy
profile via ``check_charge``: units, months, amount, how early, and a renewal only while at most 20 课时
remain in the subject. Our decision on the units cap: it applies to the *bought* (charged) units; gift
units are free and not a charge, so they do not count (they do count as remaining units for the renewal
rule, because they are lessons the student still has). Contract and receipt numbers are allocated inside
the same transaction, so a refused or failed enrollment consumes no number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import local_today
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation
from app.money import require_fen
from app.permissions import Actor, Permission, require
from app.rules.charge import ChargeRequest, charge_violations
from app.rules.child import child_violations
from app.rules.violation import Violation, raise_violations
from app.services.classes import as_child, join_class
from app.services.lookups import display_name, get_live, institution, load_policy
from app.services.parsing import require_choice, require_units
from app.services.sequences import desk_code, next_number
from localdb import codes
from localdb.balances import students_balances
from localdb.codes import ContractStatus
from localdb.models import Contract, Course, Klass, LedgerEntry, Payment, Student

MESSAGES: dict[str, str] = {
    "enroll.class_course_mismatch": "所选班级不属于该课程",
    "enroll.pay_after_learning": "该课程为先学后付课程，不预收费用",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class EnrollmentRequest:
    """What the front desk fills in when signing up a student for one course.

    ``units`` are the bought 课时 (the fee pays for them); ``gift_units`` are free on top. The full-refund
    window fields are the contract's own terms (``None`` = not agreed). ``charge_date`` defaults to today.
    """

    student_id: str
    course_id: str
    units: Decimal
    fee_fen: int
    start_date: date
    end_date: date
    method: str
    klass_id: str | None = None
    gift_units: Decimal = Decimal(0)
    charge_date: date | None = None
    adviser: str | None = None
    schedule_text: str | None = None
    named_teacher: bool = False
    min_class_size: int | None = None
    full_refund_days_before_start: int | None = None
    full_refund_days_after_start: int | None = None
    full_refund_units_after_start: Decimal | None = None
    stored_value: bool = False
    note: str | None = None


@dataclass(frozen=True)
class ChargeCheck:
    """The cap checks shown before signing: every violated rule and the remaining units in the subject."""

    violations: tuple[Violation, ...]
    remaining_units_same_subject: Decimal

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class EnrollmentResult:
    contract_id: str
    contract_no: str
    payment_id: str
    receipt_no: str
    ledger_entry_ids: tuple[str, ...]
    klass_member_id: str | None
    units: Decimal
    gift_units: Decimal
    fee_fen: int


def remaining_in_subject(
    session: Session, student_id: str, course: Course, on: date | None = None
) -> Decimal:
    """Units the student still has in active contracts of courses with the same subject (or course).

    Contracts that have ended before ``on`` (the new contract's start) are left out: their units can no
    longer be used for lessons (see ``rollcall.contract_expired``), so they do not make a renewal early.
    """
    if course.subject:
        same = select(Course.id).where(Course.subject == course.subject, Course.category == course.category)
        course_ids = {str(c) for c in session.scalars(same)}
    else:
        course_ids = {course.id}
    contracts = students_balances(session, [student_id])[student_id]
    ended: set[str] = set()
    if on is not None:
        query = select(Contract.id).where(Contract.student_id == student_id, Contract.end_date < on)
        ended = {str(c) for c in session.scalars(query)}
    return sum(
        (
            max(Decimal(0), c.units_left)
            for c in contracts
            if c.status == ContractStatus.ACTIVE and c.course_id in course_ids and c.contract_id not in ended
        ),
        Decimal(0),
    )


def _charge_check(
    session: Session, request: EnrollmentRequest, student: Student, course: Course
) -> ChargeCheck:
    require_units(request.units)
    require_units(request.gift_units)
    require_fen(request.fee_fen, field="收费金额")
    remaining = remaining_in_subject(session, request.student_id, course, request.start_date)
    charge = ChargeRequest(
        units=request.units,
        fee_fen=request.fee_fen,
        start_date=request.start_date,
        end_date=request.end_date,
        charge_date=request.charge_date or local_today(),
        remaining_units_same_subject=remaining,
        stored_value=request.stored_value,
    )
    child = child_violations(as_child(student), request.start_date, course.category, course.delivery)
    return ChargeCheck((*child, *charge_violations(charge, load_policy(session))), remaining)


def _load(session: Session, request: EnrollmentRequest) -> tuple[Student, Course, Klass | None]:
    student = get_live(session, Student, request.student_id)
    course = get_live(session, Course, request.course_id)
    if course.pay_after_learning:
        raise RuleViolation("enroll.pay_after_learning")
    klass = get_live(session, Klass, request.klass_id) if request.klass_id else None
    if klass is not None and klass.course_id != course.id:
        raise RuleViolation("enroll.class_course_mismatch")
    require_choice("method", request.method, codes.PAYMENT_METHODS)
    return student, course, klass


def quote_enrollment(db: Database, actor: Actor, request: EnrollmentRequest) -> ChargeCheck:
    """The charge checks for a proposed enrollment, without writing anything."""
    require(actor, Permission.ENROLL)
    with db.reading() as session:
        student, course, _ = _load(session, request)
        return _charge_check(session, request, student, course)


def _previous_contract(session: Session, student_id: str, course_id: str) -> str | None:
    query = (
        select(Contract.id)
        .where(
            Contract.student_id == student_id,
            Contract.course_id == course_id,
            Contract.status == ContractStatus.ACTIVE,
        )
        .order_by(Contract.signed_at.desc(), Contract.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def contract_for(
    session: Session, actor: Actor, request: EnrollmentRequest, course: Course, number: str
) -> Contract:
    """The contract row a request signs (not added to the session; the draft contract prints it too).

    Terms the request leaves open take the institution's defaults: the full-refund window from its
    profile, the adviser (课程顾问/经办人) is the signed-in user, the minimum class size is the class's.
    """
    inst = institution(session)
    klass = session.get(Klass, request.klass_id) if request.klass_id else None
    before = request.full_refund_days_before_start
    after = request.full_refund_days_after_start
    return Contract(
        contract_no=number,
        student_id=request.student_id,
        course_id=course.id,
        klass_id=request.klass_id,
        service_category=f"{course.delivery}_{course.category}",
        adviser=request.adviser or display_name(session, actor.user_id) or actor.username,
        total_units=request.units,
        gift_units=request.gift_units,
        units_per_session=course.units_per_lesson,
        schedule_text=request.schedule_text,
        start_date=request.start_date,
        end_date=request.end_date,
        class_format=course.class_format,
        min_class_size=request.min_class_size or (klass.min_size if klass and klass.min_size else None),
        named_teacher=request.named_teacher,
        fee_fen=request.fee_fen,
        supervision_mode=inst.supervision_mode,
        full_refund_days_before_start=inst.refund_days_before_start if before is None else before,
        full_refund_days_after_start=inst.refund_days_after_start if after is None else after,
        full_refund_units_after_start=request.full_refund_units_after_start,
        status=ContractStatus.ACTIVE,
        origin="desk",
        desk_code=desk_code(session),
        renews_contract_id=_previous_contract(session, request.student_id, course.id),
        note=request.note,
    )


def _ledger(session: Session, actor: Actor, contract: Contract) -> tuple[str, ...]:
    entries = [LedgerEntry(kind="purchase", units=contract.total_units, amount_fen=contract.fee_fen)]
    if contract.gift_units > 0:
        entries.append(LedgerEntry(kind="gift", units=contract.gift_units, amount_fen=0))
    for entry in entries:
        entry.contract_id = contract.id
        entry.student_id = contract.student_id
        entry.course_id = contract.course_id
        entry.created_by = actor.username
        entry.reason = contract.contract_no
    session.add_all(entries)
    session.flush()
    return tuple(e.id for e in entries)


def enroll(db: Database, actor: Actor, request: EnrollmentRequest) -> EnrollmentResult:
    """Sign, charge, book the ledger and seat the student, or refuse with every violated rule."""
    require(actor, Permission.ENROLL)
    require(actor, Permission.TAKE_PAYMENT)
    with db.transaction() as session:
        student, course, klass = _load(session, request)
        raise_violations(_charge_check(session, request, student, course).violations)
        year = (request.charge_date or local_today()).year
        contract = contract_for(session, actor, request, course, next_number(session, "contract", year))
        session.add(contract)
        session.flush()
        payment = Payment(
            receipt_no=next_number(session, "receipt", year),
            contract_id=contract.id,
            student_id=contract.student_id,
            amount_fen=contract.fee_fen,
            method=request.method,
            desk_code=contract.desk_code,
            received_by=actor.user_id,
        )
        session.add(payment)
        entry_ids = _ledger(session, actor, contract)
        member = (
            join_class(session, actor, klass, contract.student_id, contract.id, strict=False)
            if klass
            else None
        )
        audit(
            session,
            actor,
            "contract.sign",
            "contract",
            contract.id,
            contract_no=contract.contract_no,
            receipt_no=payment.receipt_no,
            fee_fen=contract.fee_fen,
        )
        return EnrollmentResult(
            contract_id=contract.id,
            contract_no=contract.contract_no,
            payment_id=payment.id,
            receipt_no=payment.receipt_no,
            ledger_entry_ids=entry_ids,
            klass_member_id=member.id if member else None,
            units=contract.total_units,
            gift_units=contract.gift_units,
            fee_fen=contract.fee_fen,
        )
