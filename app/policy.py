"""The policy profile: every number of the regulations that a province may set differently.

docs/domain.md asks that regional rules live in one profile with a national default, never as literals in the
rules. ``PolicyParams`` is that profile; the platform may push an updated one as JSON through sync, so
``from_json`` is tolerant of what it does not know (unknown keys ignored, missing keys default) and strict
about what it does (a bad value names its key).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, time
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from app.errors import InstDeskError, ValidationError
from app.school_calendar import NATIONAL_DEFAULT_CALENDAR, default_summer_breaks, default_winter_breaks
from localdb.codes import Delivery

MESSAGES: dict[str, str] = {
    "policy.invalid": "政策参数“{key}”的值无效：{value}",
}
InstDeskError.register(MESSAGES)

DateRanges = tuple[tuple[date, date], ...]

#: class-size tiers of the 政府指导价 table: fewer than 10, 10–35, more than 35 students
PRICE_TIERS = ("small", "medium", "large")


@dataclass(frozen=True)
class PolicyParams:
    """National defaults; fields marked regional are overridden by a province's profile.

    ``school_hours`` is *our assumption* (08:00–16:30) for the national default: the regulations leave
    school hours to the provinces. ``winter_break``/``summer_break`` (regional) default to our
    conservative national estimate (``app.school_calendar``) until a region's profile replaces them and
    names its calendar in ``school_calendar``; ``price_caps`` (regional 政府指导价, fen per standard lesson
    by tier, optionally ``"online:small"``-style keys per delivery) is empty meaning "no cap configured".
    """

    max_units_per_charge: Decimal = Decimal(60)
    max_months_per_charge: int = 3
    max_fen_per_charge: int = 500_000
    earliest_charge_months_before_start: int = 1  # regional
    renewal_max_remaining_units: Decimal = Decimal(20)  # regional
    confirm_working_days: int = 15  # regional (one province uses 7)
    refund_silence_working_days: int = 5
    offline_latest_end: str = "20:30"
    online_latest_end: str = "21:00"
    online_max_minutes: int = 30
    online_min_gap_minutes: int = 10
    school_hours: tuple[str, str] = ("08:00", "16:30")  # regional; our assumption
    school_calendar: str = NATIONAL_DEFAULT_CALENDAR  # regional: whose 校历 the breaks below come from
    winter_break: DateRanges = field(default_factory=default_winter_breaks)  # regional
    summer_break: DateRanges = field(default_factory=default_summer_breaks)  # regional
    price_caps: Mapping[str, int] = field(default_factory=dict, hash=False)  # regional
    price_float_pct: int = 10  # regional
    standard_lesson_minutes_online: int = 30
    standard_lesson_minutes_offline: int = 45
    full_time_teaching_ratio_min: Decimal = Decimal("0.5")
    class_teacher_ratio_min: Decimal = Decimal("0.02")
    preschool_class_teacher_ratio_min: Decimal = Decimal("0.06")
    #: a package with this many 课时 left or fewer is "about to run out": the roll call warns, the front
    #: desk, today's overview and the student's contracts show it (the desk's reminder, not a regulation)
    low_balance_units: Decimal = Decimal(2)

    def __post_init__(self) -> None:
        """Coerce and check every field, so a bad profile fails where it is built, naming the key."""
        for f in fields(self):
            raw = getattr(self, f.name)
            object.__setattr__(self, f.name, _coerce(f.name, raw))

    @property
    def breaks(self) -> DateRanges:
        """All configured 寒暑假 ranges together."""
        return self.winter_break + self.summer_break

    def latest_end(self, delivery: str) -> time:
        """The latest time a lesson of this delivery may end."""
        return parse_hhmm(self.online_latest_end if delivery == Delivery.ONLINE else self.offline_latest_end)

    def school_hours_times(self) -> tuple[time, time]:
        """School hours as ``time`` values."""
        return parse_hhmm(self.school_hours[0]), parse_hhmm(self.school_hours[1])

    def standard_lesson_minutes(self, delivery: str) -> int:
        """Minutes of the standard lesson the price caps refer to (30 online, 45 offline)."""
        if delivery == Delivery.ONLINE:
            return self.standard_lesson_minutes_online
        return self.standard_lesson_minutes_offline

    @classmethod
    def from_json(cls, text: str | None) -> PolicyParams:
        """Build a profile from JSON; ``None``/empty gives the national default."""
        if text is None or not text.strip():
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError("policy.invalid", key="$", value=text[:40]) from exc
        if not isinstance(data, dict):
            raise ValidationError("policy.invalid", key="$", value=type(data).__name__)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known and not _default_break(data, k)})

    @property
    def national_calendar(self) -> bool:
        """Whether the breaks are the national default estimate (check them against the local 校历)."""
        return self.school_calendar == NATIONAL_DEFAULT_CALENDAR

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, Decimals and dates as strings) that ``from_json`` reads back."""
        data = {f.name: _to_plain(getattr(self, f.name)) for f in fields(self)}
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _default_break(data: Mapping[str, Any], key: str) -> bool:
    """Break ranges count only in a profile that names its own calendar: the national default's are
    computed each time (``app.school_calendar``), never read back from a stored copy, so a profile saved
    years ago (or before the default calendar existed, with empty lists) still gets current ones."""
    calendar = data.get("school_calendar", NATIONAL_DEFAULT_CALENDAR)
    return key in ("winter_break", "summer_break") and calendar == NATIONAL_DEFAULT_CALENDAR


def parse_hhmm(text: str) -> time:
    """Parse ``'HH:MM'``."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _invalid(key: str, value: Any) -> ValidationError:
    return ValidationError("policy.invalid", key=key, value=repr(value)[:60])


def _as_decimal(key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise _invalid(key, value)
    try:
        result = Decimal(str(value))
    except InvalidOperation as exc:
        raise _invalid(key, value) from exc
    if not result.is_finite() or result < 0:
        raise _invalid(key, value)
    return result


def _as_int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _invalid(key, value)
    return value


def _as_positive_int(key: str, value: Any) -> int:
    if _as_int(key, value) == 0:
        raise _invalid(key, value)
    return int(value)


def _as_hhmm(key: str, value: Any) -> str:
    try:
        parsed = parse_hhmm(value)
    except (AttributeError, ValueError, TypeError) as exc:
        raise _invalid(key, value) from exc
    return f"{parsed:%H:%M}"


def _as_hours(key: str, value: Any) -> tuple[str, str]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _invalid(key, value)
    start, end = _as_hhmm(key, value[0]), _as_hhmm(key, value[1])
    if start >= end:
        raise _invalid(key, value)
    return start, end


def _as_text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(key, value)
    return value.strip()


def _as_date(key: str, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise _invalid(key, value) from exc


def _as_ranges(key: str, value: Any) -> DateRanges:
    if not isinstance(value, list | tuple):
        raise _invalid(key, value)
    ranges = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise _invalid(key, value)
        start, end = _as_date(key, item[0]), _as_date(key, item[1])
        if end < start:
            raise _invalid(key, value)
        ranges.append((start, end))
    return tuple(ranges)


def _as_caps(key: str, value: Any) -> Mapping[str, int]:
    if not isinstance(value, Mapping):
        raise _invalid(key, value)
    caps = {}
    for tier, fen in value.items():
        base = str(tier).split(":")[-1]
        if base not in PRICE_TIERS:
            raise _invalid(key, value)
        caps[str(tier)] = _as_int(key, fen)
    return MappingProxyType(caps)


_COERCERS: dict[str, Callable[[str, Any], Any]] = {
    "max_units_per_charge": _as_decimal,
    "renewal_max_remaining_units": _as_decimal,
    "full_time_teaching_ratio_min": _as_decimal,
    "class_teacher_ratio_min": _as_decimal,
    "preschool_class_teacher_ratio_min": _as_decimal,
    "low_balance_units": _as_decimal,
    "offline_latest_end": _as_hhmm,
    "online_latest_end": _as_hhmm,
    "school_hours": _as_hours,
    "school_calendar": _as_text,
    "winter_break": _as_ranges,
    "summer_break": _as_ranges,
    "price_caps": _as_caps,
    "max_months_per_charge": _as_positive_int,
    "standard_lesson_minutes_online": _as_positive_int,
    "standard_lesson_minutes_offline": _as_positive_int,
}


def _coerce(key: str, value: Any) -> Any:
    """Coerce one field by its key (ints by default)."""
    coercer: Callable[[str, Any], Any] = _COERCERS[key] if key in _COERCERS else _as_int
    return coercer(key, value)


def _to_plain(value: Any) -> Any:
    """JSON-ready form of a field value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _to_plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_to_plain(v) for v in value]
    return value


NATIONAL_DEFAULT = PolicyParams()
