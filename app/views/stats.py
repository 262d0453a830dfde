"""统计 screen: a range's months month by month (charts), and the range by course, teacher, class and
student, each table exportable.

Each month is one call of ``app.reports.stats.statistics`` over that month's local dates, so the charts
agree to the fen with the tables and the Excel export of the same range. Quick ranges (本月, 上月, 本学期,
今年) are computed here so the screen and its tests agree on them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from app.db import Database, audit
from app.errors import InstDeskError, ValidationError
from app.io.export import period_label
from app.io.sinks import Value, sink_for
from app.io.xlsx import Column
from app.permissions import Actor, Permission, require
from app.reports.by_student import StudentStats, student_statistics
from app.reports.stats import GroupRow, Stats, statistics
from app.services.institution import get_institution

InstDeskError.register(
    {
        "stats.bad_table": "没有这张统计表：{table}",
        "stats.bad_date": "日期格式不正确：{text}（例如 2026-03-01、2026/3/1 或 2026年3月1日）",
    }
)
_TYPED_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")


def parse_day(text: str) -> date:
    """A date as people type it: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日 or 20260301."""
    match = _TYPED_DATE.fullmatch(text.strip())
    if match is None:
        raise ValidationError("stats.bad_date", text=text)
    year, month, day = (match[1], match[2], match[3]) if match[1] else (match[4], match[5], match[6])
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError("stats.bad_date", text=text) from None


@dataclass(frozen=True)
class MonthFigures:
    month: date  # the first day of the month
    consumed_fen: int
    payments_fen: int
    refunds_fen: int
    attendance_rate: Decimal | None
    pay_after_fen: int = 0  # 先学后付 lessons, apart from prepaid 课消


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


def range_stats(db: Database, actor: Actor, date_from: date, date_to: date) -> Stats:
    """The figures of a chosen range, with the rows by course and by teacher."""
    return statistics(db, actor, date_from, date_to)


#: the quick ranges of the screen, in its order
QUICK_RANGES = ("this_month", "last_month", "this_term", "this_year")


def term_start(day: date) -> date:
    """The first day of the school term containing ``day``: 春季学期 from 1 February (to 31 August, the
    summer included), 秋季学期 from 1 September (to 31 January)."""
    if 2 <= day.month <= 8:
        return date(day.year, 2, 1)
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def quick_range(key: str, today: date) -> tuple[date, date]:
    """本月 and 今年 and 本学期 run to today; 上月 is the whole previous month."""
    if key == "last_month":
        previous = add_months(month_start(today), -1)
        return previous, month_end(previous)
    starts = {
        "this_month": month_start(today),
        "this_term": term_start(today),
        "this_year": date(today.year, 1, 1),
    }
    if key not in starts:
        raise ValidationError("stats.bad_range", date_from=key, date_to=today)
    return starts[key], today


def chart_months(date_from: date, date_to: date, count: int = 12) -> list[date]:
    """The months the charts show for a range: its own months when it spans at least two, else the
    ``count`` months ending with it (one bar alone says little)."""
    first, last = month_start(date_from), month_start(date_to)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months if len(months) >= 2 else last_months(date_to, count)


def range_months(
    db: Database, actor: Actor, date_from: date, date_to: date, cancelled: Callable[[], bool] | None = None
) -> list[MonthFigures]:
    """课消, payments, refunds and attendance rate of each month ``chart_months`` picks for the range."""
    require(actor, Permission.VIEW_STATS)
    found = []
    for month in chart_months(date_from, date_to):
        if cancelled is not None and cancelled():
            break
        total = statistics(db, actor, month, month_end(month)).total
        found.append(
            MonthFigures(
                month,
                total.consumed_fen,
                total.payments_fen,
                total.refunds_fen,
                total.attendance_rate,
                total.pay_after_fen,
            )  # fmt: skip
        )
    return found


def students_stats(db: Database, actor: Actor, date_from: date, date_to: date) -> StudentStats:
    """The range by student (lessons, attendance, 课消, payments, refunds)."""
    return student_statistics(db, actor, date_from, date_to)


TABLE_TITLES = {"course": "课程", "teacher": "教师", "klass": "班级", "student": "学员"}
_COLUMNS = (
    Column("上课次数", "int"), Column("应到人次", "int"), Column("实到人次", "int"), Column("出勤率", "rate"),
    Column("消课课时", "units"), Column("消课金额(元)", "money"), Column("收款(元)", "money"),
    Column("退费(元)", "money"),
)  # fmt: skip


#: 先学后付 (docs/pay_after.md) apart from prepaid 课消 and payments
_PAY_AFTER_COLUMNS = (Column("先学后付课费(元)", "money"), Column("先学后付收款(元)", "money"))


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _table_row(row: GroupRow, with_balance: bool) -> list[Value]:
    f, rate = row.figures, row.figures.attendance_rate
    values: list[Value] = [
        row.label,
        f.lessons_held,
        f.expected,
        f.attended,
        rate,
        f.consumed_units,
        _yuan(f.consumed_fen),
        _yuan(f.payments_fen),
        _yuan(f.refunds_fen),
    ]
    if with_balance:
        values += [_yuan(f.prepaid_outstanding_fen), _yuan(f.pay_after_fen), _yuan(f.pay_after_paid_fen)]
    return values


def table_rows(
    db: Database, actor: Actor, table: str, date_from: date, date_to: date
) -> tuple[GroupRow, ...]:
    if table == "student":
        return student_statistics(db, actor, date_from, date_to).rows
    stats = statistics(db, actor, date_from, date_to)
    tables = {"course": stats.by_course, "teacher": stats.by_teacher, "klass": stats.by_class}
    if table not in tables:
        raise ValidationError("stats.bad_table", table=table)
    return tables[table]


def export_table(db: Database, actor: Actor, table: str, path: Path, date_from: date, date_to: date) -> int:
    """One table of the 统计 screen (by course, teacher, class or student) to ``.xlsx``/``.csv``; returns
    the number of rows. Students have no 预收余额 column (see ``app.reports.by_student``)."""
    require(actor, Permission.EXPORT)
    rows = table_rows(db, actor, table, date_from, date_to)
    with_balance = table != "student"
    columns = [Column(TABLE_TITLES[table]), *_COLUMNS] + (
        [Column("预收余额(元)", "money"), *_PAY_AFTER_COLUMNS] if with_balance else []
    )
    title = f"{get_institution(db).name}　统计（按{TABLE_TITLES[table]}）　{period_label(date_from, date_to)}"
    with sink_for(path, f"按{TABLE_TITLES[table]}") as sink:
        sink.begin(title, columns)
        for row in rows:
            sink.row(_table_row(row, with_balance))
    with db.transaction() as session:
        audit(
            session,
            actor,
            "export",
            None,
            None,
            kind=f"statistics_{table}",
            rows=len(rows),
            file=path.name,
            date_from=str(date_from),
            date_to=str(date_to),
        )
    return len(rows)
