"""Timetable rules: rest days with 调休, breaks, clock limits, online length and gaps, pre-school."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import RuleViolation
from app.policy import NATIONAL_DEFAULT, PolicyParams
from app.rules.timetable import (
    LessonSlot,
    check_online_gap,
    check_slot,
    minutes_between,
    overlaps,
    raise_violations,
)
from localdb.codes import CourseCategory, Delivery, Stage

WEDNESDAY = date(2026, 3, 4)
SATURDAY = date(2026, 3, 7)
SUBJECT = LessonSlot(
    WEDNESDAY, time(18, 0), time(19, 30), CourseCategory.SUBJECT, Delivery.OFFLINE, Stage.COMPULSORY
)
ONLINE = LessonSlot(
    WEDNESDAY, time(19, 0), time(19, 30), CourseCategory.SUBJECT, Delivery.ONLINE, Stage.COMPULSORY
)
WINTER = PolicyParams.from_json(
    '{"school_calendar": "测试校历", "winter_break": [["2026-01-24", "2026-02-28"]], "summer_break": []}'
)
#: a region without breaks: the 调休 and holiday rules on their own
NO_BREAKS = PolicyParams.from_json('{"school_calendar": "测试校历", "winter_break": [], "summer_break": []}')


def codes(slot: LessonSlot, params: PolicyParams = NO_BREAKS) -> list[str]:
    return [v.code for v in check_slot(slot, params)]


def test_an_ordinary_evening_lesson_is_fine() -> None:
    assert codes(SUBJECT) == []
    assert codes(ONLINE) == []


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 10, 10), date(2026, 1, 4), date(2026, 9, 20)])
def test_subject_on_a_tiaoxiu_working_weekend_is_allowed(day: date) -> None:
    assert codes(replace(SUBJECT, date=day)) == []


def test_subject_on_a_normal_saturday_is_not() -> None:
    [v] = check_slot(replace(SUBJECT, date=SATURDAY, start=time(9), end=time(10)), NATIONAL_DEFAULT)
    assert v.code == "timetable.subject_on_rest_day"
    assert "周末" in v.message


@pytest.mark.parametrize("day", [date(2026, 10, 1), date(2026, 2, 16), date(2026, 4, 6), date(2026, 9, 25)])
def test_subject_on_a_statutory_holiday_weekday_is_not(day: date) -> None:
    [v] = check_slot(replace(SUBJECT, date=day), NO_BREAKS)
    assert v.code == "timetable.subject_on_rest_day"
    assert "法定节假日" in v.message


def test_non_subject_and_other_stages_may_use_weekends() -> None:
    saturday_morning = replace(SUBJECT, date=SATURDAY, start=time(9), end=time(10))
    assert codes(replace(saturday_morning, category=CourseCategory.NON_SUBJECT)) == []
    assert codes(replace(saturday_morning, stage=Stage.HIGH_SCHOOL)) == []


def test_subject_in_the_configured_break() -> None:
    assert codes(replace(SUBJECT, date=date(2026, 2, 10)), WINTER) == ["timetable.subject_in_break"]
    # the 调休 Saturday inside the winter break is still in the break
    assert codes(replace(SUBJECT, date=date(2026, 2, 14)), WINTER) == ["timetable.subject_in_break"]
    assert codes(replace(SUBJECT, date=date(2026, 3, 2)), WINTER) == []
    assert codes(replace(SUBJECT, date=date(2026, 2, 10), category=CourseCategory.NON_SUBJECT), WINTER) == []


def test_offline_2030_ok_2031_not() -> None:
    assert codes(replace(SUBJECT, start=time(19), end=time(20, 30))) == []
    [v] = check_slot(replace(SUBJECT, start=time(19), end=time(20, 31)), NATIONAL_DEFAULT)
    assert v.code == "timetable.offline_too_late"
    assert v.params == {"end": "20:31", "latest": "20:30"}


def test_online_2100_ok_2101_not() -> None:
    assert codes(replace(ONLINE, start=time(20, 30), end=time(21, 0))) == []
    assert codes(replace(ONLINE, start=time(20, 31), end=time(21, 1))) == ["timetable.online_too_late"]
    # online lessons may end after the offline limit
    assert codes(replace(ONLINE, start=time(20, 25), end=time(20, 55))) == []


def test_online_30_minutes_ok_31_not() -> None:
    assert codes(replace(ONLINE, start=time(19), end=time(19, 30))) == []
    [v] = check_slot(replace(ONLINE, start=time(19), end=time(19, 31)), NATIONAL_DEFAULT)
    assert v.code == "timetable.online_too_long"
    assert v.params == {"minutes": 31, "max_minutes": 30}


def test_preschool() -> None:
    kid = replace(SUBJECT, stage=Stage.PRESCHOOL, date=SATURDAY, start=time(9), end=time(10))
    assert codes(kid) == ["timetable.preschool_subject"]
    assert codes(replace(kid, category=CourseCategory.NON_SUBJECT)) == []
    assert codes(
        replace(kid, category=CourseCategory.NON_SUBJECT, delivery=Delivery.ONLINE, end=time(9, 30))
    ) == ["timetable.preschool_online"]
    assert codes(replace(kid, delivery=Delivery.ONLINE, end=time(9, 30))) == [
        "timetable.preschool_online",
        "timetable.preschool_subject",
    ]


def test_school_hours_on_school_days_only() -> None:
    afternoon = replace(SUBJECT, category=CourseCategory.NON_SUBJECT, start=time(16), end=time(17))
    assert codes(afternoon) == ["timetable.during_school_hours"]
    assert codes(replace(afternoon, start=time(16, 30), end=time(17, 30))) == []  # touching is fine
    assert codes(replace(afternoon, start=time(7), end=time(8))) == []
    assert codes(replace(afternoon, date=SATURDAY)) == []
    assert codes(replace(afternoon, date=date(2026, 2, 14))) == ["timetable.during_school_hours"]  # 调休
    assert codes(replace(afternoon, date=date(2026, 2, 10)), WINTER) == []  # no school in the break
    assert codes(replace(afternoon, stage=Stage.HIGH_SCHOOL)) == []
    assert codes(replace(afternoon, stage=Stage.PRESCHOOL)) == []


def test_end_before_start_skips_clock_checks() -> None:
    assert codes(replace(SUBJECT, start=time(19), end=time(18))) == ["timetable.end_before_start"]
    assert codes(replace(SUBJECT, start=time(19), end=time(19))) == ["timetable.end_before_start"]
    assert codes(replace(SUBJECT, date=SATURDAY, start=time(21), end=time(20))) == [
        "timetable.end_before_start",
        "timetable.subject_on_rest_day",
    ]


def test_all_violations_returned_together() -> None:
    slot = LessonSlot(
        date(2026, 10, 1),
        time(20, 20),
        time(21, 5),
        CourseCategory.SUBJECT,
        Delivery.ONLINE,
        Stage.COMPULSORY,
    )
    assert codes(slot) == [
        "timetable.online_too_late",
        "timetable.online_too_long",
        "timetable.subject_on_rest_day",
    ]


def online(start: tuple[int, int], end: tuple[int, int], day: date = WEDNESDAY) -> LessonSlot:
    return LessonSlot(day, time(*start), time(*end), CourseCategory.NON_SUBJECT, Delivery.ONLINE, Stage.OTHER)


def test_online_gap_10_ok_9_not() -> None:
    assert check_online_gap([online((19, 0), (19, 30)), online((19, 40), (20, 10))], NATIONAL_DEFAULT) == []
    [v] = check_online_gap([online((19, 39), (20, 9)), online((19, 0), (19, 30))], NATIONAL_DEFAULT)
    assert v.code == "timetable.online_gap_too_short"
    assert v.params["previous_end"] == "19:30" and v.params["next_start"] == "19:39"


def test_online_gap_ignores_offline_and_other_days() -> None:
    slots = [
        online((19, 0), (19, 30)),
        replace(online((19, 30), (20, 0)), delivery=Delivery.OFFLINE),
        online((19, 35), (20, 5), day=date(2026, 3, 5)),
    ]
    assert check_online_gap(slots, NATIONAL_DEFAULT) == []


def test_online_gap_overlap_and_nested() -> None:
    slots = [online((10, 0), (11, 0)), online((10, 10), (10, 20)), online((11, 5), (11, 30))]
    found = check_online_gap(slots, NATIONAL_DEFAULT)
    assert [v.params["next_start"] for v in found] == ["10:10", "11:05"]


def test_raise_violations() -> None:
    raise_violations([])
    violations = check_slot(replace(ONLINE, end=time(19, 45)), NATIONAL_DEFAULT)
    with pytest.raises(RuleViolation) as info:
        raise_violations(violations)
    assert info.value.code == "timetable.online_too_long"
    assert info.value.params["minutes"] == 45
    assert info.value.params["violations"] == tuple(violations)
    assert str(info.value) == violations[0].message


def test_overlaps_touching_ends_do_not() -> None:
    assert overlaps(time(10), time(11), time(10, 30), time(11, 30))
    assert overlaps(time(10), time(12), time(10, 30), time(11))
    assert not overlaps(time(10), time(11), time(11), time(12))
    assert not overlaps(time(11), time(12), time(10), time(11))
    assert minutes_between(time(19), time(19, 30)) == 30


minute = st.integers(min_value=0, max_value=24 * 60 - 1)


@given(minute, minute, minute, minute)
def test_overlaps_is_symmetric_and_matches_minute_sets(a: int, b: int, c: int, d: int) -> None:
    a_start, a_end = sorted((a, b))
    b_start, b_end = sorted((c, d))
    expected = bool(set(range(a_start, a_end)) & set(range(b_start, b_end)))
    assert overlaps(a_start, a_end, b_start, b_end) == expected
    assert overlaps(b_start, b_end, a_start, a_end) == expected
