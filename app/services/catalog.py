"""Master data the manager keeps: courses here; campuses, rooms and staff in ``staffing``, classes in
``classes``, students in ``students``, all re-exported so the catalogue is one import for the screens.

Every rule of docs/domain.md that concerns a thing itself is checked when it is written (a serving school
teacher is never hired; a course outside the licence never saved), so later use cases can trust the rows.
Deletion is a tombstone (``deleted_at``) that syncs as a delete.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.money import prorate, require_fen
from app.permissions import Actor, Permission, require
from app.rules.course import check_course, class_size_tier
from app.rules.violation import raise_violations
from app.services.classes import (
    KlassInfo,
    KlassInput,
    MemberInfo,
    add_class,
    add_class_member,
    delete_class,
    remove_class_member,
)
from app.services.lookups import get_live, institution, load_policy
from app.services.parsing import require_choice, require_units
from app.services.staffing import (
    CampusInfo,
    RoomInfo,
    StaffInfo,
    StaffInput,
    add_campus,
    add_room,
    add_staff,
    delete_campus,
    delete_room,
    delete_staff,
    set_background_check,
    tombstone,
    update_staff,
)
from app.services.students import (
    GuardianInfo,
    StudentInfo,
    StudentInput,
    add_guardian,
    add_student,
    update_student,
)
from app.validators import validate_name
from localdb import codes
from localdb.codes import ReviewStatus
from localdb.models import Course

__all__ = [
    "CampusInfo",
    "CourseInfo",
    "CourseInput",
    "GuardianInfo",
    "KlassInfo",
    "KlassInput",
    "MemberInfo",
    "RoomInfo",
    "StaffInfo",
    "StaffInput",
    "StudentInfo",
    "StudentInput",
    "add_campus",
    "add_class",
    "add_class_member",
    "add_course",
    "add_guardian",
    "add_room",
    "add_staff",
    "update_staff",
    "add_student",
    "delete_campus",
    "delete_class",
    "delete_course",
    "delete_room",
    "delete_staff",
    "publish_course",
    "remove_class_member",
    "set_background_check",
    "update_course",
    "update_student",
]

MESSAGES: dict[str, str] = {
    "course.not_publishable": "课程当前状态为“{status}”，只有草稿或被驳回的课程可以提交上架审核",
    "course.bad_field": "课程不能修改字段“{field}”",
    "course.bad_units": "课程每次课时数和课时包课时数必须大于零",
}
InstDeskError.register(MESSAGES)

#: the class-size tier assumed for a course's price check when no class size is given
_FORMAT_TIER = {"one_to_one": "small", "small": "small", "large": "large"}


@dataclass(frozen=True)
class CourseInput:
    """A course offering; ``price_fen`` is the package price of ``lessons_per_package`` 课时.

    ``max_class_size`` chooses the 政府指导价 tier of the price check; without it the tier follows the
    class format (1-to-1 and small classes are checked against the small-class cap).
    """

    name: str
    category: str
    subject: str
    stage: str
    minutes_per_lesson: int
    lessons_per_package: Decimal
    price_fen: int
    delivery: str = "offline"
    units_per_lesson: Decimal = Decimal(1)
    absent_policy: str = "charge"
    class_format: str = "small"
    pay_after_learning: bool = False
    description: str | None = None
    max_class_size: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CourseInfo:
    course_id: str
    name: str
    category: str
    subject: str | None
    delivery: str
    stage: str
    minutes_per_lesson: int
    units_per_lesson: Decimal
    lessons_per_package: Decimal
    price_fen: int
    absent_policy: str
    class_format: str
    review_status: str
    pay_after_learning: bool = False


def _course_info(row: Course) -> CourseInfo:
    return CourseInfo(
        row.id,
        row.name,
        row.category,
        row.subject,
        row.delivery,
        row.stage,
        row.minutes_per_lesson,
        row.units_per_lesson,
        row.lessons_per_package,
        row.price_fen,
        row.absent_policy,
        row.class_format,
        row.review_status,
        row.pay_after_learning,
    )


def per_lesson_price(price_fen: int, units_per_package: Decimal) -> int:
    """Price of one 课时 in a package (the unit the 政府指导价 caps), rounded half up."""
    return prorate(price_fen, 1, units_per_package)


def check_course_input(session: Session, data: CourseInput, tier: str | None = None) -> None:
    """Run the course rules against the institution's licence scope and policy; raise them all."""
    for name, value, allowed in (
        ("category", data.category, codes.COURSE_CATEGORIES),
        ("delivery", data.delivery, codes.DELIVERIES),
        ("stage", data.stage, codes.STAGES),
        ("absent_policy", data.absent_policy, codes.ABSENT_POLICIES),
        ("class_format", data.class_format, codes.CLASS_FORMATS),
    ):
        require_choice(name, value, allowed)
    require_fen(data.price_fen, field="课程价格")
    if require_units(data.units_per_lesson) <= 0 or require_units(data.lessons_per_package) <= 0:
        raise ValidationError("course.bad_units")
    inst = institution(session)
    size_tier = tier or (
        class_size_tier(data.max_class_size) if data.max_class_size else _FORMAT_TIER[data.class_format]
    )
    raise_violations(
        check_course(
            data.category,
            data.subject,
            data.delivery,
            data.stage,
            data.minutes_per_lesson,
            per_lesson_price(data.price_fen, data.lessons_per_package),
            size_tier,
            inst.category_scope,
            inst.delivery_scope,
            load_policy(session),
        )
    )


def _course_fields(data: CourseInput) -> dict[str, Any]:
    return {
        "name": validate_name(data.name, "课程名称"),
        "category": data.category,
        "subject": data.subject.strip(),
        "delivery": data.delivery,
        "stage": data.stage,
        "minutes_per_lesson": data.minutes_per_lesson,
        "units_per_lesson": data.units_per_lesson,
        "lessons_per_package": data.lessons_per_package,
        "price_fen": data.price_fen,
        "pay_after_learning": data.pay_after_learning,
        "absent_policy": data.absent_policy,
        "class_format": data.class_format,
        "description": data.description,
    }


def add_course(db: Database, actor: Actor, data: CourseInput) -> CourseInfo:
    """Create a draft course after checking category, licence scope, stage, length and price cap."""
    require(actor, Permission.MANAGE_COURSES)
    with db.transaction() as session:
        check_course_input(session, data)
        row = Course(**_course_fields(data), review_status=ReviewStatus.DRAFT)
        session.add(row)
        session.flush()
        audit(session, actor, "course.add", "course", row.id, name=row.name)
        return _course_info(row)


def _course_input(row: Course) -> CourseInput:
    return CourseInput(
        name=row.name,
        category=row.category,
        subject=row.subject or "",
        stage=row.stage,
        minutes_per_lesson=row.minutes_per_lesson,
        lessons_per_package=row.lessons_per_package,
        price_fen=row.price_fen,
        delivery=row.delivery,
        units_per_lesson=row.units_per_lesson,
        absent_policy=row.absent_policy,
        class_format=row.class_format,
        pay_after_learning=row.pay_after_learning,
        description=row.description,
    )


def update_course(db: Database, actor: Actor, course_id: str, **changes: Any) -> CourseInfo:
    """Change course fields; the rules run again and a reviewed course goes back to draft (re-review)."""
    require(actor, Permission.MANAGE_COURSES)
    allowed = set(CourseInput.__dataclass_fields__)
    for name in changes:
        if name not in allowed:
            raise ValidationError("course.bad_field", field=name)
    with db.transaction() as session:
        row = get_live(session, Course, course_id)
        data = replace(_course_input(row), **changes)
        check_course_input(session, data)
        for key, value in _course_fields(data).items():
            setattr(row, key, value)
        if row.review_status in (ReviewStatus.PENDING, ReviewStatus.APPROVED):
            row.review_status = ReviewStatus.DRAFT
        audit(session, actor, "course.update", "course", row.id, fields=sorted(changes))
        session.flush()
        return _course_info(row)


def publish_course(db: Database, actor: Actor, course_id: str) -> CourseInfo:
    """Submit for 上架 review (draft/rejected → pending); the next sync sends it to the platform."""
    require(actor, Permission.MANAGE_COURSES)
    with db.transaction() as session:
        row = get_live(session, Course, course_id)
        if row.review_status not in (ReviewStatus.DRAFT, ReviewStatus.REJECTED):
            raise RuleViolation("course.not_publishable", status=row.review_status)
        check_course_input(session, _course_input(row))
        row.review_status = ReviewStatus.PENDING
        row.published_at = now_utc()
        audit(session, actor, "course.publish", "course", row.id)
        return _course_info(row)


def delete_course(db: Database, actor: Actor, course_id: str) -> None:
    """Tombstone a course that has no live class left."""
    tombstone(db, actor, Permission.MANAGE_COURSES, Course, course_id)
