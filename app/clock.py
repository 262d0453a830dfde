"""The clock of the core: instants are UTC, lesson and charge dates are local dates in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in Asia/Shanghai (lesson dates and charge dates are local dates)."""
    return datetime.now(LOCAL_TZ).date()
