"""The national default 寒暑假 (school breaks): a conservative estimate until a region's calendar arrives.

Breaks are regional (each province's 教育厅 publishes its own school calendar), but a profile without any
would let 学科 lessons in the middle of summer pass unchecked. The national default profile therefore
carries our own conservative estimate — only days on which schools across China are normally on break:

- summer (暑假): 15 July to 31 August of every year;
- winter (寒假): from 7 days before to 10 days after the first day of the Spring Festival (春节), whose
  date comes from the maintained ``holidays`` calendar, never from a hand-typed list.

Local breaks usually start earlier and may end later; a region's profile (pushed by the platform, see
``PolicyParams.school_calendar``) replaces these ranges. The app shows which calendar is in force and
asks people to check it against their local 教育局 calendar (docs/domain.md, "寒暑假").
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

#: ``PolicyParams.school_calendar`` of the national default (a region's profile names its own calendar)
NATIONAL_DEFAULT_CALENDAR = "national_default"
#: the default covers last year to three years ahead: enough for any charge period (≤ 3 months) and for
#: schedules made today, while each year's Spring Festival costs ~20 ms of ``holidays`` at start-up
YEARS_BACK, YEARS_AHEAD = 1, 3
SUMMER_START, SUMMER_END = (7, 15), (8, 31)
WINTER_DAYS_BEFORE_SPRING_FESTIVAL = 7
WINTER_DAYS_AFTER_SPRING_FESTIVAL = 10
#: the festival's name in the library's source (Chinese) and in its English translation: the frozen app may
#: lack the translation files, and the library may pick either language from the environment
_SPRING_FESTIVAL_NAMES = ("春节", "Spring Festival")

Ranges = tuple[tuple[date, date], ...]


def spring_festival(year: int) -> date:
    """The first day of the Spring Festival (正月初一) of ``year``."""
    calendar = holidays.country_holidays("CN", years=year)
    return min(d for name in _SPRING_FESTIVAL_NAMES for d in calendar.get_named(name, lookup="icontains"))


def default_years() -> range:
    this_year = date.today().year
    return range(this_year - YEARS_BACK, this_year + YEARS_AHEAD + 1)


@cache
def _winter_breaks(years: range) -> Ranges:
    before = timedelta(days=WINTER_DAYS_BEFORE_SPRING_FESTIVAL)
    after = timedelta(days=WINTER_DAYS_AFTER_SPRING_FESTIVAL)
    return tuple((spring_festival(y) - before, spring_festival(y) + after) for y in years)


def default_winter_breaks() -> Ranges:
    """Winter breaks of the national default (our estimate around each Spring Festival)."""
    return _winter_breaks(default_years())


def default_summer_breaks() -> Ranges:
    """Summer breaks of the national default (15 July – 31 August)."""
    return tuple((date(y, *SUMMER_START), date(y, *SUMMER_END)) for y in default_years())
