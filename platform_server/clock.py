"""Injectable time and the working-day calendar used by the platform's deadlines."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """Wall clock with an adjustable offset, so tests can move time forward without waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = dt.timedelta(0)
        self._frozen: dt.datetime | None = None

    def now(self) -> dt.datetime:
        with self._lock:
            base = self._frozen if self._frozen is not None else dt.datetime.now(dt.UTC)
            return base + self._offset

    def today(self) -> dt.date:
        """The local (Asia/Shanghai) date: deadlines count local working days."""
        return self.now().astimezone(SHANGHAI).date()

    def advance(self, delta: dt.timedelta) -> None:
        with self._lock:
            self._offset += delta

    def set(self, when: dt.datetime) -> None:
        """Freeze the clock at ``when`` (aware datetime); ``advance`` still moves it."""
        with self._lock:
            self._frozen = when.astimezone(dt.UTC)
            self._offset = dt.timedelta(0)

    def reset(self) -> None:
        with self._lock:
            self._frozen = None
            self._offset = dt.timedelta(0)


def is_workday(day: dt.date) -> bool:
    """Official working day (with 调休); plain weekdays outside the library's range."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def iso_utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
