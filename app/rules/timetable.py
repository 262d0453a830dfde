"""When a lesson may take place (双减 opinion and docs/domain.md, numbers from ``PolicyParams``).

学科类 lessons for 义务教育 students: not on rest days (weekends and statutory holidays, except the
调休 weekend days that are school days) and not in the profile's 寒暑假. Nobody of school age during
school hours on school days. Offline lessons end by 20:30, online ones by 21:00, last at most 30 minutes
and are at least 10 minutes apart. Nothing online and nothing 学科 for pre-school children.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol, TypeVar

from app.errors import InstDeskError
from app.policy import PolicyParams
from app.rules.violation import Violation, raise_violations, violation
from app.workcal import in_ranges, is_school_day, is_statutory_holiday, is_working_day
from localdb.codes import CourseCategory, Delivery, Stage

__all__ = [
    "LessonSlot",
    "Violation",
    "check_online_gap",
    "check_slot",
    "minutes_between",
    "overlaps",
    "raise_violations",
]

MESSAGES: dict[str, str] = {
    "timetable.end_before_start": "下课时间{end}必须晚于上课时间{start}",
    "timetable.subject_on_rest_day": "义务教育阶段学科类培训不得安排在{day_kind}（{date}）",
    "timetable.subject_in_break": "义务教育阶段学科类培训不得安排在寒暑假（{date}）",
    "timetable.offline_too_late": "线下培训结束时间不得晚于{latest}，本节课{end}结束",
    "timetable.online_too_late": "线上培训结束时间不得晚于{latest}，本节课{end}结束",
    "timetable.online_too_long": "线上培训每课时不得超过{max_minutes}分钟，本节课{minutes}分钟",
    "timetable.online_gap_too_short": (
        "线上培训课程间隔不得少于{min_gap}分钟（{date} {previous_end}至{next_start}）"
    ),
    "timetable.preschool_online": "不得面向学龄前儿童开展线上培训",
    "timetable.preschool_subject": "不得面向学龄前儿童开展学科类（含外语）培训",
    "timetable.during_school_hours": "培训时间不得与中小学校教学时间（{school_start}–{school_end}）重叠",
}
InstDeskError.register(MESSAGES)


class _Comparable(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


T = TypeVar("T", bound=_Comparable)


def overlaps(a_start: T, a_end: T, b_start: T, b_end: T) -> bool:
    """Whether two half-open intervals overlap; touching ends (10:00–11:00 and 11:00–12:00) do not.

    Used for the double-booking checks of teachers, rooms, classes and students. An empty interval
    (end not after start) overlaps nothing.
    """
    return a_start < a_end and b_start < b_end and a_start < b_end and b_start < a_end


def minutes_between(start: time, end: time) -> int:
    """Whole minutes from ``start`` to ``end`` on the same day (negative if ``end`` is earlier)."""
    day = date(2000, 1, 1)
    return int((datetime.combine(day, end) - datetime.combine(day, start)).total_seconds() // 60)


@dataclass(frozen=True)
class LessonSlot:
    """One lesson on the timetable: when, what category, how it is delivered, and for which stage."""

    date: dt.date
    start: dt.time
    end: dt.time
    category: CourseCategory
    delivery: Delivery
    stage: Stage


def _hhmm(t: time) -> str:
    return f"{t:%H:%M}"


def _calendar_violations(slot: LessonSlot, params: PolicyParams) -> list[Violation]:
    if slot.category != CourseCategory.SUBJECT or slot.stage != Stage.COMPULSORY:
        return []
    found: list[Violation] = []
    if not is_working_day(slot.date):
        kind = "法定节假日" if is_statutory_holiday(slot.date) else "周末"
        found.append(violation("timetable.subject_on_rest_day", date=slot.date, day_kind=kind))
    if in_ranges(slot.date, params.breaks):
        found.append(violation("timetable.subject_in_break", date=slot.date))
    return found


def _school_hours_violations(slot: LessonSlot, params: PolicyParams) -> list[Violation]:
    if slot.stage != Stage.COMPULSORY or not is_school_day(slot.date, params.breaks):
        return []
    school_start, school_end = params.school_hours_times()
    if not overlaps(slot.start, slot.end, school_start, school_end):
        return []
    return [
        violation(
            "timetable.during_school_hours",
            school_start=_hhmm(school_start),
            school_end=_hhmm(school_end),
        )
    ]


def _clock_violations(slot: LessonSlot, params: PolicyParams) -> list[Violation]:
    latest = params.latest_end(slot.delivery)
    found: list[Violation] = []
    if slot.end > latest:
        code = (
            "timetable.online_too_late" if slot.delivery == Delivery.ONLINE else "timetable.offline_too_late"
        )
        found.append(violation(code, end=_hhmm(slot.end), latest=_hhmm(latest)))
    minutes = minutes_between(slot.start, slot.end)
    if slot.delivery == Delivery.ONLINE and minutes > params.online_max_minutes:
        found.append(
            violation("timetable.online_too_long", minutes=minutes, max_minutes=params.online_max_minutes)
        )
    return found


def _preschool_violations(slot: LessonSlot) -> list[Violation]:
    if slot.stage != Stage.PRESCHOOL:
        return []
    found: list[Violation] = []
    if slot.delivery == Delivery.ONLINE:
        found.append(violation("timetable.preschool_online"))
    if slot.category == CourseCategory.SUBJECT:
        found.append(violation("timetable.preschool_subject"))
    return found


def check_slot(slot: LessonSlot, params: PolicyParams) -> list[Violation]:
    """Every timetable rule the lesson breaks (empty when it may be scheduled)."""
    if slot.end <= slot.start:
        found = [violation("timetable.end_before_start", start=_hhmm(slot.start), end=_hhmm(slot.end))]
    else:
        found = [*_clock_violations(slot, params), *_school_hours_violations(slot, params)]
    return [*found, *_calendar_violations(slot, params), *_preschool_violations(slot)]


def _gap_violations(day: date, slots: Sequence[LessonSlot], min_gap: int) -> Iterable[Violation]:
    latest_end: time | None = None
    for slot in sorted(slots, key=lambda s: (s.start, s.end)):
        if latest_end is not None and minutes_between(latest_end, slot.start) < min_gap:
            yield violation(
                "timetable.online_gap_too_short",
                date=day,
                previous_end=_hhmm(latest_end),
                next_start=_hhmm(slot.start),
                min_gap=min_gap,
            )
        latest_end = slot.end if latest_end is None else max(latest_end, slot.end)


def check_online_gap(slots: Sequence[LessonSlot], params: PolicyParams) -> list[Violation]:
    """Online lessons of one student or class on one day need at least 10 minutes between them.

    ``slots`` are the lessons of the same student (or class); offline lessons are ignored. Overlapping
    online lessons count as a gap that is too short.
    """
    by_day: dict[date, list[LessonSlot]] = defaultdict(list)
    for slot in slots:
        if slot.delivery == Delivery.ONLINE:
            by_day[slot.date].append(slot)
    found: list[Violation] = []
    for day in sorted(by_day):
        found.extend(_gap_violations(day, by_day[day], params.online_min_gap_minutes))
    return found
