"""The China working-day calendar: statutory holidays and 调休, from maintained libraries only.

``chinese_calendar`` carries the State Council's published arrangements (holidays *and* the weekend days
that become working days) for the years it knows. Outside them we ask the ``holidays`` package's China
calendar, which knows 调休 working weekends for the years it has data and otherwise gives Mon–Fri minus
its computed holidays. The same calendar decides which Saturdays are school days and every deadline
counted in working days (消课 confirmation, refund silence).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import chinese_calendar
import holidays


@lru_cache(maxsize=64)
def _china_holidays(year: int) -> Any:
    """The ``holidays`` China calendar of one year (built per year so its 调休 days are populated)."""
    return holidays.country_holidays("CN", years=year)


def _fallback_is_working_day(d: date) -> bool:
    return bool(_china_holidays(d.year).is_working_day(d))


def is_working_day(d: date) -> bool:
    """True on working days, including the weekend days the State Council made working days (调休)."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:  # the library raises this for years it has no data for
        return _fallback_is_working_day(d)


def is_statutory_holiday(d: date) -> bool:
    """True on a day off of a statutory holiday period (including its 调休 rest weekdays).

    Ordinary weekends are not statutory holidays; a weekend inside a holiday period is, where the library
    says so.
    """
    try:
        is_rest, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return d in _china_holidays(d.year)
    return bool(is_rest) and name is not None


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (the deadline of an ``n``-working-day period).

    ``start`` itself does not count: a request on Wednesday with 1 working day to answer is due on the
    next working day. ``n == 0`` returns ``start``; a negative ``n`` counts backwards.
    """
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    day = start
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """The number of working days in ``(a, b]``; negative when ``b`` is before ``a``.

    The inverse of ``add_working_days`` for working-day targets:
    ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a)
    return sum(1 for k in range(1, (b - a).days + 1) if is_working_day(a + timedelta(days=k)))


def is_school_day(d: date, breaks: tuple[tuple[date, date], ...] = ()) -> bool:
    """A working day outside the given 寒暑假 ranges (inclusive): the days schools hold classes."""
    return is_working_day(d) and not in_ranges(d, breaks)


def in_ranges(d: date, ranges: tuple[tuple[date, date], ...]) -> bool:
    """True when ``d`` lies in one of the inclusive ``(start, end)`` ranges."""
    return any(start <= d <= end for start, end in ranges)
