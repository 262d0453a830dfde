"""课程 screen: the course list (paged), a course with its classes, and the live form checks.

``form_context`` loads once what the course form needs to run ``check_course`` on every keystroke (the
licence scope and the policy profile) and what the class dialog needs (teachers with their facts, rooms).
``course_violations`` is that check, pure; ``field_of`` says next to which field each violation belongs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import RuleViolation
from app.permissions import Actor, Permission, require
from app.policy import PolicyParams
from app.rules.course import check_course, class_size_tier
from app.rules.staff import StaffFacts, check_can_teach
from app.rules.violation import Violation, violation
from app.services.catalog import per_lesson_price
from app.services.facts import staff_facts
from app.services.lookups import get_live, institution, load_policy
from app.views._queries import current_members
from app.views.paging import Key, PageAt, in_order, keyed_page
from localdb.models import Course, Klass, Room, Staff

#: which form field a course violation is shown next to
VIOLATION_FIELDS: dict[str, str] = {
    "course.not_a_subject": "subject",
    "course.subject_as_non_subject": "subject",
    "course.category_not_licensed": "category",
    "course.delivery_not_licensed": "delivery",
    "course.preschool_online": "stage",
    "course.preschool_subject": "stage",
    "course.bad_minutes": "minutes",
    "course.online_too_long": "minutes",
    "course.bad_price": "price",
    "course.price_above_cap": "price",
}
_FORMAT_TIER = {"one_to_one": "small", "small": "small", "large": "large"}


@dataclass(frozen=True)
class CourseRow:
    course_id: str
    name: str
    category: str
    subject: str
    delivery: str
    stage: str
    minutes_per_lesson: int
    units_per_lesson: Decimal
    lessons_per_package: Decimal
    price_fen: int
    class_format: str
    absent_policy: str
    review_status: str
    review_reason: str | None
    classes: int
    pay_after_learning: bool = False  # 先学后付 (docs/pay_after.md)


@dataclass(frozen=True)
class KlassRow:
    klass_id: str
    name: str
    teacher_id: str | None
    teacher_name: str | None
    room_name: str | None
    capacity: int
    min_size: int
    members: int


@dataclass(frozen=True)
class TeacherChoice:
    staff_id: str
    name: str
    facts: StaffFacts


@dataclass(frozen=True)
class RoomChoice:
    room_id: str
    name: str
    capacity: int


@dataclass(frozen=True)
class FormContext:
    """What the course form and class dialog check against, loaded once per screen refresh."""

    category_scope: str
    delivery_scope: str
    params: PolicyParams
    teachers: tuple[TeacherChoice, ...]
    rooms: tuple[RoomChoice, ...]


@dataclass(frozen=True)
class CourseDraft:
    """The form's current values (before anything is saved)."""

    category: str
    subject: str
    delivery: str
    stage: str
    minutes_per_lesson: int
    price_fen: int
    lessons_per_package: Decimal
    class_format: str


def _klass_count() -> ScalarSelect[int]:
    return (
        select(func.count(Klass.id))
        .where(Klass.course_id == Course.id, Klass.deleted_at.is_(None))
        .scalar_subquery()
    )


def _row(course: Course, classes: int) -> CourseRow:
    return CourseRow(
        course.id,
        course.name,
        course.category,
        course.subject or "",
        course.delivery,
        course.stage,
        course.minutes_per_lesson,
        course.units_per_lesson,
        course.lessons_per_package,
        course.price_fen,
        course.class_format,
        course.absent_policy,
        course.review_status,
        course.review_reason,
        int(classes),
        course.pay_after_learning,
    )


def count_courses(db: Database, actor: Actor) -> int:
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        query = select(func.count(Course.id)).where(Course.deleted_at.is_(None))
        return int(session.scalar(query) or 0)


def list_courses(
    db: Database,
    actor: Actor,
    offset: int,
    limit: int,
    *,
    after: Key | None = None,
    before: Key | None = None,
) -> list[CourseRow]:
    """One page of live courses by name: after the row keyed ``after`` (``course_key``), before
    ``before``, or at ``offset`` (``app.views.paging``)."""
    require(actor, Permission.MANAGE_COURSES)
    query, backwards = keyed_page(
        select(Course, _klass_count()).where(Course.deleted_at.is_(None)),
        (Course.name, Course.id),
        PageAt(offset, after, before),
        limit,
    )
    with db.reading() as session:
        return in_order([_row(course, n) for course, n in session.execute(query)], backwards)


def course_key(row: CourseRow) -> Key:
    """A listed course's place in ``list_courses``' order."""
    return (row.name, row.course_id)


def course_row(db: Database, actor: Actor, course_id: str) -> CourseRow:
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        course = get_live(session, Course, course_id)
        count = session.scalar(
            select(func.count(Klass.id)).where(Klass.course_id == course_id, Klass.deleted_at.is_(None))
        )
        return _row(course, int(count or 0))


def course_classes(db: Database, actor: Actor, course_id: str) -> list[KlassRow]:
    """The live classes of a course with teacher, room and how many students sit in each."""
    require(actor, Permission.MANAGE_COURSES)
    query = (
        select(Klass, Staff.name, Room.name, current_members())
        .outerjoin(Staff, Staff.id == Klass.teacher_id)
        .outerjoin(Room, Room.id == Klass.room_id)
        .where(Klass.course_id == course_id, Klass.deleted_at.is_(None))
        .order_by(Klass.name, Klass.id)
    )
    with db.reading() as session:
        return [
            KlassRow(k.id, k.name, k.teacher_id, tname, rname, k.capacity, k.min_size, int(n))
            for k, tname, rname, n in session.execute(query)
        ]


def teachers_and_rooms(session: Session) -> tuple[tuple[TeacherChoice, ...], tuple[RoomChoice, ...]]:
    staff = session.scalars(
        select(Staff).where(Staff.deleted_at.is_(None), Staff.left_on.is_(None)).order_by(Staff.name)
    )
    rooms = session.scalars(select(Room).where(Room.deleted_at.is_(None)).order_by(Room.name))
    return (
        tuple(TeacherChoice(s.id, s.name, staff_facts(s)) for s in staff),
        tuple(RoomChoice(r.id, r.name, r.capacity) for r in rooms),
    )


def form_context(db: Database, actor: Actor) -> FormContext:
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        inst = institution(session)
        teachers, rooms = teachers_and_rooms(session)
        return FormContext(inst.category_scope, inst.delivery_scope, load_policy(session), teachers, rooms)


def course_violations(draft: CourseDraft, ctx: FormContext, tier: str | None = None) -> list[Violation]:
    """Every rule the draft breaks, as ``add_course``/``publish_course`` would check it.

    ``tier`` is the 政府指导价 class-size tier of a class (``add_class`` checks the price again with it);
    without it the tier follows the class format, as for the course itself.
    """
    if draft.lessons_per_package <= 0:
        return [violation("course.bad_units")]
    return check_course(
        draft.category,
        draft.subject,
        draft.delivery,
        draft.stage,
        draft.minutes_per_lesson,
        per_lesson_price(draft.price_fen, draft.lessons_per_package),
        tier or _FORMAT_TIER.get(draft.class_format, "small"),
        ctx.category_scope,
        ctx.delivery_scope,
        ctx.params,
    )


def field_of(found: Violation) -> str:
    """The form field a violation belongs next to (``"form"`` when none fits)."""
    return VIOLATION_FIELDS.get(found.code, "form")


def teacher_problem(facts: StaffFacts, category: str, subject: str) -> Violation | None:
    """Why this person may not teach the course, or ``None`` when they may."""
    try:
        check_can_teach(facts, category, subject)
    except RuleViolation as exc:
        return Violation(exc.code, dict(exc.params), exc.message)
    return None


def class_tier(capacity: int) -> str:
    return class_size_tier(max(1, capacity))
