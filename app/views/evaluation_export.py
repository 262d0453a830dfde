"""The 管理评价 as a table: the screen's rows, the CLI's text and the ``.xlsx``/``.csv`` export share it.

One row per teacher or class, the institution's total last. Each metric is one column, or three when a
second period is compared (本期, 对比期, 变化). Money is in 元 (exact, from fen), rates are fractions
(the spreadsheet shows 93.5%), and the parents' comments close each row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.db import Database, audit
from app.io.export import period_label
from app.io.sinks import Value, sink_for
from app.io.xlsx import Column
from app.permissions import Actor, Permission, require
from app.services.institution import get_institution
from app.views.evaluation import METRICS, Comment, CompareRow, Comparison, EvalFigures, Metric, Number

BY_TITLES = {"teacher": "教师", "klass": "班级"}
#: sheet column kind of each metric kind
_SHEET_KIND = {"int": "int", "rate": "rate", "money": "money", "rating": "units"}
#: the comments a row carries in the export, newest first
COMMENTS_PER_ROW = 10


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def cell(metric: Metric, value: Number) -> Value:
    """A metric's value as the sheet stores it (money in 元)."""
    if value is None:
        return None
    if metric.kind == "money":
        return yuan(int(value))
    return value


def columns(by: str, compared: bool) -> list[Column]:
    found = [Column(BY_TITLES[by])]
    for metric in METRICS:
        kind = _SHEET_KIND[metric.kind]
        if compared:
            found += [
                Column(f"{metric.title}·本期", kind),
                Column(f"{metric.title}·对比期", kind),
                Column(f"{metric.title}·变化", kind),
            ]
        else:
            found.append(Column(metric.title, kind))
    return [*found, Column("家长评语")]


def comment_text(comment: Comment) -> str:
    stars = "★" * comment.rating if comment.rating else ""
    return f"{comment.day.isoformat()} {stars} {comment.text}".strip()


def _comments(figures: EvalFigures | None) -> str:
    if figures is None:
        return ""
    return "；".join(comment_text(c) for c in figures.comments[:COMMENTS_PER_ROW])


def row_values(row: CompareRow, compared: bool) -> list[Value]:
    values: list[Value] = [row.label]
    for metric in METRICS:
        now = metric.read(row.current) if row.current is not None else None
        if compared:
            before = metric.read(row.previous) if row.previous is not None else None
            values += [cell(metric, now), cell(metric, before), cell(metric, row.delta(metric.key))]
        else:
            values.append(cell(metric, now))
    return [*values, _comments(row.current)]


def table_rows(comparison: Comparison) -> Iterator[list[Value]]:
    """Every teacher or class, then the institution's total."""
    for row in (*comparison.rows, comparison.total):
        yield row_values(row, comparison.compared)


def title(institution: str, comparison: Comparison) -> str:
    current = comparison.current
    period = period_label(current.date_from, current.date_to)
    text = f"{institution}　管理评价（按{BY_TITLES[current.by]}）　{period}"
    if comparison.previous is not None:
        text += f"　对比 {period_label(comparison.previous.date_from, comparison.previous.date_to)}"
    return text


def file_name(by: str, date_from: date, date_to: date, suffix: str = ".xlsx") -> str:
    """``管理评价按教师-2026年11月.xlsx``: what the export is and its period, as the 统计 exports say it."""
    return f"管理评价按{BY_TITLES[by]}-{period_label(date_from, date_to)}{suffix}"


def export_evaluation(db: Database, actor: Actor, comparison: Comparison, path: Path) -> int:
    """The evaluation table to ``.xlsx``/``.csv`` (by the file's extension); returns its row count."""
    require(actor, Permission.EXPORT)
    count = 0
    with sink_for(path, f"管理评价按{BY_TITLES[comparison.current.by]}") as sink:
        sink.begin(
            title(get_institution(db).name, comparison), columns(comparison.current.by, comparison.compared)
        )
        for values in table_rows(comparison):
            sink.row(values)
            count += 1
    current, previous = comparison.current, comparison.previous
    with db.transaction() as session:
        audit(
            session,
            actor,
            "export",
            None,
            None,
            kind=f"evaluation_{current.by}",
            rows=count,
            file=path.name,
            date_from=str(current.date_from),
            date_to=str(current.date_to),
            compare_from=str(previous.date_from) if previous else None,
            compare_to=str(previous.date_to) if previous else None,
        )
    return count
