"""The national default 寒暑假 (issue 12 item 16): a conservative estimate a region's calendar replaces."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time

from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_slot
from app.school_calendar import spring_festival
from localdb.codes import CourseCategory, Delivery, Stage

SUBJECT = LessonSlot(
    date(2026, 7, 15), time(18), time(19), CourseCategory.SUBJECT, Delivery.OFFLINE, Stage.COMPULSORY
)


def _codes(day: date, params: PolicyParams) -> list[str]:
    return [v.code for v in check_slot(replace(SUBJECT, date=day), params)]


def test_the_spring_festival_comes_from_the_holiday_calendar() -> None:
    assert spring_festival(2026) == date(2026, 2, 17)
    assert spring_festival(2027) == date(2027, 2, 6)


def test_the_national_default_has_summer_and_winter_breaks() -> None:
    default = PolicyParams()
    assert default.national_calendar
    assert (date(2026, 7, 15), date(2026, 8, 31)) in default.summer_break
    assert (date(2026, 2, 10), date(2026, 2, 27)) in default.winter_break  # 春节 02-17 −7 / +10 days


def test_a_subject_lesson_in_mid_july_is_refused_by_default() -> None:
    default = PolicyParams()
    assert _codes(date(2026, 7, 15), default) == ["timetable.subject_in_break"]
    assert _codes(date(2026, 8, 31), default) == ["timetable.subject_in_break"]
    assert _codes(date(2026, 7, 14), default) == []  # a Tuesday before the estimate starts
    assert _codes(date(2026, 9, 1), default) == []
    assert _codes(date(2026, 2, 27), default) == ["timetable.subject_in_break"]
    assert _codes(date(2026, 3, 2), default) == []


def test_a_region_replaces_the_default_with_its_own_calendar() -> None:
    region = PolicyParams.from_json(
        json.dumps(
            {
                "school_calendar": "北京市2025—2026学年度中小学校历",
                "winter_break": [["2026-01-31", "2026-03-01"]],
                "summer_break": [["2026-07-04", "2026-08-31"]],
            }
        )
    )
    assert not region.national_calendar
    assert _codes(date(2026, 7, 6), region) == ["timetable.subject_in_break"]  # the region's break is longer
    assert _codes(date(2026, 2, 2), region) == ["timetable.subject_in_break"]


def test_a_stored_default_profile_gets_current_breaks() -> None:
    """Profiles saved before the default calendar existed carry empty lists; a stored default profile
    carries the years it was saved in. Neither freezes the national default."""
    old = PolicyParams.from_json('{"winter_break": [], "summer_break": [], "confirm_working_days": 15}')
    assert old.breaks == PolicyParams().breaks
    saved = PolicyParams.from_json(
        '{"school_calendar": "national_default", "summer_break": [["2019-07-15", "2019-08-31"]]}'
    )
    assert saved.summer_break == PolicyParams().summer_break
