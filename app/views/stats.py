"""统计 screen: the last twelve months month by month (charts), and one range by course and teacher.

Each month is one call of ``app.reports.stats.statistics`` over that month's local dates, so the charts
agree to the fen with the tables and the Excel export of the same range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from app.db import Database
from app.permissions import Actor, Permission, require
from app.reports.stats import Stats, statistics


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    consumed_fen: int
    payments_fen: int
    refunds_fen: int
    attendance_rate: Decimal | None


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the ``count`` months ending with the month of ``today``, oldest first."""
    current = month_start(today)
    return [add_months(current, -k) for k in range(count - 1, -1, -1)]


def monthly_figures(
    db: Database, actor: Actor, today: date, count: int = 12, cancelled: Callable[[], bool] | None = None
) -> list[MonthFigures]:
    """课消, payments, refunds and attendance rate of each of the last ``count`` months."""
    require(actor, Permission.VIEW_STATS)
    found = []
    for month in last_months(today, count):
        if cancelled is not None and cancelled():
            break
        total = statistics(db, actor, month, month_end(month)).total
        found.append(
            MonthFigures(
                month, total.consumed_fen, total.payments_fen, total.refunds_fen, total.attendance_rate
            )
        )
    return found


def range_stats(db: Database, actor: Actor, date_from: date, date_to: date) -> Stats:
    """The figures of a chosen range, with the rows by course and by teacher."""
    return statistics(db, actor, date_from, date_to)
