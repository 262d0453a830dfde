"""排课 screen: one week of lessons with their double bookings and timetable-rule violations.

A lesson is marked when its teacher or room is booked twice at overlapping times on the same day, and
when it breaks a rule of ``app.rules.timetable.check_slot`` (for example a policy profile changed after it
was planned). Each problem carries its sentence so the week view can show it on hover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select

from app.db import Database
from app.errors import InstDeskError
from app.permissions import Actor, Permission, require
from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_slot, overlaps
from app.rules.violation import Violation, violation
from app.services.lookups import load_policy
from app.services.parsing import parse_time
from app.views.courses import RoomChoice, TeacherChoice, teachers_and_rooms
from localdb.codes import CourseCategory, Delivery, SessionStatus, Stage
from localdb.models import Course, Klass, LessonSession, Room, Staff

MESSAGES: dict[str, str] = {
    "week.teacher_double": "教师{name}在{start}–{end}同时有两节课（{other}）",
    "week.room_double": "教室{name}在{start}–{end}被重复占用（{other}）",
    "week.class_double": "班级{name}在{start}–{end}有两节课重叠（{other}）",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class WeekLesson:
    session_id: str
    klass_id: str
    day: date
    start: str
    end: str
    klass_name: str
    course_name: str
    category: CourseCategory
    delivery: Delivery
    stage: Stage
    teacher_id: str | None
    teacher_name: str | None
    room_id: str | None
    room_name: str | None
    status: str
    problems: tuple[Violation, ...] = ()

    @property
    def conflicted(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class KlassChoice:
    klass_id: str
    name: str
    course_name: str
    teacher_id: str | None
    room_id: str | None


@dataclass(frozen=True)
class Week:
    monday: date
    lessons: tuple[WeekLesson, ...]
    teachers: tuple[TeacherChoice, ...]
    rooms: tuple[RoomChoice, ...]

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _label(lesson: WeekLesson) -> str:
    return f"{lesson.klass_name} {lesson.start}–{lesson.end}"


def _double_bookings(lessons: list[WeekLesson], key: str, code: str) -> dict[str, list[Violation]]:
    """Pairs of lessons sharing a teacher (or room) on one day at overlapping times."""
    groups: dict[tuple[date, str], list[WeekLesson]] = defaultdict(list)
    for lesson in lessons:
        owner = getattr(lesson, f"{key}_id")
        if owner and lesson.status != SessionStatus.CANCELLED:
            groups[(lesson.day, owner)].append(lesson)
    found: dict[str, list[Violation]] = defaultdict(list)
    for group in groups.values():
        for a in group:
            for b in group:
                if a is not b and overlaps(
                    parse_time(a.start), parse_time(a.end), parse_time(b.start), parse_time(b.end)
                ):
                    name = getattr(a, f"{key}_name") or ""
                    found[a.session_id].append(
                        violation(code, name=name, start=a.start, end=a.end, other=_label(b))
                    )
    return found


def _rule_problems(lesson: WeekLesson, params: PolicyParams) -> list[Violation]:
    slot = LessonSlot(
        lesson.day, parse_time(lesson.start), parse_time(lesson.end),
        lesson.category, lesson.delivery, lesson.stage,
    )  # fmt: skip
    return check_slot(slot, params)


def mark_problems(lessons: Iterable[WeekLesson], params: PolicyParams) -> list[WeekLesson]:
    """The lessons with their double bookings and rule violations attached (cancelled ones are left)."""
    found = list(lessons)
    teachers = _double_bookings(found, "teacher", "week.teacher_double")
    rooms = _double_bookings(found, "room", "week.room_double")
    classes = _double_bookings(found, "klass", "week.class_double")
    marked = []
    for lesson in found:
        if lesson.status == SessionStatus.CANCELLED:
            marked.append(lesson)
            continue
        problems = [
            *teachers.get(lesson.session_id, []),
            *rooms.get(lesson.session_id, []),
            *classes.get(lesson.session_id, []),
            *_rule_problems(lesson, params),
        ]
        marked.append(replace(lesson, problems=tuple(problems)))
    return marked


def _lessons(db: Database, monday: date) -> tuple[list[WeekLesson], PolicyParams]:
    query = (
        select(LessonSession, Klass.name, Course, Staff.name, Room.name)
        .join(Klass, Klass.id == LessonSession.klass_id)
        .join(Course, Course.id == Klass.course_id)
        .outerjoin(Staff, Staff.id == LessonSession.teacher_id)
        .outerjoin(Room, Room.id == LessonSession.room_id)
        .where(
            LessonSession.date.between(monday, monday + timedelta(days=6)), LessonSession.deleted_at.is_(None)
        )
        .order_by(LessonSession.date, LessonSession.start_time, Klass.name)
    )
    with db.reading() as session:
        lessons = [
            WeekLesson(
                s.id,
                s.klass_id,
                s.date,
                s.start_time,
                s.end_time,
                kname,
                c.name,
                c.category,
                c.delivery,
                c.stage,
                s.teacher_id,
                tname,
                s.room_id,
                rname,
                s.status,
            )
            for s, kname, c, tname, rname in session.execute(query)
        ]
        return lessons, load_policy(session)


def week_view(db: Database, actor: Actor, day: date) -> Week:
    """The week (Monday to Sunday) containing ``day``, every lesson checked."""
    require(actor, Permission.MANAGE_SCHEDULE)
    monday = monday_of(day)
    lessons, params = _lessons(db, monday)
    with db.reading() as session:
        teachers, rooms = teachers_and_rooms(session)
    return Week(monday, tuple(mark_problems(lessons, params)), teachers, rooms)


def class_choices(db: Database, actor: Actor) -> list[KlassChoice]:
    """Every live class with its course, default teacher and room (the rule dialog's list)."""
    require(actor, Permission.MANAGE_SCHEDULE)
    query = (
        select(Klass, Course.name)
        .join(Course, Course.id == Klass.course_id)
        .where(Klass.deleted_at.is_(None), Course.deleted_at.is_(None))
        .order_by(Course.name, Klass.name)
    )
    with db.reading() as session:
        return [
            KlassChoice(k.id, k.name, cname, k.teacher_id, k.room_id) for k, cname in session.execute(query)
        ]
