"""``export``: students, attendance, consumption, payments or statistics to ``.xlsx`` / ``.csv``.

Rows stream from one read snapshot (the driver's cursor, ``fetchmany``) straight into the file, so
100,000 rows need the memory of one batch. Headers are Chinese, codes are shown as their Chinese
labels, money is yuan with two decimals (exact: fen → Decimal), instants are local (Asia/Shanghai).
Every column has a kind (``app.io.xlsx.Column``) so a workbook stores numbers as numbers and dates as
dates; the sheet's title row names the institution, the report and the period (``period_label``).
Identity numbers are always masked (PIPL): an export is a file that leaves the desk.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, TextClause, select

from app.clock import local_today
from app.db import Database, audit
from app.errors import InstDeskError, ValidationError
from app.io import labels, queries
from app.io.sinks import Value, sink_for
from app.io.xlsx import Column
from app.permissions import Actor, Permission, require
from app.reports.queries import utc_bound
from app.reports.stats import Figures, statistics
from app.validators import mask_id_number
from localdb.cipher import driver_connection
from localdb.models import Institution
from localdb.types import parse_utc

InstDeskError.register(
    {
        "export.bad_kind": "未知的导出类型“{kind}”，可选：{kinds}",
        "export.needs_range": "导出统计数据需要指定开始和结束日期",
    }
)

YIELD_PER = 5000
_EARLIEST, _LATEST = date(1900, 1, 1), date(9999, 12, 30)


def yuan(fen: int | None) -> Decimal | None:
    """Fen as an exact two-decimal yuan amount."""
    return None if fen is None else Decimal(int(fen)).scaleb(-2)


def units(x100: int | None) -> Decimal | None:
    return None if x100 is None else Decimal(int(x100)).scaleb(-2)


def local_time(stored: str | None) -> datetime | None:
    """Stored UTC text → the naive local (Asia/Shanghai) date-time, to the minute."""
    if not stored:
        return None
    return (parse_utc(stored) + timedelta(hours=8)).replace(second=0, microsecond=0, tzinfo=None)


@lru_cache(maxsize=4096)
def _day(text: str | None) -> date | None:
    """A stored 'YYYY-MM-DD' as a date (cached: an export repeats the same few hundred days)."""
    return date.fromisoformat(text) if text else None


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(date_from: date | None, date_to: date | None) -> str:
    """The period of a report as people say it: ``2026年11月``, ``2026年``, ``2026年11月3日至12月2日``."""
    if date_from is None and date_to is None:
        return f"截至{_cn(local_today())}"
    if date_from is None or date_to is None:
        return f"{_cn(date_from)}起" if date_from else f"截至{_cn(date_to)}"  # type: ignore[arg-type]
    last_of_month = calendar.monthrange(date_to.year, date_to.month)[1]
    if date_from.day == 1 and date_to.day == last_of_month:
        if (date_from.year, date_from.month) == (date_to.year, date_to.month):
            return f"{date_from.year}年{date_from.month}月"
        if (date_from.month, date_to.month) == (1, 12) and date_from.year == date_to.year:
            return f"{date_from.year}年"
    end = _cn(date_to) if date_to.year != date_from.year else f"{date_to.month}月{date_to.day}日"
    return f"{_cn(date_from)}至{end}"


def _period(kind: str, date_from: date | None, date_to: date | None) -> str:
    """The students list has no period of its own: it is the roll as of today."""
    return period_label(None, None) if kind == "students" else period_label(date_from, date_to)


def default_file_name(kind: str, date_from: date | None, date_to: date | None, suffix: str = ".xlsx") -> str:
    """``统计-2026年11月.xlsx``: the report's Chinese name and its period."""
    return f"{REPORT_NAMES[kind]}-{_period(kind, date_from, date_to)}{suffix}"


@dataclass(frozen=True)
class Kind:
    """One export: sheet name, typed columns, its query and its row formatter."""

    sheet: str
    columns: tuple[Column, ...]
    query: TextClause
    shape: Callable[[Sequence[Any]], list[Value]]


_GENDER, _ID_TYPE, _STAGE = labels.GENDER_LABELS, labels.ID_TYPE_LABELS, labels.STAGE_LABELS
_ATTENDANCE, _METHOD = labels.ATTENDANCE_LABELS, labels.METHOD_LABELS

# The shapes take the raw driver tuples (TEXT columns are ``str``, INTEGER columns ``int``) and do the
# least work a row needs: label look-ups in prebound dicts, money and units as exact Decimals, no helper
# call per cell. 100,000 attendance rows pass through them in ~0.2 s (profiled).


def _student(r: Sequence[Any]) -> list[Value]:
    name, gender, birth, id_type, id_no, school, grade, stage, phone, card, g_name, g_rel, g_phone = r
    return [
        name,
        _GENDER.get(gender),
        _day(birth),
        _ID_TYPE.get(id_type),
        mask_id_number(id_no) if id_no else None,
        school,
        grade,
        _STAGE.get(stage),
        phone,
        card,
        g_name,
        g_rel,
        g_phone,
    ]


def _attendance(r: Sequence[Any]) -> list[Value]:
    day, start, course, klass, teacher, student, card, status, charged, u, fen, contract = r
    return [
        _day(day),
        start,
        course,
        klass,
        teacher,
        student,
        card,
        _ATTENDANCE.get(status, status),
        "是" if charged else "否",
        None if u is None else Decimal(u).scaleb(-2),
        None if fen is None else Decimal(fen).scaleb(-2),
        contract,
    ]


def _consumption(r: Sequence[Any]) -> list[Value]:
    day, course, klass, teacher, student, card, u, fen, contract = r
    return [
        _day(day),
        course,
        klass,
        teacher,
        student,
        card,
        None if u is None else Decimal(u).scaleb(-2),
        None if fen is None else Decimal(fen).scaleb(-2),
        contract,
    ]


def _payment(r: Sequence[Any]) -> list[Value]:
    receipt, paid_at, student, contract, course, fen, method, desk = r
    return [
        receipt,
        local_time(paid_at),
        student,
        contract,
        course,
        None if fen is None else Decimal(fen).scaleb(-2),
        _METHOD.get(method, method),
        desk,
    ]


def _columns(*spec: str) -> tuple[Column, ...]:
    """``"日期:date"`` → ``Column("日期", "date")``; no suffix is text."""
    return tuple(Column(*item.split(":")) for item in spec)


_STUDENT_KINDS = {"出生日期": "date"}
KINDS: dict[str, Kind] = {
    "students": Kind(
        "学员",
        tuple(Column(h, _STUDENT_KINDS.get(h, "text")) for h in labels.STUDENT_HEADERS),
        queries.STUDENTS,
        _student,
    ),
    "attendance": Kind(
        "考勤",
        _columns(
            "日期:date",
            "上课时间",
            "课程",
            "班级",
            "教师",
            "学员",
            "卡号",
            "状态",
            "是否扣课时",
            "课时:units",
            "金额(元):money",
            "合同编号",
        ),  # fmt: skip
        queries.ATTENDANCE,
        _attendance,
    ),
    "consumption": Kind(
        "消课",
        _columns(
            "日期:date", "课程", "班级", "教师", "学员", "卡号", "课时:units", "金额(元):money", "合同编号"
        ),
        queries.CONSUMPTION,
        _consumption,
    ),
    "payments": Kind(
        "收款",
        _columns(
            "收据编号", "收款时间:datetime", "学员", "合同编号", "课程", "金额(元):money", "支付方式", "前台"
        ),  # fmt: skip
        queries.PAYMENTS,
        _payment,
    ),
}
STATS_COLUMNS = _columns(
    "维度", "名称", "上课次数:int", "应到人次:int", "实到人次:int", "出勤率:rate", "消课课时:units",
    "消课金额(元):money", "收款(元):money", "退费(元):money", "预收余额(元):money",
    "先学后付课费(元):money", "先学后付收款(元):money",
)  # fmt: skip
STATS_HEADERS = tuple(c.name for c in STATS_COLUMNS)
REPORT_NAMES = {
    "students": "学员",
    "attendance": "考勤",
    "consumption": "消课",
    "payments": "收款",
    "statistics": "统计",
}
DIMENSION_LABELS = {"total": "合计", "course": "课程", "teacher": "教师", "campus": "校区"}
ALL_KINDS = (*KINDS, "statistics")


def _stream(conn: Connection, kind: Kind, params: dict[str, str]) -> Iterator[Sequence[Any]]:
    """The query's rows as the driver's own tuples (no SQLAlchemy ``Row`` per row), in batches.

    Runs on the session's own DBAPI connection, so it reads the same snapshot; ``sqlite3`` binds the
    ``:name`` parameters of the query text itself.
    """
    cursor = driver_connection(conn).execute(kind.query.text, params)
    try:
        while batch := cursor.fetchmany(YIELD_PER):
            yield from batch
    finally:
        cursor.close()


def _figures_row(dimension: str, name: str, f: Figures) -> list[Value]:
    rate = f.attendance_rate
    return [
        DIMENSION_LABELS[dimension],
        name,
        f.lessons_held,
        f.expected,
        f.attended,
        rate,
        f.consumed_units,
        yuan(f.consumed_fen),
        yuan(f.payments_fen),
        yuan(f.refunds_fen),
        yuan(f.prepaid_outstanding_fen),
        yuan(f.pay_after_fen),
        yuan(f.pay_after_paid_fen),
    ]


def _export_stats(db: Database, actor: Actor, out: Path, date_from: date | None, date_to: date | None) -> int:
    if date_from is None or date_to is None:
        raise ValidationError("export.needs_range")
    stats = statistics(db, actor, date_from, date_to)
    rows = [_figures_row("total", "全机构", stats.total)]
    rows += [_figures_row(g.dimension, g.label, g.figures) for g in stats.groups()]
    with sink_for(out, "统计") as sink:
        sink.begin(_title(db, "statistics", date_from, date_to), STATS_COLUMNS)
        for row in rows:
            sink.row(row)
    return len(rows)


def _title(db: Database, kind: str, date_from: date | None, date_to: date | None) -> str:
    """The title row: ``福州启明星培训学校　统计　2026年11月``."""
    with db.reading() as session:
        name = session.scalar(select(Institution.name).where(Institution.deleted_at.is_(None)).limit(1))
    parts = (name, REPORT_NAMES[kind], _period(kind, date_from, date_to))
    return "　".join(p for p in parts if p)


def _params(date_from: date | None, date_to: date | None) -> dict[str, str]:
    start, end = date_from or _EARLIEST, date_to or _LATEST
    return {
        "date_from": start.isoformat(),
        "date_to": end.isoformat(),
        "start": utc_bound(start),
        "end": utc_bound(end + timedelta(days=1)),
    }


def export(
    db: Database,
    actor: Actor,
    kind: str,
    out_path: str | Path,
    date_from: date | None = None,
    date_to: date | None = None,
) -> int:
    """Write one kind of data to ``out_path`` (format by extension); returns the number of data rows."""
    require(actor, Permission.EXPORT)
    db.require_sound()  # a damaged file may read back wrong rows: no export from it
    out = Path(out_path)
    if kind == "statistics":
        count = _export_stats(db, actor, out, date_from, date_to)
    elif kind in KINDS:
        title = _title(db, kind, date_from, date_to)
        count = _export_rows(db, KINDS[kind], out, _params(date_from, date_to), title)
    else:
        raise ValidationError("export.bad_kind", kind=kind, kinds="、".join(ALL_KINDS))
    with db.transaction() as session:
        audit(session, actor, "export", None, None, kind=kind, rows=count, file=out.name)
    return count


def _export_rows(db: Database, kind: Kind, out: Path, params: dict[str, str], title: str) -> int:
    count = 0
    # the rows stream on the driver's cursor, past SQLAlchemy: ``reading`` translates its failures too
    with db.reading() as session, sink_for(out, kind.sheet) as sink:
        sink.begin(title, kind.columns)
        write, shape = sink.row, kind.shape
        for row in _stream(session.connection(), kind, params):
            write(shape(row))
            count += 1
    return count
