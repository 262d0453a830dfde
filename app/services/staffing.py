"""Sites and people: campuses, rooms and staff (从业人员), kept by the manager.

A serving 中小学/幼儿园 teacher is refused at hiring (docs/domain.md); the 准入查询 result is recorded locally
until the platform's answer, which is authoritative, arrives through sync. Deletion is a tombstone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.rules.staff import check_can_hire
from app.services.facts import staff_facts
from app.services.lookups import get_live
from app.services.parsing import require_choice
from app.validators import mask_id_number, validate_id_number, validate_mobile, validate_name
from localdb import codes
from localdb.codes import BackgroundCheck
from localdb.models import Campus, Course, Klass, Room, Staff

MESSAGES: dict[str, str] = {
    "room.bad_capacity": "教室容量不能为负数：{capacity}",
    "course.in_use": "该课程下还有班级，不能删除",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class CampusInfo:
    campus_id: str
    name: str
    address: str | None


@dataclass(frozen=True)
class RoomInfo:
    room_id: str
    campus_id: str
    name: str
    capacity: int


@dataclass(frozen=True)
class StaffInput:
    name: str
    kind: str = "teaching"
    employment: str = "full_time"
    gender: str | None = None
    id_number: str | None = None
    phone: str | None = None
    teacher_cert_no: str | None = None
    teacher_cert_subject: str | None = None
    ability_cert_no: str | None = None
    serving_school_teacher: bool = False
    hired_on: date | None = None
    campus_id: str | None = None


@dataclass(frozen=True)
class StaffInfo:
    staff_id: str
    name: str
    kind: str
    employment: str
    background_check: str
    teacher_cert_subject: str | None
    ability_cert_no: str | None
    id_number_masked: str | None


def add_campus(db: Database, actor: Actor, name: str, address: str | None = None) -> CampusInfo:
    require(actor, Permission.MANAGE_INSTITUTION)
    with db.transaction() as session:
        row = Campus(name=validate_name(name, "校区名称"), address=address)
        session.add(row)
        session.flush()
        audit(session, actor, "campus.add", "campus", row.id, name=row.name)
        return CampusInfo(row.id, row.name, row.address)


def add_room(db: Database, actor: Actor, campus_id: str, name: str, capacity: int = 0) -> RoomInfo:
    require(actor, Permission.MANAGE_INSTITUTION)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ValidationError("room.bad_capacity", capacity=capacity)
    with db.transaction() as session:
        get_live(session, Campus, campus_id)
        row = Room(campus_id=campus_id, name=validate_name(name, "教室名称"), capacity=capacity)
        session.add(row)
        session.flush()
        audit(session, actor, "room.add", "room", row.id, name=row.name)
        return RoomInfo(row.id, campus_id, row.name, capacity)


def _staff_info(row: Staff) -> StaffInfo:
    masked = mask_id_number(row.id_number) if row.id_number else None
    return StaffInfo(
        row.id,
        row.name,
        row.kind,
        row.employment,
        row.background_check,
        row.teacher_cert_subject,
        row.ability_cert_no,
        masked,
    )


def staff_problems(data: StaffInput) -> dict[str, str]:
    """Every problem ``add_staff``/``update_staff`` would refuse, by field of ``StaffInput``, in plain
    Chinese — for a form that shows them all as the user types (no database needed)."""
    checks: list[tuple[str, Callable[[], object]]] = [
        ("name", lambda: validate_name(data.name, "姓名")),
        ("phone", lambda: validate_mobile(data.phone) if data.phone else None),
        ("id_number", lambda: validate_id_number(data.id_number) if data.id_number else None),
        ("kind", lambda: require_choice("kind", data.kind, codes.STAFF_KINDS)),
        ("employment", lambda: require_choice("employment", data.employment, codes.EMPLOYMENTS)),
    ]
    found: dict[str, str] = {}
    for field, check in checks:
        try:
            check()
        except InstDeskError as exc:
            found[field] = exc.message
    if data.serving_school_teacher:
        found["serving_school_teacher"] = InstDeskError("staff.serving_school_teacher").message
    return found


def add_staff(db: Database, actor: Actor, data: StaffInput) -> StaffInfo:
    """Hire a person: ID number and mobile validated, serving school teachers refused (docs/domain.md)."""
    require(actor, Permission.MANAGE_STAFF)
    require_choice("kind", data.kind, codes.STAFF_KINDS)
    require_choice("employment", data.employment, codes.EMPLOYMENTS)
    card = validate_id_number(data.id_number) if data.id_number else None
    row = Staff(
        name=validate_name(data.name, "姓名"),
        gender=card.gender if card else data.gender,
        id_number=card.number if card else None,
        phone=validate_mobile(data.phone) if data.phone else None,
        kind=data.kind,
        employment=data.employment,
        teacher_cert_no=data.teacher_cert_no,
        teacher_cert_subject=data.teacher_cert_subject,
        ability_cert_no=data.ability_cert_no,
        serving_school_teacher=data.serving_school_teacher,
        background_check="none",
        hired_on=data.hired_on,
        campus_id=data.campus_id,
    )
    check_can_hire(staff_facts(row))
    with db.transaction() as session:
        if data.campus_id:
            get_live(session, Campus, data.campus_id)
        session.add(row)
        session.flush()
        audit(session, actor, "staff.add", "staff", row.id, name=row.name, kind=row.kind)
        return _staff_info(row)


#: fields of ``StaffInput`` a staff edit writes as given (the ID number only when a new one is typed)
_EDITED_AS_GIVEN = ("kind", "employment", "teacher_cert_no", "teacher_cert_subject", "ability_cert_no",
                    "serving_school_teacher", "hired_on", "campus_id")  # fmt: skip


def _apply_edit(row: Staff, data: StaffInput) -> list[str]:
    values = {name: getattr(data, name) for name in _EDITED_AS_GIVEN}
    values["name"] = validate_name(data.name, "姓名")
    values["phone"] = validate_mobile(data.phone) if data.phone else None
    if data.id_number:
        card = validate_id_number(data.id_number)
        values["id_number"], values["gender"] = card.number, card.gender
    changed = [key for key, value in values.items() if getattr(row, key) != value]
    for key in changed:
        setattr(row, key, values[key])
    return changed


def update_staff(db: Database, actor: Actor, staff_id: str, data: StaffInput) -> StaffInfo:
    """Save the edited facts of a staff member; refuses what ``add_staff`` would refuse. The 准入查询
    result is not edited here: the platform owns it."""
    require(actor, Permission.MANAGE_STAFF)
    require_choice("kind", data.kind, codes.STAFF_KINDS)
    require_choice("employment", data.employment, codes.EMPLOYMENTS)
    with db.transaction() as session:
        row = get_live(session, Staff, staff_id)
        if data.campus_id:
            get_live(session, Campus, data.campus_id)
        changed = _apply_edit(row, data)
        check_can_hire(staff_facts(row))
        if changed:
            fields = sorted(k for k in changed if k != "id_number")
            audit(session, actor, "staff.update", "staff", row.id, fields=fields)
        return _staff_info(row)


def set_background_check(
    db: Database, actor: Actor, staff_id: str, result: str, checked_at: datetime | None = None
) -> StaffInfo:
    """Record the 准入查询 result locally (the platform's answer overrides it when it syncs down)."""
    require(actor, Permission.MANAGE_STAFF)
    require_choice("background_check", result, codes.BACKGROUND_CHECKS)
    with db.transaction() as session:
        row = get_live(session, Staff, staff_id)
        row.background_check = BackgroundCheck(result)
        row.background_checked_at = checked_at or now_utc()
        audit(session, actor, "staff.background_check", "staff", row.id, result=result)
        return _staff_info(row)


def tombstone(db: Database, actor: Actor, permission: Permission, model: type[Any], row_id: str) -> None:
    require(actor, permission)
    with db.transaction() as session:
        row = get_live(session, model, row_id)
        if model is Course and session.scalar(
            select(Klass.id).where(Klass.course_id == row_id, Klass.deleted_at.is_(None)).limit(1)
        ):
            raise RuleViolation("course.in_use")
        row.deleted_at = now_utc()
        audit(session, actor, f"{model.__tablename__}.delete", model.__tablename__, row_id)


def delete_campus(db: Database, actor: Actor, campus_id: str) -> None:
    tombstone(db, actor, Permission.MANAGE_INSTITUTION, Campus, campus_id)


def delete_room(db: Database, actor: Actor, room_id: str) -> None:
    tombstone(db, actor, Permission.MANAGE_INSTITUTION, Room, room_id)


def delete_staff(db: Database, actor: Actor, staff_id: str) -> None:
    tombstone(db, actor, Permission.MANAGE_STAFF, Staff, staff_id)
