"""The platform's 消课 confirmation window, in the platform's own terms (docs/sync.md, 消课异议).

The platform gives each charged lesson a ``deadline`` date (working days after the charge, Asia/Shanghai
dates) and closes the window when *its* Shanghai date reaches that deadline: at 00:00 of the deadline day
(``platform_server.platform_ops.run_deadlines``: ``deadline <= today``). So the window ends at the instant
``deadline 00:00 +08:00``; the day before it is the last day (今日到期 on that day). What happens at the end
depends on the state: a lesson the parent left unconfirmed, or an institution's answer the parent left
unanswered, is confirmed automatically (已自动确认); a dispute the institution left unanswered goes to
the regulator (已转监管).

Pure functions of the deadline and the current time, so a screen recomputes them as time passes without a
sync (the synced status may still say ``pending`` after the window has closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from app.codes import ConfirmationStatus

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
#: the states in which a window is running, and what its end makes of each
ENDS_IN: dict[str, ConfirmationStatus] = {
    ConfirmationStatus.PENDING: ConfirmationStatus.AUTO_CONFIRMED,
    ConfirmationStatus.ANSWERED: ConfirmationStatus.AUTO_CONFIRMED,
    ConfirmationStatus.DISPUTED: ConfirmationStatus.ESCALATED,
}

Phase = Literal["open", "due_today", "closed"]


@dataclass(frozen=True)
class Countdown:
    """The time left in a confirmation window as of ``now``.

    ``phase``: ``open`` (``days`` and ``hours`` left, hours rounded down), ``due_today`` (the window ends
    at the coming midnight, Shanghai), ``closed`` (the window has ended; ``outcome`` is what the platform
    makes of it: ``auto_confirmed`` or ``escalated``). No window runs for a settled state: ``None``.
    """

    phase: Phase
    days: int
    hours: int
    minutes_left: int
    outcome: ConfirmationStatus

    @property
    def urgent(self) -> bool:
        return self.phase != "open" or self.days < 1


def window_end(deadline: date) -> datetime:
    """The instant (UTC) the platform closes a window with this deadline: 00:00 Shanghai of that day."""
    return datetime.combine(deadline, time(0), tzinfo=PLATFORM_TZ).astimezone(UTC)


def countdown(status: str | None, deadline: date | None, now: datetime) -> Countdown | None:
    """The countdown of a confirmation in ``status`` with ``deadline``, or None when no window runs."""
    if status not in ENDS_IN or deadline is None:
        return None
    outcome = ENDS_IN[status]
    left = window_end(deadline) - now
    if left <= timedelta(0):
        return Countdown("closed", 0, 0, 0, outcome)
    minutes = int(left.total_seconds() // 60)
    today = now.astimezone(PLATFORM_TZ).date()
    if deadline - today <= timedelta(days=1):
        return Countdown("due_today", 0, minutes // 60, minutes, outcome)
    return Countdown("open", minutes // (24 * 60), (minutes // 60) % 24, minutes, outcome)


def closes_today(status: str | None, deadline: date | None, now: datetime) -> bool:
    """Whether a running window ends at the coming Shanghai midnight (today is its last day)."""
    left = countdown(status, deadline, now)
    return left is not None and left.phase == "due_today"
