"""The 管理评价 table: one row per teacher or class, each metric of the period, and — when a second
period is compared — the change beside each (the other period's value in the tooltip)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt

from app.money import format_fen
from app.views.evaluation import METRICS, CompareRow, Metric, Number
from ui.i18n import tr
from ui.models.paged import Column, PagedTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
UP, DOWN = "#1b7f3b", "#b00020"

#: the metrics' titles as the screen shows them (translated)
METRIC_TITLES: dict[str, Callable[[], str]] = {
    "lessons_held": lambda: tr("上课次数"),
    "attendance_rate": lambda: tr("出勤率"),
    "fen_per_lesson": lambda: tr("每节课消"),
    "makeup_rate": lambda: tr("补课率"),
    "average_rating": lambda: tr("平均评分"),
    "reviews": lambda: tr("评价数"),
    "complaints": lambda: tr("投诉"),
    "disputes": lambda: tr("消课争议"),
    "refunds": lambda: tr("退费笔数"),
    "refund_fen": lambda: tr("退费金额"),
}
#: metrics where a rise is bad news (shown red when they go up)
WORSE_WHEN_UP = frozenset({"complaints", "disputes", "refunds", "refund_fen"})


def value_text(metric: Metric, value: Number) -> str:
    """A metric's value as the table shows it: ``57.1%``, ``166.67 元``, ``4.50``, ``3``; empty if none."""
    if value is None:
        return ""
    if metric.kind == "rate":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
    if metric.kind == "money":
        return tr("{amount} 元", amount=format_fen(int(value)))
    return str(value)


def delta_text(metric: Metric, value: Number) -> str:
    """A change with its sign: ``+4.2个百分点`` for rates, ``-12.00 元``, ``+0.50``, ``+1``."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ""
    if metric.kind == "rate":
        points = (Decimal(value) * 100).quantize(Decimal("0.1"))
        return tr("{sign}{points}个百分点", sign=sign, points=points)
    if metric.kind == "money":
        return tr("{sign}{amount} 元", sign=sign, amount=format_fen(int(value)))
    return f"{sign}{value}"


def _read(metric: Metric, row: CompareRow, previous: bool = False) -> Number:
    figures = row.previous if previous else row.current
    return metric.read(figures) if figures is not None else None


def _colour(metric: Metric, row: CompareRow) -> str | None:
    change = row.delta(metric.key)
    if not change:
        return None
    good = (change > 0) != (metric.key in WORSE_WHEN_UP)
    return UP if good else DOWN


def _value_column(metric: Metric) -> Column[CompareRow]:
    return Column(
        METRIC_TITLES[metric.key](),
        lambda r: value_text(metric, _read(metric, r)),
        align=RIGHT,
        tooltip=lambda r: tr("对比期：{value}", value=value_text(metric, _read(metric, r, True)) or "—"),
    )


def _delta_column(metric: Metric) -> Column[CompareRow]:
    return Column(
        tr("{metric}变化", metric=METRIC_TITLES[metric.key]()),
        lambda r: delta_text(metric, r.delta(metric.key)),
        align=RIGHT,
        foreground=lambda r: _colour(metric, r),
    )


def row_name(row: CompareRow) -> str:
    """A teacher's or class's name; 合计 and 未指定 in the user's language."""
    if row.is_total:
        return tr("合计")
    return row.label if row.key else tr("未指定")


def evaluation_model() -> PagedTableModel[CompareRow]:
    """Name, then each metric followed by its change (the change columns are hidden when nothing is
    compared: ``delta_columns``)."""
    columns: list[Column[CompareRow]] = [Column(tr("名称"), row_name)]
    for metric in METRICS:
        columns += [_value_column(metric), _delta_column(metric)]
    return PagedTableModel(columns)


def delta_columns() -> list[int]:
    """The model's columns that show a change."""
    return [2 + 2 * i for i in range(len(METRICS))]
