"""Input values the use cases check before they touch the database: codes, times of day, 课时 amounts."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from typing import Any

from app.errors import InstDeskError, ValidationError

MESSAGES: dict[str, str] = {
    "time.invalid": "时间格式不正确（应为 HH:MM）：{text}",
    "units.invalid": "课时数必须是非负数，最多两位小数：{value}",
    "choice.invalid": "{field}的取值“{value}”无效，可选：{allowed}",
}
InstDeskError.register(MESSAGES)


def require_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """Check an enum-like code against the same tuple the database CHECK uses."""
    if value not in allowed:
        raise ValidationError("choice.invalid", field=field, value=value, allowed="、".join(allowed))
    return value


def parse_time(value: str | time) -> time:
    """'HH:MM' (or a ``time``) → ``time``; lessons are planned to the minute."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValidationError("time.invalid", text=str(value))
    hours, minutes = (int(p) for p in value.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ValidationError("time.invalid", text=value)
    return time(hours, minutes)


def hhmm(value: time) -> str:
    return f"{value:%H:%M}"


def require_units(value: Any, *, allow_zero: bool = True) -> Decimal:
    """Units must be a finite non-negative Decimal (or int) with at most two places."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError("units.invalid", value=repr(value))
    units = Decimal(value)
    if not units.is_finite() or units < 0 or units != units.quantize(Decimal("0.01")):
        raise ValidationError("units.invalid", value=str(value))
    if units == 0 and not allow_zero:
        raise ValidationError("units.invalid", value=str(value))
    return units
