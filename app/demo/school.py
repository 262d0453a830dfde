"""The demo institution's master data: campuses, rooms, teachers, courses, classes, timetable.

Classes are laid out on "tracks": one teacher and one room with a fixed set of weekly slots, so no
teacher, room or class is ever double-booked by construction. 学科 classes meet on weekday evenings
(18:00–19:30), 非学科 classes on weekends; every generated lesson date is passed through the same
``check_slot`` as hand-entered timetables and dropped when it breaks a rule (a statutory holiday, a 调休
Saturday that is a school day), and every teacher through ``check_can_teach``.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

from app.demo import catalog
from app.demo.people import IdNumbers, Row, SeededIds, staff_row
from app.policy import PolicyParams
from app.rules.course import check_course
from app.rules.staff import StaffFacts, check_can_teach, ratio_warnings
from app.rules.timetable import LessonSlot, check_slot
from localdb.codes import BackgroundCheck, CourseCategory, Delivery, Employment, StaffKind, Stage
from localdb.ids import session_id


@dataclass
class ClassPlan:
    """One class with its timetable; members are filled in by the enrolment plan."""

    id: str
    course_id: str
    spec: catalog.CourseSpec
    teacher_id: str
    room_id: str
    rule_id: str
    weekday: int
    start: str
    end: str
    sessions: list[tuple[str, date]] = field(default_factory=list)  # (session id, date), in date order
    size: int = 0

    def lessons_between(self, start: date, end: date) -> int:
        """How many of the class's lessons fall in ``[start, end]`` (sessions are in date order)."""
        days = [d for _, d in self.sessions]
        return bisect_right(days, end) - bisect_left(days, start)


@dataclass
class School:
    """Rows of the master tables, by table name, plus the class plans for enrolment."""

    rows: dict[str, list[Row]]
    classes: list[ClassPlan]
    course_ids: dict[str, str]  # course name → id


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def course_rows(ids: SeededIds, params: PolicyParams, when: datetime) -> list[Row]:
    """The catalog's courses, each checked by the same course rules as the course form."""
    rows: list[Row] = []
    for spec in catalog.COURSES:
        problems = check_course(
            spec.category,
            spec.subject,
            "offline",
            "compulsory",
            catalog.LESSON_MINUTES,
            spec.unit_price_fen,
            "medium",
            "both",
            "offline",
            params,
        )
        if problems:
            raise AssertionError(f"demo course {spec.name} breaks a rule: {problems}")
        package = Decimal(24)
        rows.append(
            {
                "id": ids.next(),
                "name": spec.name,
                "category": spec.category,
                "subject": spec.subject,
                "delivery": "offline",
                "stage": "compulsory",
                "minutes_per_lesson": catalog.LESSON_MINUTES,
                "units_per_lesson_x100": Decimal(catalog.UNITS_PER_LESSON),
                "lessons_per_package_x100": package,
                "price_fen": int(package) * spec.unit_price_fen,
                "absent_policy": "charge",
                "class_format": "small",
                "review_status": "approved",
                "published_at": when,
                "created_at": when,
                "updated_at": when,
            }
        )
    return rows


def _slots(category: str) -> list[tuple[int, str, str]]:
    if category == "subject":
        return [(weekday, *catalog.SUBJECT_SLOT) for weekday in range(5)]
    return [(weekday, start, end) for weekday in (5, 6) for start, end in catalog.WEEKEND_SLOTS]


@cache
def lesson_dates(
    weekday: int,
    start: str,
    end: str,
    category: CourseCategory,
    window: tuple[date, date],
    params: PolicyParams,
) -> tuple[date, ...]:
    """The weekly dates of one slot in the window that pass every timetable rule."""
    first = window[0] + timedelta(days=(weekday - window[0].weekday()) % 7)
    found: list[date] = []
    day = first
    while day <= window[1]:
        slot = LessonSlot(day, _hhmm(start), _hhmm(end), category, Delivery.OFFLINE, Stage.COMPULSORY)
        if not check_slot(slot, params):
            found.append(day)
        day += timedelta(days=7)
    return tuple(found)


class _Tracks:
    """Hands out (teacher, room, slot) triples: a new teacher and room when a track is full."""

    def __init__(
        self, rng: random.Random, ids: SeededIds, rows: dict[str, list[Row]], when: datetime
    ) -> None:
        self.rng, self.ids, self.rows, self.when = rng, ids, rows, when
        self.numbers = IdNumbers(random.Random(rng.random()))
        self.free: dict[str, list[tuple[str, str, int, str, str]]] = {}

    def take(self, spec: catalog.CourseSpec) -> tuple[str, str, int, str, str]:
        queue = self.free.setdefault(spec.subject, [])
        if not queue:
            teacher, room = self._open(spec)
            queue.extend((teacher, room, *slot) for slot in _slots(spec.category))
        return queue.pop(0)

    def _open(self, spec: catalog.CourseSpec) -> tuple[str, str]:
        campuses = self.rows["campus"]
        campus = campuses[len(self.rows["room"]) % len(campuses)]["id"]
        room = {
            "id": self.ids.next(),
            "campus_id": campus,
            "name": f"{len(self.rows['room']) + 101}教室",
            "capacity": catalog.CLASS_CAPACITY + 6,
            "created_at": self.when,
            "updated_at": self.when,
        }
        self.rows["room"].append(room)
        if spec.category == "subject":
            role = {
                "teacher_cert_no": f"JSZG{self.rng.randrange(10**10):010d}",
                "teacher_cert_subject": spec.subject,
            }
        else:
            role = {"ability_cert_no": f"ZYNL-{spec.subject}-{self.rng.randrange(10**6):06d}"}
        teacher = staff_row(self.rng, self.ids, self.numbers, campus, self.when, **role)
        facts = StaffFacts(
            StaffKind.TEACHING,
            Employment(teacher["employment"]),
            BackgroundCheck.PASSED,
            teacher.get("teacher_cert_subject"),
            teacher.get("ability_cert_no"),
            False,
        )
        check_can_teach(facts, spec.category, spec.subject)
        self.rows["staff"].append(teacher)
        return teacher["id"], room["id"]


def _class(
    spec: catalog.CourseSpec, course_id: str, n: int, track: tuple[str, str, int, str, str], ids: SeededIds
) -> ClassPlan:
    teacher, room, weekday, start, end = track
    return ClassPlan(ids.next(), course_id, spec, teacher, room, ids.next(), weekday, start, end)


def build_school(
    rng: random.Random,
    ids: SeededIds,
    demand: dict[str, int],
    window: tuple[date, date],
    params: PolicyParams,
    when: datetime,
    campuses: int,
) -> School:
    """Campuses, courses, and enough classes (≤ 24 students) for ``demand`` (students per course name)."""
    rows: dict[str, list[Row]] = {
        t: [] for t in ("campus", "room", "staff", "course", "klass", "schedule_rule", "lesson_session")
    }
    rows["campus"] = [
        {
            "id": ids.next(),
            "name": name,
            "address": f"{catalog.CITY}市{name}",
            "created_at": when,
            "updated_at": when,
        }
        for name in catalog.CAMPUS_NAMES[:campuses]
    ]
    rows["course"] = course_rows(ids, params, when)
    course_ids = {r["name"]: r["id"] for r in rows["course"]}
    tracks = _Tracks(rng, ids, rows, when)
    classes: list[ClassPlan] = []
    for spec in catalog.COURSES:
        needed = -(-demand.get(spec.name, 0) // catalog.CLASS_CAPACITY)
        for n in range(needed):
            plan = _class(spec, course_ids[spec.name], n, tracks.take(spec), ids)
            plan.sessions = [
                (session_id(plan.rule_id, d), d)
                for d in lesson_dates(plan.weekday, plan.start, plan.end, spec.category, window, params)
            ]
            classes.append(plan)
            _class_rows(rows, plan, n, window, when)
    _support_staff(rng, ids, rows, when)
    return School(rows, classes, course_ids)


def _class_rows(
    rows: dict[str, list[Row]], plan: ClassPlan, n: int, window: tuple[date, date], when: datetime
) -> None:
    stamp = {"created_at": when, "updated_at": when}
    rows["klass"].append(
        {
            "id": plan.id,
            "course_id": plan.course_id,
            "name": f"{plan.spec.subject}{n + 1}班",
            "code": f"{plan.spec.subject}-{n + 1:03d}",
            "teacher_id": plan.teacher_id,
            "room_id": plan.room_id,
            "capacity": catalog.CLASS_CAPACITY,
            "min_size": 5,
            "start_date": window[0],
            "end_date": window[1],
            **stamp,
        }
    )
    rows["schedule_rule"].append(
        {
            "id": plan.rule_id,
            "klass_id": plan.id,
            "weekday": plan.weekday,
            "start_time": plan.start,
            "end_time": plan.end,
            "valid_from": window[0],
            "valid_to": window[1],
            "teacher_id": plan.teacher_id,
            "room_id": plan.room_id,
            **stamp,
        }
    )
    for sid, day in plan.sessions:
        rows["lesson_session"].append(
            {
                "id": sid,
                "klass_id": plan.id,
                "rule_id": plan.rule_id,
                "date": day,
                "start_time": plan.start,
                "end_time": plan.end,
                "teacher_id": plan.teacher_id,
                "room_id": plan.room_id,
                "units_x100": Decimal(catalog.UNITS_PER_LESSON),
                "status": "held",
                **stamp,
            }
        )


def _support_staff(rng: random.Random, ids: SeededIds, rows: dict[str, list[Row]], when: datetime) -> None:
    """Front-desk and research staff (one per ten teachers), then the full-time ratio check."""
    numbers = IdNumbers(random.Random(rng.random()))
    teachers = len(rows["staff"])
    for n in range(max(1, teachers // 10)):
        campus = rows["campus"][n % len(rows["campus"])]["id"]
        kind = "research" if n % 3 == 0 else "other"
        rows["staff"].append(staff_row(rng, ids, numbers, campus, when, kind=kind, employment="full_time"))
    facts = [
        StaffFacts(
            StaffKind(s["kind"]), Employment(s["employment"]), BackgroundCheck.PASSED, None, None, False
        )
        for s in rows["staff"]
    ]
    warnings = ratio_warnings(facts, PolicyParams())
    if warnings:
        raise AssertionError(f"demo staff ratios: {warnings}")
