"""Students (乙方) and their guardians, kept by the front desk.

A 身份证号 is validated and the birth date and gender are derived from it (so they can never disagree);
the search keys (full pinyin, initials, reversed phone for tail search) are filled here, the only place a
student is written, so search never sees a stale key. Identity numbers never reach the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.pinyin import name_keys
from app.services._common import get_live, require_choice
from app.validators import mask_id_number, validate_id_number, validate_mobile, validate_name
from localdb import codes
from localdb.models import Guardian, Student

MESSAGES: dict[str, str] = {
    "student.duplicate": "身份证号码为{masked}的学员已存在（{name}）",
    "student.card_taken": "卡号“{card_code}”已被学员{name}使用",
    "student.bad_field": "学员不能修改字段“{field}”",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class StudentInput:
    name: str
    id_type: str = "id_card"
    id_number: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    school: str | None = None
    grade: str | None = None
    stage: str | None = None
    phone: str | None = None
    card_code: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class StudentInfo:
    student_id: str
    name: str
    gender: str | None
    birth_date: date | None
    id_type: str
    id_number_masked: str | None
    school: str | None
    grade: str | None
    stage: str | None
    phone: str | None
    card_code: str | None


@dataclass(frozen=True)
class GuardianInfo:
    guardian_id: str
    student_id: str
    name: str
    relation: str | None
    phone: str | None


def student_info(row: Student) -> StudentInfo:
    return StudentInfo(
        row.id,
        row.name,
        row.gender,
        row.birth_date,
        row.id_type,
        mask_id_number(row.id_number) if row.id_number else None,
        row.school,
        row.grade,
        row.stage,
        row.phone,
        row.card_code,
    )


def _normalised(data: StudentInput) -> dict[str, Any]:
    """Validated column values; ID-card facts override typed birth date and gender."""
    require_choice("id_type", data.id_type, codes.ID_TYPES)
    if data.stage is not None:
        require_choice("stage", data.stage, codes.STAGES)
    if data.gender is not None:
        require_choice("gender", data.gender, codes.GENDERS)
    name = validate_name(data.name, "学员姓名")
    full, initials = name_keys(name)
    values: dict[str, Any] = {
        "name": name,
        "name_pinyin": full,
        "name_initials": initials,
        "id_type": data.id_type,
        "id_number": (data.id_number or "").strip().upper() or None,
        "gender": data.gender,
        "birth_date": data.birth_date,
        "school": data.school,
        "grade": data.grade,
        "stage": data.stage,
        "note": data.note,
        "card_code": (data.card_code or "").strip() or None,
    }
    if data.id_type == "id_card" and values["id_number"]:
        card = validate_id_number(values["id_number"])
        values.update(id_number=card.number, gender=card.gender, birth_date=card.birth_date)
    phone = validate_mobile(data.phone) if data.phone else None
    values.update(phone=phone, phone_rev=phone[::-1] if phone else None)
    return values


def _check_unique(session: Session, values: dict[str, Any], student_id: str | None) -> None:
    if values["id_number"]:
        other = session.scalars(
            select(Student).where(
                Student.id_number == values["id_number"],
                Student.deleted_at.is_(None),
                Student.id != student_id,
            )
        ).first()
        if other is not None:
            raise RuleViolation(
                "student.duplicate",
                masked=mask_id_number(values["id_number"]),
                name=other.name,
                other=other.id,
            )
    if values["card_code"]:
        holder = session.scalars(
            select(Student).where(Student.card_code == values["card_code"], Student.id != student_id)
        ).first()
        if holder is not None:
            raise RuleViolation("student.card_taken", card_code=values["card_code"], name=holder.name)


def add_student(db: Database, actor: Actor, data: StudentInput) -> StudentInfo:
    """Register a student; a duplicate ID number or a card code in use is refused."""
    require(actor, Permission.EDIT_STUDENTS)
    values = _normalised(data)
    with db.transaction() as session:
        _check_unique(session, values, None)
        row = Student(**values)
        session.add(row)
        session.flush()
        audit(session, actor, "student.add", "student", row.id, name=row.name)
        return student_info(row)


def _as_input(row: Student) -> StudentInput:
    return StudentInput(
        name=row.name,
        id_type=row.id_type,
        id_number=row.id_number,
        gender=row.gender,
        birth_date=row.birth_date,
        school=row.school,
        grade=row.grade,
        stage=row.stage,
        phone=row.phone,
        card_code=row.card_code,
        note=row.note,
    )


def update_student(db: Database, actor: Actor, student_id: str, **changes: Any) -> StudentInfo:
    """Change fields of a student; the whole record is validated again as on creation."""
    require(actor, Permission.EDIT_STUDENTS)
    for name in changes:
        if name not in StudentInput.__dataclass_fields__:
            raise ValidationError("student.bad_field", field=name)
    with db.transaction() as session:
        row = get_live(session, Student, student_id)
        values = _normalised(replace(_as_input(row), **changes))
        _check_unique(session, values, row.id)
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
        audit(session, actor, "student.update", "student", row.id, fields=sorted(changes))
        session.flush()
        return student_info(row)


def add_guardian(
    db: Database,
    actor: Actor,
    student_id: str,
    name: str,
    relation: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    id_number: str | None = None,
) -> GuardianInfo:
    """Add a guardian (监护人) of a student; phone and ID number validated like the student's."""
    require(actor, Permission.EDIT_STUDENTS)
    clean_phone = validate_mobile(phone) if phone else None
    number = validate_id_number(id_number).number if id_number else None
    with db.transaction() as session:
        get_live(session, Student, student_id)
        row = Guardian(
            student_id=student_id,
            name=validate_name(name, "监护人姓名"),
            relation=relation,
            phone=clean_phone,
            address=address,
            id_number=number,
        )
        session.add(row)
        session.flush()
        audit(session, actor, "guardian.add", "guardian", row.id, student_id=student_id)
        return GuardianInfo(row.id, student_id, row.name, relation, clean_phone)
