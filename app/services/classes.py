"""班级 (classes) and their members.

A class binds a course to a teacher and a room; the teacher must be allowed to teach the course's
category and subject (passed 准入查询, the right certificate) *before* anything is scheduled, and the
class size picks the 政府指导价 tier the course price is checked against again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import local_today, now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.money import prorate
from app.permissions import Actor, Permission, require
from app.rules.child import Child, child_violations
from app.rules.course import check_course, class_size_tier
from app.rules.staff import check_can_teach
from app.rules.violation import raise_violations
from app.services.facts import staff_facts
from app.services.lookups import get_live, institution, load_policy
from app.validators import validate_name
from localdb.models import Contract, Course, Klass, KlassMember, Room, Staff, Student

MESSAGES: dict[str, str] = {
    "klass.bad_size": "班级容量须为正整数，最低开班人数须在0到容量之间（容量{capacity}，最低{min_size}）",
    "klass.one_to_one": "一对一课程的班级容量只能为1",
    "klass.full": "班级已满（容量{capacity}人）",
    "klass.already_member": "该学员已在班级中",
    "klass.room_too_small": "教室容量{room_capacity}人，小于班级容量{capacity}人",
    "klass.contract_mismatch": "合同不属于该学员或该课程",
    "klass.in_use": "该班级还有在读学员，不能删除",
    "klass.not_member": "该学员不在此班级中",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class KlassInput:
    course_id: str
    name: str
    capacity: int
    min_size: int = 0
    teacher_id: str | None = None
    room_id: str | None = None
    code: str | None = None
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class KlassInfo:
    klass_id: str
    course_id: str
    name: str
    teacher_id: str | None
    room_id: str | None
    capacity: int
    min_size: int


@dataclass(frozen=True)
class MemberInfo:
    member_id: str
    klass_id: str
    student_id: str
    contract_id: str | None


def as_child(student: Student) -> Child:
    """What the child rules (``app.rules.child``) need of a student row."""
    return Child(student.name, student.stage, student.birth_date)


def _klass_info(row: Klass) -> KlassInfo:
    return KlassInfo(row.id, row.course_id, row.name, row.teacher_id, row.room_id, row.capacity, row.min_size)


def check_teacher(session: Session, teacher_id: str, course: Course) -> Staff:
    """The teacher may teach this course (passed check, certificate for the category and subject)."""
    teacher = get_live(session, Staff, teacher_id)
    check_can_teach(staff_facts(teacher), course.category, course.subject or "")
    return teacher


def _check_size(data: KlassInput, course: Course) -> None:
    bad = isinstance(data.capacity, bool) or not isinstance(data.capacity, int) or data.capacity < 1
    if bad or not 0 <= data.min_size <= data.capacity:
        raise ValidationError("klass.bad_size", capacity=data.capacity, min_size=data.min_size)
    if course.class_format == "one_to_one" and data.capacity != 1:
        raise ValidationError("klass.one_to_one")


def _check_price_tier(session: Session, course: Course, capacity: int) -> None:
    """The course price against the cap of this class's size tier (the tier is a property of a class)."""
    inst = institution(session)
    raise_violations(
        check_course(
            course.category,
            course.subject or "",
            course.delivery,
            course.stage,
            course.minutes_per_lesson,
            prorate(course.price_fen, 1, course.lessons_per_package),
            class_size_tier(capacity),
            inst.category_scope,
            inst.delivery_scope,
            load_policy(session),
        )
    )


def add_class(db: Database, actor: Actor, data: KlassInput) -> KlassInfo:
    """Open a class; its teacher is checked now so no one unqualified ever reaches the timetable."""
    require(actor, Permission.MANAGE_CLASSES)
    with db.transaction() as session:
        course = get_live(session, Course, data.course_id)
        _check_size(data, course)
        if data.teacher_id:
            check_teacher(session, data.teacher_id, course)
        if data.room_id:
            room = get_live(session, Room, data.room_id)
            if room.capacity and room.capacity < data.capacity:
                raise RuleViolation(
                    "klass.room_too_small", room_capacity=room.capacity, capacity=data.capacity
                )
        _check_price_tier(session, course, data.capacity)
        row = Klass(
            course_id=course.id,
            name=validate_name(data.name, "班级名称"),
            code=data.code,
            teacher_id=data.teacher_id,
            room_id=data.room_id,
            capacity=data.capacity,
            min_size=data.min_size,
            start_date=data.start_date,
            end_date=data.end_date,
        )
        session.add(row)
        session.flush()
        audit(session, actor, "klass.add", "klass", row.id, name=row.name, course_id=course.id)
        return _klass_info(row)


def live_member(session: Session, klass_id: str, student_id: str) -> KlassMember | None:
    return session.scalars(
        select(KlassMember).where(
            KlassMember.klass_id == klass_id,
            KlassMember.student_id == student_id,
            KlassMember.deleted_at.is_(None),
            KlassMember.left_on.is_(None),
        )
    ).first()


def join_class(
    session: Session, actor: Actor, klass: Klass, student_id: str, contract_id: str | None, *, strict: bool
) -> KlassMember:
    """Add a student to a class inside the caller's transaction (enrollment reuses an existing seat)."""
    existing = live_member(session, klass.id, student_id)
    if existing is not None:
        if strict:
            raise RuleViolation("klass.already_member")
        if contract_id and existing.contract_id != contract_id:
            existing.contract_id = contract_id
        return existing
    count = session.scalar(
        select(func.count()).where(
            KlassMember.klass_id == klass.id, KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None)
        )
    )
    if (count or 0) >= klass.capacity:
        raise RuleViolation("klass.full", capacity=klass.capacity)
    member = KlassMember(
        klass_id=klass.id, student_id=student_id, contract_id=contract_id, joined_on=local_today()
    )
    session.add(member)
    session.flush()
    audit(session, actor, "klass.join", "klass_member", member.id, klass_id=klass.id, student_id=student_id)
    return member


def add_class_member(
    db: Database, actor: Actor, klass_id: str, student_id: str, contract_id: str | None = None
) -> MemberInfo:
    require(actor, Permission.MANAGE_CLASSES)
    with db.transaction() as session:
        klass = get_live(session, Klass, klass_id)
        student = get_live(session, Student, student_id)
        course = get_live(session, Course, klass.course_id)
        raise_violations(child_violations(as_child(student), local_today(), course.category, course.delivery))
        if contract_id:
            contract = session.get(Contract, contract_id)
            if contract is None or contract.student_id != student_id or contract.course_id != klass.course_id:
                raise RuleViolation("klass.contract_mismatch")
        member = join_class(session, actor, klass, student_id, contract_id, strict=True)
        return MemberInfo(member.id, klass_id, student_id, member.contract_id)


def remove_class_member(db: Database, actor: Actor, klass_id: str, student_id: str) -> None:
    """The student leaves the class (left_on today); attendance already recorded stays."""
    require(actor, Permission.MANAGE_CLASSES)
    with db.transaction() as session:
        member = live_member(session, klass_id, student_id)
        if member is None:
            raise RuleViolation("klass.not_member", student_id=student_id)
        member.left_on = local_today()
        member.deleted_at = now_utc()
        audit(
            session, actor, "klass.leave", "klass_member", member.id, klass_id=klass_id, student_id=student_id
        )


def delete_class(db: Database, actor: Actor, klass_id: str) -> None:
    """Tombstone a class that no longer has students."""
    require(actor, Permission.MANAGE_CLASSES)
    with db.transaction() as session:
        row = get_live(session, Klass, klass_id)
        if session.scalar(
            select(KlassMember.id)
            .where(KlassMember.klass_id == klass_id, KlassMember.deleted_at.is_(None))
            .where(KlassMember.left_on.is_(None))
            .limit(1)
        ):
            raise RuleViolation("klass.in_use")
        row.deleted_at = now_utc()
        audit(session, actor, "klass.delete", "klass", klass_id)
