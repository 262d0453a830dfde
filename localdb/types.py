"""Column types that keep money, lesson units and instants exact.

Units are stored as integer hundredths of a 课时 so SQL can ``SUM`` them without floating point; instants
are stored as naive UTC ISO text (fixed width, so text order is time order) and refused when naive on the
way in, because a naive datetime would silently be taken for local time on one desk and UTC on another.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from localdb.errors import InvalidUnits, NaiveDatetime

_HUNDREDTH = Decimal("0.01")

#: SQL expression producing "now" in the same text format as ``UtcDateTime`` (for triggers/defaults).
SQL_UTC_NOW = "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')"


def units_to_x100(value: Decimal | int | str) -> int:
    """Convert 课时 to integer hundredths; refuse floats and anything finer than 0.01."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidUnits(f"课时数必须为 Decimal 或整数，不能是 {type(value).__name__}: {value!r}")
    try:
        units = Decimal(value)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidUnits(f"无效的课时数: {value!r}") from exc
    if not units.is_finite():
        raise InvalidUnits(f"无效的课时数: {value!r}")
    if units != units.quantize(_HUNDREDTH):
        raise InvalidUnits(f"课时数最多两位小数: {value!r}")
    return int(units * 100)


def units_from_x100(value: int) -> Decimal:
    """Integer hundredths back to a ``Decimal`` with two places (150 → Decimal('1.50'))."""
    return Decimal(int(value)).scaleb(-2)


class Units(TypeDecorator[Decimal]):
    """Lesson units (课时) as ``Decimal`` in Python, integer hundredths in SQL."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | str | None, dialect: Dialect) -> int | None:
        return None if value is None else units_to_x100(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else units_from_x100(value)

    def process_literal_param(self, value: Decimal | None, dialect: Dialect) -> str:
        return "NULL" if value is None else str(units_to_x100(value))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


def utc_now() -> datetime:
    """The current instant, timezone-aware UTC (the default for every ``UtcDateTime`` column)."""
    return datetime.now(UTC)


def format_utc(value: datetime) -> str:
    """Aware datetime → 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; naive input is refused."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetime(f"时间必须带时区(UTC): {value!r}")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def parse_utc(text: str) -> datetime:
    """Stored text (any ISO form SQLite or we wrote) → aware UTC datetime."""
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: aware in Python, naive UTC ISO text in SQLite."""

    impl = String(26)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else format_utc(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        return None if value is None else parse_utc(str(value))

    @property
    def python_type(self) -> type[datetime]:
        return datetime


E = TypeVar("E", bound=StrEnum)


class Code(TypeDecorator[E]):
    """A short code column: a member of its ``StrEnum`` in Python, the member's string in SQL.

    The stored text is the code itself (``"present"``), so adding this type changed no stored value; the
    models' CHECK constraints keep the allowed values. Binding passes the value through unchanged, so a
    wrong code is still refused by the CHECK, as before.
    """

    impl = String
    cache_ok = True

    def __init__(self, codes: type[E], length: int) -> None:
        super().__init__(length)
        self.codes = codes
        self._members: dict[str, E] = {member.value: member for member in codes}

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        return value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self._members.get(value) or self.codes(value)

    @property
    def python_type(self) -> type[E]:
        return self.codes
