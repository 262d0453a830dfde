"""收据 and 退费单: what the desk hands the parent when money comes in or goes back.

``payment_receipt`` reads a payment, ``refund_receipt`` a refund (the desk refund dialog calls it right
after ``execute_refund``). Both give a ``ReceiptFacts`` that ``receipt_html`` lays out as an A5 page or a
58/80 mm thermal slip. The refund slip's number is the contract's number prefixed ``TF-`` (a contract is
refunded once; a second refund of the same contract, possible only from two offline desks, gets ``-2``):
it needs no counter of its own and says at a glance which contract it closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import LOCAL_TZ
from app.db import Database
from app.documents.contract import cn_date, units_text
from app.io.labels import METHOD_LABELS
from app.money import capitals, format_fen
from app.permissions import Actor, Permission, require
from app.services.lookups import display_name, get_live, institution
from localdb.models import Contract, Course, Guardian, OwedPayment, Payment, ReceivableEntry, Refund, Student


class Layout(StrEnum):
    A5 = "a5"
    THERMAL_80 = "thermal80"
    THERMAL_58 = "thermal58"


#: paper width in millimetres of each layout (A5 is portrait 148 × 210)
LAYOUT_WIDTH_MM = {Layout.A5: 148.0, Layout.THERMAL_80: 80.0, Layout.THERMAL_58: 58.0}


@dataclass(frozen=True)
class ReceiptFacts:
    """One receipt or refund slip as printed."""

    title: str  # 收款收据 / 退费单
    number: str
    day: date
    institution: str
    uscc: str
    payer: str
    contract_no: str
    course: str
    units: str
    amount_fen: int
    method: str
    handler: str
    supervision: str
    reason: str | None = None

    @property
    def amount_figures(self) -> str:
        return f"¥{format_fen(self.amount_fen)}"

    @property
    def amount_capitals(self) -> str:
        return "人民币" + capitals(self.amount_fen)

    @property
    def file_name(self) -> str:
        return f"{self.title}-{self.payer.split('（')[0]}-{self.number}.pdf"


def _payer(student: Student, guardian: Guardian | None) -> str:
    if guardian is None:
        return student.name
    relation = f"{guardian.relation} " if guardian.relation else ""
    return f"{student.name}（监护人：{relation}{guardian.name}）"


def _guardian(session: Session, student_id: str) -> Guardian | None:
    query = (
        select(Guardian)
        .where(Guardian.student_id == student_id, Guardian.deleted_at.is_(None))
        .order_by(Guardian.created_at, Guardian.id)
    )
    return session.scalars(query).first()


def _account_line(bank: str | None, account_no: str | None) -> str:
    where = "，".join(p for p in (bank, f"账号 {account_no}" if account_no else None) if p)
    return f"（{where}）" if where else ""


def payment_receipt(db: Database, actor: Actor, payment_id: str) -> ReceiptFacts:
    """The 收据 of one payment; 经办人 is whoever took the payment (the signed-in user at the desk)."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        payment = get_live(session, Payment, payment_id)
        contract = get_live(session, Contract, payment.contract_id)
        student = get_live(session, Student, payment.student_id)
        course = get_live(session, Course, contract.course_id)
        inst = institution(session)
        gift = f"，赠送 {units_text(contract.gift_units)} 课时" if contract.gift_units else ""
        handler = display_name(session, payment.received_by) or display_name(session, actor.user_id)
        return ReceiptFacts(
            title="收款收据",
            number=payment.receipt_no,
            day=payment.paid_at.astimezone(LOCAL_TZ).date(),
            institution=inst.name,
            uscc=inst.uscc,
            payer=_payer(student, _guardian(session, student.id)),
            contract_no=contract.contract_no,
            course=course.name,
            units=f"购买 {units_text(contract.total_units)} 课时{gift}",
            amount_fen=payment.amount_fen,
            method=METHOD_LABELS.get(payment.method, payment.method),
            handler=handler or actor.username,
            supervision="本笔预收费已进入监管账户"
            + _account_line(inst.supervision_bank, inst.supervision_account_no)
            + "，按消课逐次拨付。",
        )


#: a 先学后付 payment is for lessons already held: nothing prepaid, nothing in the supervised account
PAY_AFTER_NOTE = "先学后付：本笔为已上课程的课费，课后支付，不属于预收费，不进入资金监管账户。"


def owed_payment_receipt(db: Database, actor: Actor, payment_id: str) -> ReceiptFacts:
    """The 收据 of a 先学后付 payment: the lessons it paid (dates), their contracts and courses."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        payment = get_live(session, OwedPayment, payment_id)
        student = get_live(session, Student, payment.student_id)
        paid = session.execute(
            select(ReceivableEntry.lesson_date, Contract.contract_no, Course.name)
            .join(Contract, Contract.id == ReceivableEntry.contract_id)
            .join(Course, Course.id == ReceivableEntry.course_id)
            .where(ReceivableEntry.payment_id == payment.id)
            .order_by(ReceivableEntry.lesson_date)
        ).all()
        inst = institution(session)
        days = "、".join(f"{d.month}月{d.day}日" for d, _, _ in paid)
        handler = display_name(session, payment.received_by) or display_name(session, actor.user_id)
        return ReceiptFacts(
            title="收款收据",
            number=payment.receipt_no,
            day=payment.paid_at.astimezone(LOCAL_TZ).date(),
            institution=inst.name,
            uscc=inst.uscc,
            payer=_payer(student, _guardian(session, student.id)),
            contract_no="、".join(dict.fromkeys(str(no) for _, no, _ in paid)),
            course="、".join(dict.fromkeys(str(name) for _, _, name in paid)),
            units=f"先学后付 {len(paid)} 节课（{days}）",
            amount_fen=payment.amount_fen,
            method=METHOD_LABELS.get(payment.method, payment.method),
            handler=handler or actor.username,
            supervision=PAY_AFTER_NOTE,
        )


def _refund_number(session: Session, refund: Refund, contract_no: str) -> str:
    earlier = session.scalar(
        select(func.count())
        .select_from(Refund)
        .where(
            Refund.contract_id == refund.contract_id,
            (Refund.created_at < refund.created_at)
            | ((Refund.created_at == refund.created_at) & (Refund.id < refund.id)),
        )
    )
    return f"TF-{contract_no}" + (f"-{int(earlier) + 1}" if earlier else "")


def refund_receipt(db: Database, actor: Actor, refund_id: str) -> ReceiptFacts:
    """The 退费单 of one refund: what goes back, by which channel, and who handled it."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        refund = get_live(session, Refund, refund_id)
        contract = get_live(session, Contract, refund.contract_id)
        student = get_live(session, Student, refund.student_id)
        course = get_live(session, Course, contract.course_id)
        inst = institution(session)
        method = session.scalar(
            select(Payment.method)
            .where(Payment.contract_id == contract.id)
            .order_by(Payment.paid_at)
            .limit(1)
        )
        channel = METHOD_LABELS.get(method or "", method or "") or "原支付渠道"
        handler = display_name(session, refund.created_by) or display_name(session, actor.user_id)
        return ReceiptFacts(
            title="退费单",
            number=_refund_number(session, refund, contract.contract_no),
            day=refund.created_at.astimezone(LOCAL_TZ).date(),
            institution=inst.name,
            uscc=inst.uscc,
            payer=_payer(student, _guardian(session, student.id)),
            contract_no=contract.contract_no,
            course=course.name,
            units=f"退还 {units_text(max(refund.units, Decimal(0)))} 课时",
            amount_fen=refund.amount_fen,
            method=f"原路退回（{channel}）",
            handler=handler or actor.username,
            supervision="退费款项由监管账户"
            + _account_line(inst.supervision_bank, inst.supervision_account_no)
            + "按原支付渠道退回。",
            reason=refund.reason,
        )


def receipt_date(facts: ReceiptFacts) -> str:
    return cn_date(facts.day) or ""
