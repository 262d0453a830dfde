"""先学后付 (learn first, pay after): enrol without prepayment, take payments after lessons, reminders.

A 先学后付 course takes no prepaid package (``enrollment.enroll`` refuses it). Its contract records the
agreed price per standard lesson and the payment terms; the roll call books each charged lesson as an
amount owed (``app.services._receivables``), never a deduction from a package, and no escrow is held for
it on the platform. The family pays after the lesson — at the desk (``pay_owed``: chosen lessons or the
oldest first, with a receipt number) or on the platform's parent side (the rows sync down). Refund rules
do not apply (``refunds`` refuses such a contract); a disputed lesson can be reversed
(``reverse_disputed_lesson``). See docs/pay_after.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import local_today, now_utc
from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.money import format_fen, require_fen
from app.permissions import Actor, Permission, require
from app.rules.child import child_violations
from app.rules.violation import raise_violations
from app.services.classes import as_child, join_class
from app.services.lookups import display_name, get_live, institution
from app.services.parsing import require_choice
from app.services.rollcall import undo_roll_call
from app.services.sequences import desk_code, next_number
from localdb import codes
from localdb.codes import Billing, ContractStatus, OwedPaymentSource, PaymentMethod, ReceivableKind
from localdb.models import (
    Attendance,
    Contract,
    Course,
    Klass,
    OwedPayment,
    OwedReminder,
    ReceivableEntry,
    Student,
)
from localdb.models_platform import PlatformInbox

MESSAGES: dict[str, str] = {
    "pay_after.not_pay_after_course": "课程“{course}”不是先学后付课程，请按预收费报名",
    "pay_after.already_enrolled": "学员已有该课程的先学后付合同（{contract_no}）",
    "pay_after.class_course_mismatch": "所选班级不属于该课程",
    "pay_after.bad_dates": "结束日期不能早于开始日期",
    "pay_after.terms_too_long": "付款约定最多 500 字",
    "owed.bad_amount": "付款金额必须大于零",
    "owed.nothing_owed": "该学员没有待付的先学后付课费",
    "owed.not_owed": "所选的课不是该学员待付的课：{entry_id}",
    "owed.overpay": "付款金额 {amount} 超过所选课次的欠费 {owed}",
    "owed.platform_method": "前台收款不能选择“平台”方式；平台付款由家长在平台完成后同步下来",
    "owed.not_disputed": "该课没有家长的异议，不能按异议冲正",
    "owed.not_pay_after_lesson": "该课不是待付的先学后付课",
    "owed.reason_required": "请填写冲正原因",
}
InstDeskError.register(MESSAGES)

#: what the contract says when the desk agrees no other terms
DEFAULT_TERMS = "每次课后7日内按约定单价付清本次课费；先学后付不预收任何费用。"


@dataclass(frozen=True)
class PayAfterRequest:
    """A 先学后付 enrollment: the agreed price per standard lesson (default: the course's package price
    divided by its lessons) and the terms; nothing is paid now."""

    student_id: str
    course_id: str
    start_date: date
    klass_id: str | None = None
    end_date: date | None = None
    lesson_price_fen: int | None = None
    payment_terms: str | None = None
    adviser: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PayAfterResult:
    contract_id: str
    contract_no: str
    lesson_price_fen: int
    payment_terms: str
    klass_member_id: str | None


def default_lesson_price(course: Course) -> int:
    """The course's package price per lesson (half up), what the desk proposes as the agreed price."""
    lessons = int(course.lessons_per_package or 0)
    return (2 * course.price_fen + lessons) // (2 * lessons) if lessons > 0 else course.price_fen


def _check_request(session: Session, request: PayAfterRequest) -> tuple[Student, Course, Klass | None]:
    student = get_live(session, Student, request.student_id)
    course = get_live(session, Course, request.course_id)
    if not course.pay_after_learning:
        raise RuleViolation("pay_after.not_pay_after_course", course=course.name)
    klass = get_live(session, Klass, request.klass_id) if request.klass_id else None
    if klass is not None and klass.course_id != course.id:
        raise RuleViolation("pay_after.class_course_mismatch")
    if request.end_date is not None and request.end_date < request.start_date:
        raise ValidationError("pay_after.bad_dates")
    if request.payment_terms is not None and len(request.payment_terms) > 500:
        raise ValidationError("pay_after.terms_too_long")
    existing = session.scalar(
        select(Contract.contract_no).where(
            Contract.student_id == student.id,
            Contract.course_id == course.id,
            Contract.billing == Billing.PAY_AFTER,
            Contract.status == ContractStatus.ACTIVE,
        )
    )
    if existing is not None:
        raise RuleViolation("pay_after.already_enrolled", contract_no=existing)
    raise_violations(
        child_violations(as_child(student), request.start_date, course.category, course.delivery)
    )
    return student, course, klass


def _contract(
    session: Session, actor: Actor, request: PayAfterRequest, course: Course, price: int, terms: str
) -> Contract:
    klass = session.get(Klass, request.klass_id) if request.klass_id else None
    return Contract(
        contract_no=next_number(session, "contract", local_today().year),
        student_id=request.student_id,
        course_id=course.id,
        klass_id=request.klass_id,
        service_category=f"{course.delivery}_{course.category}",
        adviser=request.adviser or display_name(session, actor.user_id) or actor.username,
        total_units=Decimal(0),
        gift_units=Decimal(0),
        units_per_session=course.units_per_lesson,
        start_date=request.start_date,
        end_date=request.end_date,
        class_format=course.class_format,
        min_class_size=klass.min_size if klass and klass.min_size else None,
        fee_fen=0,
        supervision_mode=institution(session).supervision_mode,
        status="active",
        origin="desk",
        desk_code=desk_code(session),
        note=request.note,
        billing=Billing.PAY_AFTER,
        lesson_price_fen=price,
        payment_terms=terms,
    )


def enroll_pay_after(db: Database, actor: Actor, request: PayAfterRequest) -> PayAfterResult:
    """Sign a 先学后付 contract (no payment, no package) and seat the student in the class."""
    require(actor, Permission.ENROLL)
    with db.transaction() as session:
        student, course, klass = _check_request(session, request)
        price = default_lesson_price(course) if request.lesson_price_fen is None else request.lesson_price_fen
        require_fen(price, field="每节课单价", allow_zero=False)
        terms = (request.payment_terms or "").strip() or DEFAULT_TERMS
        contract = _contract(session, actor, request, course, price, terms)
        session.add(contract)
        session.flush()
        member = join_class(session, actor, klass, student.id, contract.id, strict=False) if klass else None
        audit(
            session, actor, "contract.sign_pay_after", "contract", contract.id,
            contract_no=contract.contract_no, lesson_price_fen=price,
        )  # fmt: skip
        return PayAfterResult(contract.id, contract.contract_no, price, terms, member.id if member else None)


# --------------------------------------------------------------------------------------- what is owed


@dataclass(frozen=True)
class OwedLessonLine:
    """One lesson still (partly) unpaid: its lesson entry, the amount, what is left to pay."""

    entry_id: str
    lesson_date: date
    course_id: str
    contract_id: str
    amount_fen: int
    owed_fen: int


def owed_lines(session: Session, student_id: str) -> list[OwedLessonLine]:
    """The student's unpaid lessons, oldest first (lesson entries net of reversals and payments)."""
    e = ReceivableEntry
    net = func.sum(e.amount_fen).label("net")
    key = func.coalesce(e.lesson_entry_id, e.id).label("lesson")
    sums = select(key, net).where(e.student_id == student_id).group_by(key).subquery()
    query = (
        select(e.id, e.lesson_date, e.course_id, e.contract_id, e.amount_fen, sums.c.net)
        .join(sums, sums.c.lesson == e.id)
        .where(e.kind == ReceivableKind.LESSON, sums.c.net > 0)
        .order_by(e.lesson_date, e.created_at, e.id)
    )
    return [
        OwedLessonLine(str(i), d, str(c), str(k), int(a), int(n))
        for i, d, c, k, a, n in session.execute(query)
    ]


@dataclass(frozen=True)
class OwedPaymentRequest:
    """A payment at the desk: the amount, how it was paid, and optionally which lessons it pays (else the
    oldest first)."""

    student_id: str
    amount_fen: int
    method: str
    lesson_entry_ids: Sequence[str] = ()
    note: str | None = None


@dataclass(frozen=True)
class OwedPaymentResult:
    payment_id: str
    receipt_no: str
    amount_fen: int
    paid_lessons: tuple[tuple[str, int], ...] = field(default=())  # (lesson entry id, fen)
    still_owed_fen: int = 0


def _chosen(lines: list[OwedLessonLine], wanted: Sequence[str]) -> list[OwedLessonLine]:
    if not wanted:
        return lines
    by_id = {line.entry_id: line for line in lines}
    for entry_id in wanted:
        if entry_id not in by_id:
            raise RuleViolation("owed.not_owed", entry_id=entry_id)
    return [line for line in lines if line.entry_id in set(wanted)]


def _allocate(lines: list[OwedLessonLine], amount: int) -> list[tuple[OwedLessonLine, int]]:
    """Oldest lesson first, each paid in full before the next; the last may be paid in part."""
    left, parts = amount, []
    for line in lines:
        if left <= 0:
            break
        part = min(left, line.owed_fen)
        parts.append((line, part))
        left -= part
    return parts


def pay_owed(db: Database, actor: Actor, request: OwedPaymentRequest) -> OwedPaymentResult:
    """Take a payment for lessons already held; more than is owed (on the chosen lessons) is refused."""
    require(actor, Permission.TAKE_PAYMENT)
    amount = require_fen(request.amount_fen, field="付款金额")
    if amount <= 0:
        raise ValidationError("owed.bad_amount")
    require_choice("method", request.method, codes.PAYMENT_METHODS)
    if request.method == PaymentMethod.PLATFORM:
        raise ValidationError("owed.platform_method")
    with db.transaction() as session:
        get_live(session, Student, request.student_id)
        lines = owed_lines(session, request.student_id)
        if not lines:
            raise RuleViolation("owed.nothing_owed")
        chosen = _chosen(lines, request.lesson_entry_ids)
        owed = sum(line.owed_fen for line in chosen)
        if amount > owed:
            raise RuleViolation("owed.overpay", amount=format_fen(amount), owed=format_fen(owed))
        payment = OwedPayment(
            receipt_no=next_number(session, "receipt", local_today().year),
            student_id=request.student_id,
            amount_fen=amount,
            method=request.method,
            source=OwedPaymentSource.DESK,
            desk_code=desk_code(session),
            received_by=actor.user_id,
            note=request.note,
        )
        session.add(payment)
        session.flush()
        parts = _allocate(chosen, amount)
        for line, part in parts:
            session.add(
                ReceivableEntry(
                    student_id=request.student_id,
                    contract_id=line.contract_id,
                    course_id=line.course_id,
                    kind=ReceivableKind.PAYMENT,
                    amount_fen=-part,
                    lesson_date=line.lesson_date,
                    lesson_entry_id=line.entry_id,
                    payment_id=payment.id,
                    reason=payment.receipt_no,
                    created_by=actor.username,
                )  # fmt: skip
            )
        session.flush()
        audit(
            session, actor, "owed.pay", "owed_payment", payment.id, receipt_no=payment.receipt_no, fen=amount
        )
        still = sum(line.owed_fen for line in lines) - amount
        return OwedPaymentResult(
            payment.id,
            payment.receipt_no,
            amount,
            tuple((line.entry_id, part) for line, part in parts),
            still,
        )


def record_reminder(db: Database, actor: Actor, student_id: str, text: str) -> date:
    """The desk reminded the family (sent the text): kept so the list shows 已提醒 and when."""
    require(actor, Permission.TAKE_PAYMENT)
    with db.transaction() as session:
        get_live(session, Student, student_id)
        owed = sum(line.owed_fen for line in owed_lines(session, student_id))
        if owed <= 0:
            raise RuleViolation("owed.nothing_owed")
        now = now_utc()
        session.add(
            OwedReminder(
                student_id=student_id, reminded_at=now, owed_fen=owed, reminded_by=actor.username, text=text
            )
        )
        audit(session, actor, "owed.remind", "student", student_id, owed_fen=owed)
        return local_today()


def reverse_disputed_lesson(db: Database, actor: Actor, attendance_id: str, reason: str) -> int:
    """Reverse a 先学后付 lesson the parent disputed on the platform: the roll call of that student in
    that lesson is undone (the charge withdrawn, a reversing receivable entry booked). Returns the fen
    no longer owed."""
    require(actor, Permission.ROLL_CALL)
    why = (reason or "").strip()
    if not why:
        raise ValidationError("owed.reason_required")
    with db.reading() as session:
        disputed = session.scalar(
            select(PlatformInbox.entity_id).where(
                PlatformInbox.entity == "consumption_confirmation",
                PlatformInbox.related_id == attendance_id,
                PlatformInbox.status == "disputed",
            )
        )
        if disputed is None:
            raise RuleViolation("owed.not_disputed")
        row = session.get(Attendance, attendance_id)
        if row is None:
            raise NotFound("not_found", entity="attendance", entity_id=attendance_id, entity_label="考勤")
        contract = session.get(Contract, row.contract_id) if row.contract_id else None
        if contract is None or contract.billing != Billing.PAY_AFTER or not row.charged:
            raise RuleViolation("owed.not_pay_after_lesson")
        session_id, student_id, amount = row.session_id, row.student_id, row.amount_fen
    undo_roll_call(db, actor, session_id, [student_id], reason=f"家长异议：{why}")
    return amount
