"""The contract as printed: every blank and option of GF—2021—2604 filled from the database.

``contract_facts`` reads a signed contract; ``draft_contract_facts`` the contract an enrollment request
would sign (the preview before signing). ``missing_facts`` lists the required blanks still empty; a final
contract (the signed original or a copy) refuses to render while any is missing (``contract.incomplete``,
naming each blank and where to fill it in). Identity numbers are printed in full only on the signed
original; drafts and copies (副本) mask them (PIPL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import LOCAL_TZ, local_today
from app.db import Database
from app.documents.fields import BLANKS, Blank
from app.errors import InstDeskError, RuleViolation
from app.io.labels import GENDER_LABELS, ID_TYPE_LABELS, METHOD_LABELS
from app.money import capitals, format_fen
from app.permissions import Actor, Permission, require
from app.policy import PolicyParams
from app.services.enrollment import EnrollmentRequest, contract_for
from app.services.lookups import get_live, institution, load_policy
from app.validators import mask_id_number
from localdb.codes import Billing
from localdb.models import (
    Contract,
    Course,
    Guardian,
    Institution,
    Klass,
    LessonSession,
    Payment,
    ScheduleRule,
    Staff,
    Student,
)

InstDeskError.register(
    {"contract.incomplete": "合同还缺少以下信息，不能打印正式合同：{missing}"},
)

NOT_APPLICABLE = "／"
#: a contract signed without a full-refund window (the parties agreed none): the pro-rata refund applies
NO_WINDOW = "未约定（按本条第（二）项退费）"
WEEKDAYS = "一二三四五六日"


class Mode(StrEnum):
    DRAFT = "draft"  # before signing: no number, identity numbers masked
    ORIGINAL = "original"  # the signed original: identity numbers in full
    COPY = "copy"  # a reprint of a signed contract: marked 副本, identity numbers masked


@dataclass(frozen=True)
class IdentityDoc:
    type_label: str
    number: str

    def shown(self, mode: Mode) -> str:
        number = self.number if mode is Mode.ORIGINAL else mask_id_number(self.number)
        return f"{self.type_label} {number}"


@dataclass(frozen=True)
class ContractFacts:
    """What the contract prints: blank key → text (``None``: not known), choice key → chosen code."""

    contract_id: str | None
    contract_no: str | None
    student_name: str
    values: Mapping[str, str | None]
    choices: Mapping[str, str | None]
    identities: Mapping[str, IdentityDoc]

    def text(self, key: str, mode: Mode) -> str:
        """The printed text of one blank (identity numbers masked unless ``mode`` is the original)."""
        if key in self.identities:
            return self.identities[key].shown(mode)
        value = self.values.get(key)
        return value if value else NOT_APPLICABLE


def missing_facts(facts: ContractFacts) -> list[Blank]:
    """The required blanks that are still empty, in article order."""
    return [
        blank
        for blank in BLANKS.values()
        if blank.required and not facts.values.get(blank.key) and blank.key not in facts.identities
    ]


def require_complete(facts: ContractFacts) -> None:
    """Refuse a final contract with empty required blanks, naming each and where it is filled in."""
    missing = missing_facts(facts)
    if missing:
        listed = "、".join(f"{b.label}（{b.where}）" for b in missing)
        raise RuleViolation("contract.incomplete", missing=listed, keys=",".join(b.key for b in missing))


# ------------------------------------------------------------------------------------------ formatting


def cn_date(day: date | None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日" if day else None


def units_text(units: Decimal) -> str:
    return f"{units.normalize():f}"


def _local_date(instant: datetime) -> date:
    return instant.astimezone(LOCAL_TZ).date()


def _schedule(session: Session, klass: Klass | None, contract: Contract) -> str | None:
    """The class's weekly slots: its schedule rules, else the weekdays and times of its lessons in the
    contract's period (lessons added one by one have no rule)."""
    if klass is None:
        return None
    rules = session.scalars(
        select(ScheduleRule)
        .where(ScheduleRule.klass_id == klass.id, ScheduleRule.deleted_at.is_(None))
        .order_by(ScheduleRule.weekday, ScheduleRule.start_time)
    )
    slots = [(r.weekday, r.start_time, r.end_time) for r in rules]
    if not slots:
        lessons = session.execute(
            select(LessonSession.date, LessonSession.start_time, LessonSession.end_time).where(
                LessonSession.klass_id == klass.id,
                LessonSession.deleted_at.is_(None),
                LessonSession.date >= contract.start_date,
                LessonSession.date <= (contract.end_date or date.max),
            )
        )
        slots = sorted({(day.weekday(), start, end) for day, start, end in lessons})
    return "；".join(dict.fromkeys(f"每周{WEEKDAYS[w]} {s}–{e}" for w, s, e in slots)) or None


def _class_size(contract: Contract, klass: Klass | None) -> str | None:
    if contract.class_format == "one_to_one":
        return "一对一（1人）"
    if klass is None or not klass.capacity:
        return None
    if contract.class_format == "small":
        return f"班级限额 ≤ {klass.capacity} 人"
    return f"本班 {klass.capacity} 人"


def _identity(id_type: str | None, number: str | None) -> IdentityDoc | None:
    if not number:
        return None
    return IdentityDoc(ID_TYPE_LABELS.get(id_type or "id_card", "身份证"), number)


def _refund_after(contract: Contract) -> str | None:
    days, units = contract.full_refund_days_after_start, contract.full_refund_units_after_start
    if days is None and units is None:
        return NO_WINDOW
    parts = ([f"开班后 {days} 天内"] if days is not None else []) + (
        [f"已上课不超过 {units_text(units)} 课时"] if units is not None else []
    )
    return "或".join(parts) + "提出退学的，全额退费"


def _caps(policy: PolicyParams) -> str:
    months, units = policy.max_months_per_charge, units_text(policy.max_units_per_charge)
    most = format_fen(policy.max_fen_per_charge)
    return f"一次收费不超过 {months} 个月或 {units} 课时（以时间短者为准），且不超过 {most} 元"


def _unit_price(contract: Contract) -> str:
    if not contract.total_units:
        return NOT_APPLICABLE
    price = Fraction(contract.fee_fen) / Fraction(contract.total_units)
    return f"{format_fen(round(price))} 元/课时"


# ------------------------------------------------------------------------------------------ the facts


def _party_a(inst: Institution, online: bool) -> dict[str, str | None]:
    icp = inst.icp_no or (None if online else "不适用（线下培训）")
    return {
        "inst_name": inst.name,
        "inst_address": inst.address,
        "approval_authority": inst.approval_authority,
        "registration_authority": inst.registration_authority,
        "licence_no": inst.licence_no,
        "licence_valid_until": cn_date(inst.licence_valid_until),
        "icp_no": icp,
        "uscc": inst.uscc,
        "registration_valid_until": cn_date(inst.registration_valid_until),
        "contact_name": inst.contact_name,
        "contact_phone": inst.contact_phone,
    }


def _party_b(student: Student, guardian: Guardian | None) -> dict[str, str | None]:
    return {
        "student_name": student.name,
        "student_gender": GENDER_LABELS.get(student.gender or ""),
        "student_birth": cn_date(student.birth_date),
        "school": student.school,
        "grade": student.grade,
        "student_phone": student.phone,
        "guardian_name": guardian.name if guardian else None,
        "guardian_relation": guardian.relation if guardian else None,
        "guardian_phone": guardian.phone if guardian else None,
        "guardian_address": guardian.address if guardian else None,
    }


def _service(
    session: Session, contract: Contract, course: Course, klass: Klass | None, teacher: Staff | None
) -> dict[str, str | None]:
    gift = f"（另赠送 {units_text(contract.gift_units)} 课时）" if contract.gift_units else ""
    cert = (teacher.teacher_cert_no or teacher.ability_cert_no) if teacher else None
    minutes = course.minutes_per_lesson
    return {
        "course_name": course.name,
        "class_code": (klass.code or klass.name) if klass else None,
        "adviser": contract.adviser,
        "total_units": f"{units_text(contract.total_units)} 课时{gift}",
        "units_per_session": f"{units_text(contract.units_per_session)} 课时（{minutes} 分钟）",
        "schedule": contract.schedule_text or _schedule(session, klass, contract),
        "start_date": cn_date(contract.start_date),
        "end_date": cn_date(contract.end_date),
        "class_size": _class_size(contract, klass),
        "min_class_size": f"{contract.min_class_size} 人" if contract.min_class_size else None,
        "teacher_name": teacher.name if teacher else None,
        "teacher_cert": cert,
    }


def _money(
    contract: Contract, inst: Institution, method: str | None, policy: PolicyParams
) -> dict[str, str | None]:
    account = " ".join(p for p in (inst.supervision_account_name, inst.supervision_account_no) if p) or None
    before = contract.full_refund_days_before_start
    if contract.billing == Billing.PAY_AFTER:
        return _pay_after_money(contract, inst, account, policy)
    return {
        "unit_price": _unit_price(contract),
        "fee_total": f"¥{format_fen(contract.fee_fen)}",
        "fee_capitals": "人民币" + capitals(contract.fee_fen),
        "payment_method": METHOD_LABELS.get(method or "", method),
        "supervision_bank": inst.supervision_bank,
        "supervision_account": account if inst.supervision_account_no else None,
        "charge_caps": _caps(policy),
        "refund_before": NO_WINDOW if before is None else f"开班前 {before} 天及以前提出退学的，全额退费",
        "refund_after": _refund_after(contract),
        "refund_price": _unit_price(contract),
        "dispute_body": inst.dispute_body,
        "sign_place": inst.address,
    }


#: what a 先学后付 contract prints where a prepaid one states its fee and refunds (docs/pay_after.md)
PAY_AFTER_FEE = "先学后付：甲方不预收任何费用"
PAY_AFTER_REFUND = "先学后付，未预收费用，不涉及退费；对某节课有异议的，该节课费用可冲正"


def _pay_after_money(
    contract: Contract, inst: Institution, account: str | None, policy: PolicyParams
) -> dict[str, str | None]:
    price = f"{format_fen(contract.lesson_price_fen or 0)} 元/节（每节课后按此单价付费）"
    return {
        "unit_price": price,
        "fee_total": PAY_AFTER_FEE,
        "fee_capitals": "按实际上课节数 × 每节课单价，课后支付",
        "payment_method": contract.payment_terms,
        "supervision_bank": inst.supervision_bank,
        "supervision_account": account if inst.supervision_account_no else None,
        "charge_caps": _caps(policy),
        "refund_before": PAY_AFTER_REFUND,
        "refund_after": PAY_AFTER_REFUND,
        "refund_price": price,
        "dispute_body": inst.dispute_body,
        "sign_place": inst.address,
        "billing": "pay_after",
        "payment_terms": contract.payment_terms,
    }


def _choices(contract: Contract, inst: Institution, klass: Klass | None) -> dict[str, str | None]:
    return {
        "service_category": contract.service_category,
        "class_format": contract.class_format,
        "min_class": "minimum" if contract.min_class_size else "none",
        "named_teacher": "yes" if contract.named_teacher else "no",
        "payment_plan": "once",  # one charge is one payment (no instalments, no 培训贷)
        "supervision_mode": contract.supervision_mode,
        "dispute": inst.dispute_resolution,
    }


def _first_guardian(session: Session, student_id: str) -> Guardian | None:
    query = (
        select(Guardian)
        .where(Guardian.student_id == student_id, Guardian.deleted_at.is_(None))
        .order_by(Guardian.created_at, Guardian.id)
    )
    return session.scalars(query).first()


def _facts(session: Session, contract: Contract, method: str | None, signed_on: date) -> ContractFacts:
    inst = institution(session)
    student = get_live(session, Student, contract.student_id)
    course = get_live(session, Course, contract.course_id)
    klass = session.get(Klass, contract.klass_id) if contract.klass_id else None
    teacher = session.get(Staff, klass.teacher_id) if klass and klass.teacher_id else None
    guardian = _first_guardian(session, student.id)
    values = {
        **_party_a(inst, course.delivery == "online"),
        **_party_b(student, guardian),
        **_service(session, contract, course, klass, teacher),
        **_money(contract, inst, method, load_policy(session)),
        "sign_date": cn_date(signed_on),
    }
    identities = {
        key: doc
        for key, doc in (
            ("student_id", _identity(student.id_type, student.id_number)),
            ("guardian_id", _identity("id_card", guardian.id_number if guardian else None)),
        )
        if doc is not None
    }
    return ContractFacts(
        contract_id=contract.id,
        contract_no=contract.contract_no or None,
        student_name=student.name,
        values=values,
        choices=_choices(contract, inst, klass),
        identities=identities,
    )


def contract_facts(db: Database, actor: Actor, contract_id: str) -> ContractFacts:
    """A signed contract as printed (for the original, a reprint or the student's 合同 tab)."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        contract = get_live(session, Contract, contract_id)
        method = session.scalar(
            select(Payment.method)
            .where(Payment.contract_id == contract.id)
            .order_by(Payment.paid_at)
            .limit(1)
        )
        return _facts(session, contract, method, _local_date(contract.signed_at))


def draft_contract_facts(db: Database, actor: Actor, request: EnrollmentRequest) -> ContractFacts:
    """The contract ``request`` would sign, before signing (no number yet)."""
    require(actor, Permission.ENROLL)
    with db.reading() as session:
        course = get_live(session, Course, request.course_id)
        contract = contract_for(session, actor, request, course, "")
        return _facts(session, contract, request.method, request.charge_date or local_today())


def contract_file_name(facts: ContractFacts) -> str:
    """``合同-<学员>-<编号>.pdf`` (``草稿`` before signing)."""
    return f"合同-{facts.student_name}-{facts.contract_no or '草稿'}.pdf"
