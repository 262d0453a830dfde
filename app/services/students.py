"""Students (乙方) and their guardians, kept by the front desk.

A 身份证号 is validated and the birth date and gender are derived from it (so they can never disagree; a
typed birth date or gender that contradicts the number is refused, not silently replaced);
the search keys (full pinyin, initials, reversed phone for tail search) are filled here, the only place a
student is written, so search never sees a stale key. Identity numbers never reach the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.pinyin import name_keys
from app.services.lookups import get_live
from app.services.parsing import require_choice
from app.validators import (
    IdCardInfo,
    mask_id_number,
    validate_id_number,
    validate_mobile,
    validate_name,
)
from localdb import codes
from localdb.models import Guardian, Student

MESSAGES: dict[str, str] = {
    "student.duplicate": "身份证号码为{masked}的学员已存在（{name}）",
    "student.card_taken": "卡号“{card_code}”已被学员{name}使用",
    "student.bad_field": "学员不能修改字段“{field}”",
    "student.birth_mismatch": "出生日期与身份证号码不一致：证件上为{expected}",
    "student.gender_mismatch": "性别与身份证号码不一致：证件上为{expected_label}",
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


_GENDER_LABELS = {"M": "男", "F": "女"}


def _id_card(data: StudentInput) -> IdCardInfo | None:
    """The 身份证 facts, refusing a typed birth date or gender that contradicts them."""
    number = (data.id_number or "").strip()
    if data.id_type != "id_card" or not number:
        return None
    card = validate_id_number(number)
    if data.birth_date is not None and data.birth_date != card.birth_date:
        raise ValidationError("student.birth_mismatch", expected=card.birth_date.isoformat())
    if data.gender is not None and data.gender != card.gender:
        raise ValidationError(
            "student.gender_mismatch", expected=card.gender, expected_label=_GENDER_LABELS[card.gender]
        )
    return card


def _normalised(data: StudentInput) -> dict[str, Any]:
    """Validated column values; birth date and gender come from the 身份证 when there is one."""
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
    card = _id_card(data)
    if card is not None:
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


# --- the student form: every problem by field, duplicates, and saving with the guardians --------------


@dataclass(frozen=True)
class GuardianInput:
    """A guardian as typed in the student form; ``guardian_id`` names one already on file (editing)."""

    name: str
    relation: str | None = None
    phone: str | None = None
    guardian_id: str | None = None


@dataclass(frozen=True)
class DuplicateHit:
    """A student on file who looks like the one being typed, and why."""

    student_id: str
    name: str
    id_number_masked: str | None
    reason: str  # "id_number" (same 身份证号) or "name_phone" (same name and guardian phone)


def _check(found: dict[str, InstDeskError], name: str, check: Callable[[], object]) -> None:
    try:
        check()
    except InstDeskError as exc:
        found.setdefault(name, exc)


def _id_problems(data: StudentInput, found: dict[str, InstDeskError]) -> None:
    try:
        _id_card(data)
    except ValidationError as exc:
        field = {"student.birth_mismatch": "birth_date", "student.gender_mismatch": "gender"}
        found[field.get(exc.code, "id_number")] = exc


def _guardian_problems(guardians: Sequence[GuardianInput], found: dict[str, InstDeskError]) -> None:
    for index, guardian in enumerate(guardians):
        name, phone = guardian.name, (guardian.phone or "").strip()
        _check(found, f"guardian{index}.name", partial(validate_name, name, "监护人姓名"))
        if phone:
            _check(found, f"guardian{index}.phone", partial(validate_mobile, phone))


def student_problems(data: StudentInput, guardians: Sequence[GuardianInput] = ()) -> dict[str, InstDeskError]:
    """Every problem of a student form, by field (``name``, ``id_number``, ``birth_date``, ``gender``,
    ``phone``, ``guardian<i>.name``, ``guardian<i>.phone``), without touching the database: the form
    shows them as the user types, and saving refuses the same ones."""
    found: dict[str, InstDeskError] = {}
    _check(found, "name", lambda: validate_name(data.name, "学员姓名"))
    _id_problems(data, found)
    if (data.phone or "").strip():
        _check(found, "phone", lambda: validate_mobile(data.phone or ""))
    _guardian_problems(guardians, found)
    return found


def _raise_first(found: dict[str, InstDeskError]) -> None:
    for problem in found.values():
        raise problem


def _phones(guardians: Iterable[str | None]) -> list[str]:
    clean = []
    for phone in guardians:
        try:
            clean.append(validate_mobile(phone or ""))
        except ValidationError:
            continue
    return clean


def find_duplicates(
    db: Database,
    actor: Actor,
    name: str,
    id_number: str | None,
    guardian_phones: Sequence[str | None] = (),
    exclude_id: str | None = None,
) -> list[DuplicateHit]:
    """Students on file with the same 身份证号, or the same name and a guardian with the same phone.

    Both lookups use indexes (``student.id_number``, ``student.name``, ``guardian.student_id``), so the
    form can ask on every keystroke.
    """
    require(actor, Permission.VIEW_STUDENTS)
    number = (id_number or "").strip().upper()
    phones, clean_name = _phones(guardian_phones), name.strip()
    hits: dict[str, DuplicateHit] = {}
    with db.reading() as session:
        live = (Student.deleted_at.is_(None), Student.id != (exclude_id or ""))
        if len(number) >= 15:
            for row in session.scalars(select(Student).where(Student.id_number == number, *live).limit(5)):
                hits[row.id] = DuplicateHit(row.id, row.name, mask_id_number(number), "id_number")
        if clean_name and phones:
            query = (
                select(Student)
                .join(Guardian, Guardian.student_id == Student.id)
                .where(Student.name == clean_name, Guardian.phone.in_(phones), Guardian.deleted_at.is_(None))
                .where(*live)
                .limit(5)
            )
            for row in session.scalars(query):
                masked = mask_id_number(row.id_number) if row.id_number else None
                hits.setdefault(row.id, DuplicateHit(row.id, row.name, masked, "name_phone"))
    return list(hits.values())


def card_holder(db: Database, actor: Actor, card_code: str, exclude_id: str | None = None) -> str | None:
    """The name of the student who holds ``card_code`` (other than ``exclude_id``), if any."""
    require(actor, Permission.VIEW_STUDENTS)
    code = card_code.strip()
    if not code:
        return None
    with db.reading() as session:
        return session.scalar(
            select(Student.name).where(Student.card_code == code, Student.id != (exclude_id or ""))
        )


def _guardian_values(guardian: GuardianInput) -> dict[str, Any]:
    phone = (guardian.phone or "").strip()
    return {
        "name": validate_name(guardian.name, "监护人姓名"),
        "relation": (guardian.relation or "").strip() or None,
        "phone": validate_mobile(phone) if phone else None,
    }


def _new_guardian(session: Session, actor: Actor, student_id: str, guardian: GuardianInput) -> Guardian:
    row = Guardian(student_id=student_id, **_guardian_values(guardian))
    session.add(row)
    session.flush()
    audit(session, actor, "guardian.add", "guardian", row.id, student_id=student_id)
    return row


def _save_guardians(
    session: Session, actor: Actor, student_id: str, guardians: Sequence[GuardianInput]
) -> None:
    """Edit the listed guardians, add the new ones, and retire those no longer listed."""
    kept = {g.guardian_id for g in guardians if g.guardian_id}
    on_file = session.scalars(
        select(Guardian).where(Guardian.student_id == student_id, Guardian.deleted_at.is_(None))
    ).all()
    for row in on_file:
        if row.id not in kept:
            row.deleted_at = now_utc()
            audit(session, actor, "guardian.remove", "guardian", row.id, student_id=student_id)
    by_id = {row.id: row for row in on_file}
    for guardian in guardians:
        existing = by_id.get(guardian.guardian_id or "")
        if existing is None:
            _new_guardian(session, actor, student_id, guardian)
            continue
        values = _guardian_values(guardian)
        changed = sorted(key for key, value in values.items() if getattr(existing, key) != value)
        for key in changed:
            setattr(existing, key, values[key])
        if changed:
            audit(session, actor, "guardian.update", "guardian", existing.id, fields=changed)


def register_student(
    db: Database, actor: Actor, data: StudentInput, guardians: Sequence[GuardianInput] = ()
) -> StudentInfo:
    """A new student with their guardians, in one transaction (all or nothing); the form's use case and
    ``instdesk student add``'s."""
    require(actor, Permission.EDIT_STUDENTS)
    _raise_first(student_problems(data, guardians))
    values = _normalised(data)
    with db.transaction() as session:
        _check_unique(session, values, None)
        row = Student(**values)
        session.add(row)
        session.flush()
        audit(session, actor, "student.add", "student", row.id, name=row.name)
        for guardian in guardians:
            _new_guardian(session, actor, row.id, guardian)
        return student_info(row)


def edit_student(
    db: Database, actor: Actor, student_id: str, data: StudentInput, guardians: Sequence[GuardianInput]
) -> StudentInfo:
    """Save the whole student form: the student validated as on creation, the guardians as listed.

    An empty ``id_number`` keeps the number on file (forms show it masked and never hold it).
    """
    require(actor, Permission.EDIT_STUDENTS)
    with db.transaction() as session:
        row = get_live(session, Student, student_id)
        if not (data.id_number or "").strip() and data.id_type == row.id_type:
            data = replace(data, id_number=row.id_number)
        _raise_first(student_problems(data, guardians))
        values = _normalised(data)
        _check_unique(session, values, row.id)
        changed = sorted(key for key, value in values.items() if getattr(row, key) != value)
        for key in changed:
            setattr(row, key, values[key])
        if changed:
            audit(session, actor, "student.update", "student", row.id, fields=changed)
        _save_guardians(session, actor, row.id, guardians)
        session.flush()
        return student_info(row)


def student_form(db: Database, actor: Actor, student_id: str) -> tuple[StudentInfo, tuple[GuardianInfo, ...]]:
    """What the edit form starts from: the student (ID number masked) and their guardians."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        row = get_live(session, Student, student_id)
        guardians = session.scalars(
            select(Guardian)
            .where(Guardian.student_id == student_id, Guardian.deleted_at.is_(None))
            .order_by(Guardian.created_at, Guardian.id)
        )
        return student_info(row), tuple(
            GuardianInfo(g.id, g.student_id, g.name, g.relation, g.phone) for g in guardians
        )
