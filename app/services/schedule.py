"""The timetable: weekly schedule rules that generate lesson sessions, and single lessons (changes to one
lesson — cancel, move, substitute — are in ``app.services.lesson_changes``).

Everything is checked before anything is written, and every problem is reported with its date so the
manager sees the whole picture at once: the timetable rules of docs/domain.md (``check_slot``, online gaps),
double bookings of the teacher, the room, the class and each of its students against lessons already on
the timetable, and a teacher who may not teach (no passed 准入查询, no certificate for the category).
Generated sessions get deterministic ids (rule × date) and are written with one Core ``executemany``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_online_gap, check_slot, overlaps
from app.services.classes import check_teacher
from app.services.lookups import get_live, load_policy
from app.services.parsing import hhmm, parse_time
from localdb import ids
from localdb.codes import CourseCategory, Delivery, SessionStatus, Stage
from localdb.models import (
    Course,
    Klass,
    KlassMember,
    LessonSession,
    ScheduleRule,
    Staff,
    Student,
    metadata,
)

MESSAGES: dict[str, str] = {
    "schedule.rejected": "排课未通过检查，共{count}个问题，第一个：{first}",
    "schedule.bad_weekday": "星期须为0（周一）到6（周日）：{weekday}",
    "schedule.bad_range": "排课起止日期不正确：{valid_from}至{valid_to}（最长一年）",
    "schedule.no_dates": "{valid_from}至{valid_to}之间没有符合条件的上课日期",
    "schedule.teacher_busy": "{date}：教师{name}在{start}–{end}已有课",
    "schedule.room_busy": "{date}：教室在{start}–{end}已被占用",
    "schedule.class_busy": "{date}：本班在{start}–{end}已有课",
    "schedule.student_busy": "{date}：学员{name}在{start}–{end}已有其他班级的课",
    "schedule.teacher": "{message}",
    "schedule.all_closed": "{valid_from}至{valid_to}之间的上课日期都是节假日或寒暑假，没有可排的课",
}
InstDeskError.register(MESSAGES)

MAX_RULE_DAYS = 366
_SESSIONS = metadata.tables["lesson_session"]


@dataclass(frozen=True)
class ScheduleProblem:
    """One reason a lesson cannot be scheduled; ``day`` is None for problems of the whole request."""

    day: date | None
    code: str
    message: str


@dataclass(frozen=True)
class SkippedDate:
    """A date of a weekly rule on which the lesson may not take place (holiday, 寒暑假), with why."""

    day: date
    reason: str


@dataclass(frozen=True)
class ScheduleResult:
    rule_id: str | None
    sessions_created: int
    dates: tuple[date, ...]
    session_ids: tuple[str, ...]
    skipped: tuple[SkippedDate, ...] = ()


@dataclass(frozen=True)
class RulePreview:
    """What a weekly rule would do: the lessons it creates, the closed dates it skips, and the problems
    that would refuse it (double bookings, teacher, time of day), each with its sentence."""

    dates: tuple[date, ...]
    skipped: tuple[SkippedDate, ...]
    problems: tuple[ScheduleProblem, ...]


#: the calendar rules that close one date (a holiday, 寒暑假) rather than the whole weekly slot: a rule
#: skips those dates (listed for the manager to confirm) instead of being refused as a whole
CLOSED_DAY_CODES = frozenset({"timetable.subject_on_rest_day", "timetable.subject_in_break"})


@dataclass(frozen=True)
class _Planned:
    """A request resolved against the class: the slots to create and who/where they use."""

    klass: Klass
    course: Course
    start: time
    end: time
    dates: tuple[date, ...]
    teacher_id: str | None
    room_id: str | None
    exclude: str | None = None  # a lesson being moved or re-staffed is not its own double booking


def _slot(course: Course, day: date, start: time, end: time) -> LessonSlot:
    return LessonSlot(day, start, end, course.category, course.delivery, course.stage)


def _problem(day: date | None, code: str, message: str | None = None, **params: Any) -> ScheduleProblem:
    text = message or InstDeskError.messages.get(code, code).format(date=day, **params)
    return ScheduleProblem(day, code, text)


def _rule_problems(plan: _Planned, params: PolicyParams) -> list[ScheduleProblem]:
    found = []
    for day in plan.dates:
        for v in check_slot(_slot(plan.course, day, plan.start, plan.end), params):
            found.append(ScheduleProblem(day, v.code, f"{day}：{v.message}"))
    return found


def _teacher_problems(session: Session, plan: _Planned) -> list[ScheduleProblem]:
    if plan.teacher_id is None:
        return []
    try:
        check_teacher(session, plan.teacher_id, plan.course)
    except RuleViolation as exc:
        return [ScheduleProblem(None, exc.code, exc.message)]
    return []


def _existing(session: Session, plan: _Planned, where: Any) -> list[Any]:
    """Live, not cancelled sessions in the plan's date range matching ``where`` (with their course)."""
    query = (
        select(LessonSession, Course.delivery)
        .join(Klass, Klass.id == LessonSession.klass_id)
        .join(Course, Course.id == Klass.course_id)
        .where(
            LessonSession.date.between(plan.dates[0], plan.dates[-1]),
            LessonSession.status != SessionStatus.CANCELLED,
            LessonSession.deleted_at.is_(None),
            LessonSession.id != (plan.exclude or ""),
            where,
        )
    )
    wanted = set(plan.dates)
    return [row for row in session.execute(query) if row[0].date in wanted]


def _clash(plan: _Planned, other: LessonSession) -> bool:
    return overlaps(plan.start, plan.end, parse_time(other.start_time), parse_time(other.end_time))


def _booking_problems(session: Session, plan: _Planned) -> list[ScheduleProblem]:
    """The class, its teacher and its room against the timetable."""
    conditions = [LessonSession.klass_id == plan.klass.id]
    if plan.teacher_id:
        conditions.append(LessonSession.teacher_id == plan.teacher_id)
    if plan.room_id:
        conditions.append(LessonSession.room_id == plan.room_id)
    found = []
    for other, _delivery in _existing(session, plan, or_(*conditions)):
        if not _clash(plan, other):
            continue
        when = {"start": other.start_time, "end": other.end_time}
        if other.klass_id == plan.klass.id:
            found.append(_problem(other.date, "schedule.class_busy", **when))
        if plan.teacher_id and other.teacher_id == plan.teacher_id:
            found.append(_problem(other.date, "schedule.teacher_busy", name=_name(session, plan), **when))
        if plan.room_id and other.room_id == plan.room_id:
            found.append(_problem(other.date, "schedule.room_busy", **when))
    return found


def _name(session: Session, plan: _Planned) -> str:
    staff = session.get(Staff, plan.teacher_id) if plan.teacher_id else None
    return staff.name if staff else ""


def _members(session: Session, klass_id: str) -> list[tuple[str, str]]:
    query = (
        select(KlassMember.student_id, Student.name)
        .join(Student, Student.id == KlassMember.student_id)
        .where(
            KlassMember.klass_id == klass_id, KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None)
        )
    )
    return [(str(sid), str(name)) for sid, name in session.execute(query)]


def _student_problems(session: Session, plan: _Planned, params: PolicyParams) -> list[ScheduleProblem]:
    """Each student of the class against the lessons of their other classes (and online gaps)."""
    members = dict(_members(session, plan.klass.id))
    if not members:
        return []
    other_classes = (
        select(KlassMember.klass_id, KlassMember.student_id)
        .where(KlassMember.student_id.in_(members), KlassMember.klass_id != plan.klass.id)
        .where(KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None))
    )
    students_of: dict[str, list[str]] = defaultdict(list)
    for klass_id, student_id in session.execute(other_classes):
        students_of[str(klass_id)].append(str(student_id))
    if not students_of:
        return []
    found = []
    online: dict[str, list[LessonSlot]] = defaultdict(list)
    for other, delivery in _existing(session, plan, LessonSession.klass_id.in_(students_of)):
        for sid in students_of[other.klass_id]:
            if _clash(plan, other):
                found.append(
                    _problem(
                        other.date,
                        "schedule.student_busy",
                        name=members[sid],
                        start=other.start_time,
                        end=other.end_time,
                    )
                )
            elif delivery == "online" and plan.course.delivery == "online":
                slot = LessonSlot(
                    other.date,
                    parse_time(other.start_time),
                    parse_time(other.end_time),
                    CourseCategory.NON_SUBJECT,
                    Delivery.ONLINE,
                    Stage.OTHER,
                )
                online[sid].append(slot)
    for sid, slots in online.items():
        new = [_slot(plan.course, d, plan.start, plan.end) for d in {s.date for s in slots}]
        for v in check_online_gap([*slots, *new], params):
            found.append(ScheduleProblem(v.params.get("date"), v.code, f"{members[sid]}：{v.message}"))
    return found


def _class_gap_problems(session: Session, plan: _Planned, params: PolicyParams) -> list[ScheduleProblem]:
    """Online lessons of the class itself must keep the minimum gap with its other lessons that day."""
    if plan.course.delivery != "online":
        return []
    slots = [_slot(plan.course, d, plan.start, plan.end) for d in plan.dates]
    for other, _delivery in _existing(session, plan, LessonSession.klass_id == plan.klass.id):
        if not _clash(plan, other):  # overlaps are already reported as class_busy
            slots.append(
                _slot(plan.course, other.date, parse_time(other.start_time), parse_time(other.end_time))
            )
    return [ScheduleProblem(v.params.get("date"), v.code, v.message) for v in check_online_gap(slots, params)]


def _problems(session: Session, plan: _Planned) -> list[ScheduleProblem]:
    """Every problem of the plan, each once, in a stable order."""
    params = load_policy(session)
    problems = [
        *_teacher_problems(session, plan),
        *_rule_problems(plan, params),
        *_booking_problems(session, plan),
        *_student_problems(session, plan, params),
        *_class_gap_problems(session, plan, params),
    ]
    return list(dict.fromkeys(problems))


def check_plan(session: Session, plan: _Planned) -> None:
    """Refuse the plan as a whole when it has any problem (nothing is written)."""
    unique = _problems(session, plan)
    if unique:
        raise RuleViolation(
            "schedule.rejected", count=len(unique), first=unique[0].message, problems=tuple(unique)
        )


def plan_lessons(
    session: Session,
    klass_id: str,
    dates: list[date],
    start: str | time,
    end: str | time,
    teacher_id: str | None,
    room_id: str | None,
    exclude: str | None = None,
) -> _Planned:
    klass = get_live(session, Klass, klass_id)
    course = get_live(session, Course, klass.course_id)
    return _Planned(
        klass=klass,
        course=course,
        start=parse_time(start),
        end=parse_time(end),
        dates=tuple(sorted(dates)),
        teacher_id=teacher_id or klass.teacher_id,
        room_id=room_id or klass.room_id,
        exclude=exclude,
    )


def _insert_sessions(session: Session, plan: _Planned, rule_id: str | None, session_ids: list[str]) -> None:
    now = now_utc()
    units: Decimal = plan.course.units_per_lesson
    rows = [
        {
            "id": sid,
            "klass_id": plan.klass.id,
            "rule_id": rule_id,
            "date": day,
            "start_time": hhmm(plan.start),
            "end_time": hhmm(plan.end),
            "teacher_id": plan.teacher_id,
            "room_id": plan.room_id,
            "units_x100": units,
            "status": "scheduled",
            "version": 0,
            "created_at": now,
            "updated_at": now,
        }
        for sid, day in zip(session_ids, plan.dates, strict=True)
    ]
    session.execute(insert(_SESSIONS), rows)


def rule_dates(weekday: int, valid_from: date, valid_to: date) -> list[date]:
    """Every date with ``weekday`` (0 = Monday) in the inclusive range."""
    first = valid_from + timedelta(days=(weekday - valid_from.weekday()) % 7)
    return (
        [first + timedelta(weeks=k) for k in range(((valid_to - first).days // 7) + 1)]
        if first <= valid_to
        else []
    )


def _rule_dates(weekday: int, valid_from: date, valid_to: date) -> list[date]:
    if isinstance(weekday, bool) or weekday not in range(7):
        raise ValidationError("schedule.bad_weekday", weekday=weekday)
    if valid_to < valid_from or (valid_to - valid_from).days > MAX_RULE_DAYS:
        raise ValidationError("schedule.bad_range", valid_from=valid_from, valid_to=valid_to)
    dates = rule_dates(weekday, valid_from, valid_to)
    if not dates:
        raise ValidationError("schedule.no_dates", valid_from=valid_from, valid_to=valid_to)
    return dates


def _closed_dates(session: Session, plan: _Planned) -> tuple[SkippedDate, ...]:
    """The plan's dates closed by the calendar (holiday, 寒暑假), each with its first reason."""
    params = load_policy(session)
    found: dict[date, str] = {}
    for day in plan.dates:
        for v in check_slot(_slot(plan.course, day, plan.start, plan.end), params):
            if v.code in CLOSED_DAY_CODES:
                found.setdefault(day, v.message)
    return tuple(SkippedDate(day, reason) for day, reason in sorted(found.items()))


def _open_plan(session: Session, plan: _Planned) -> tuple[_Planned, tuple[SkippedDate, ...]]:
    skipped = _closed_dates(session, plan)
    closed = {s.day for s in skipped}
    return replace(plan, dates=tuple(d for d in plan.dates if d not in closed)), skipped


def preview_schedule_rule(
    db: Database,
    actor: Actor,
    klass_id: str,
    weekday: int,
    start: str | time,
    end: str | time,
    valid_from: date,
    valid_to: date,
    teacher_id: str | None = None,
    room_id: str | None = None,
) -> RulePreview:
    """What ``add_schedule_rule`` with ``skip_closed_days`` would create, skip and refuse; writes nothing."""
    require(actor, Permission.MANAGE_SCHEDULE)
    dates = _rule_dates(weekday, valid_from, valid_to)
    with db.reading() as session:
        plan, skipped = _open_plan(
            session, plan_lessons(session, klass_id, dates, start, end, teacher_id, room_id)
        )
        problems = _problems(session, plan) if plan.dates else []
        return RulePreview(plan.dates, skipped, tuple(problems))


def add_schedule_rule(
    db: Database,
    actor: Actor,
    klass_id: str,
    weekday: int,
    start: str | time,
    end: str | time,
    valid_from: date,
    valid_to: date,
    teacher_id: str | None = None,
    room_id: str | None = None,
    *,
    skip_closed_days: bool = False,
) -> ScheduleResult:
    """A weekly slot and all its lessons, or a ``schedule.rejected`` error listing every problem.

    With ``skip_closed_days`` the dates a holiday or 寒暑假 closes are left out (``ScheduleResult.skipped``,
    after the manager saw them in ``preview_schedule_rule``) instead of refusing the whole rule.
    """
    require(actor, Permission.MANAGE_SCHEDULE)
    dates = _rule_dates(weekday, valid_from, valid_to)
    with db.transaction() as session:
        plan = plan_lessons(session, klass_id, dates, start, end, teacher_id, room_id)
        skipped: tuple[SkippedDate, ...] = ()
        if skip_closed_days:
            plan, skipped = _open_plan(session, plan)
            if not plan.dates:
                raise RuleViolation("schedule.all_closed", valid_from=valid_from, valid_to=valid_to)
        check_plan(session, plan)
        rule = ScheduleRule(
            klass_id=klass_id,
            weekday=weekday,
            start_time=hhmm(plan.start),
            end_time=hhmm(plan.end),
            valid_from=valid_from,
            valid_to=valid_to,
            teacher_id=teacher_id,
            room_id=room_id,
        )
        session.add(rule)
        session.flush()
        sids = [ids.session_id(rule.id, d) for d in plan.dates]
        _insert_sessions(session, plan, rule.id, sids)
        audit(
            session,
            actor,
            "schedule.add_rule",
            "schedule_rule",
            rule.id,
            sessions=len(sids),
            skipped=[str(s.day) for s in skipped],
        )
        return ScheduleResult(rule.id, len(sids), plan.dates, tuple(sids), skipped)


def add_session(
    db: Database,
    actor: Actor,
    klass_id: str,
    day: date,
    start: str | time,
    end: str | time,
    teacher_id: str | None = None,
    room_id: str | None = None,
) -> ScheduleResult:
    """One extra lesson (a make-up lesson, a moved lesson), under the same checks as a rule."""
    require(actor, Permission.MANAGE_SCHEDULE)
    with db.transaction() as session:
        plan = plan_lessons(session, klass_id, [day], start, end, teacher_id, room_id)
        check_plan(session, plan)
        sid = ids.new_id()
        _insert_sessions(session, plan, None, [sid])
        audit(session, actor, "schedule.add_session", "lesson_session", sid, date=day)
        return ScheduleResult(None, 1, (day,), (sid,))
