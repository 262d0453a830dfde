"""The China calendar: the 2026 check values of docs/domain.md, fallbacks, and working-day deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.workcal import (
    add_working_days,
    in_ranges,
    is_school_day,
    is_statutory_holiday,
    is_working_day,
    working_days_between,
)

WEEKEND_WORKING_DAYS_2026 = ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]
WEEKDAY_REST_DAYS_2026 = [
    "01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06",
    "05-01", "05-04", "05-05", "06-19", "09-25",
    "10-01", "10-02", "10-03", "10-04", "10-05", "10-06", "10-07",
]  # fmt: skip


def d2026(month_day: str) -> date:
    return date.fromisoformat(f"2026-{month_day}")


@pytest.mark.parametrize("month_day", WEEKEND_WORKING_DAYS_2026)
def test_2026_weekend_working_days(month_day: str) -> None:
    day = d2026(month_day)
    assert day.weekday() >= 5
    assert is_working_day(day)
    assert not is_statutory_holiday(day)


@pytest.mark.parametrize("month_day", WEEKDAY_REST_DAYS_2026)
def test_2026_rest_days(month_day: str) -> None:
    day = d2026(month_day)
    assert not is_working_day(day)
    assert is_statutory_holiday(day)


def test_2026_has_no_other_exceptions() -> None:
    """Every other 2026 day is a working day exactly when it is Monday to Friday."""
    listed = {d2026(x) for x in WEEKEND_WORKING_DAYS_2026 + WEEKDAY_REST_DAYS_2026}
    day = date(2026, 1, 1)
    while day.year == 2026:
        if day not in listed:
            assert is_working_day(day) == (day.weekday() < 5), day
        day += timedelta(days=1)


def test_ordinary_weekend_is_neither_working_nor_statutory() -> None:
    saturday = date(2026, 3, 7)
    assert not is_working_day(saturday)
    assert not is_statutory_holiday(saturday)
    assert is_working_day(date(2026, 3, 9))


def test_years_beyond_chinese_calendar_fall_back_to_holidays_package() -> None:
    assert not is_working_day(date(2030, 10, 1))  # 国庆 from the holidays package
    assert is_statutory_holiday(date(2030, 10, 1))
    assert not is_working_day(date(2030, 1, 1))
    assert is_working_day(date(2030, 3, 5))  # an ordinary Tuesday
    assert not is_working_day(date(2030, 3, 9))  # an ordinary Saturday
    assert not is_statutory_holiday(date(2030, 3, 9))


def test_five_working_days_from_2026_09_30_across_national_day() -> None:
    # 10-01…10-07 off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat 调休 (3), 10-12 Mon (4), 10-13 Tue (5)
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


def test_add_working_days_basics() -> None:
    assert add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday → Monday
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # 调休 Saturday counts
    assert add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)
    # 15 working days (消课 confirmation) from the Friday before Spring Festival 2026:
    # 02-14 Sat 调休 (1), 02-24…02-27 (2–5), 02-28 Sat 调休 (6), 03-02…03-06 (7–11), 03-09…03-12 (12–15)
    assert add_working_days(date(2026, 2, 13), 15) == date(2026, 3, 12)


def test_working_days_between_is_half_open_and_antisymmetric() -> None:
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1
    # 261 weekdays in 2026, minus 19 weekday rest days (10-03/10-04 are a weekend), plus 6 调休 days
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 261 - 19 + 6


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 1)), st.integers(0, 40))
def test_add_and_between_are_inverse(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert n == 0 or is_working_day(end)
    assert add_working_days(end, -n) <= start or n == 0


def test_school_days_and_ranges() -> None:
    winter = ((date(2026, 1, 24), date(2026, 2, 28)),)
    assert in_ranges(date(2026, 1, 24), winter) and in_ranges(date(2026, 2, 28), winter)
    assert not in_ranges(date(2026, 3, 1), winter)
    assert not is_school_day(date(2026, 2, 14), winter)  # 调休 Saturday, but in the break
    assert is_school_day(date(2026, 2, 14))
    assert not is_school_day(date(2026, 3, 7))
