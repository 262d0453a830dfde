"""The statistics tables: one row per course (or teacher) with its figures for the chosen range."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from app.reports.stats import Figures, GroupRow
from ui.i18n import tr
from ui.labels import units, yuan
from ui.models.paged import Column, PagedTableModel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def rate_text(figures: Figures) -> str:
    rate = figures.attendance_rate
    return "" if rate is None else f"{(rate * 100).quantize(Decimal('0.1'))}%"


def _money(title: str, attr: str) -> Column[GroupRow]:
    return Column(title, lambda r: yuan(getattr(r.figures, attr)), align=RIGHT)


def stats_model() -> PagedTableModel[GroupRow]:
    columns: list[Column[GroupRow]] = [
        Column(tr("名称"), lambda r: r.label),
        Column(tr("上课次数"), lambda r: str(r.figures.lessons_held), align=RIGHT),
        Column(tr("出勤率"), lambda r: rate_text(r.figures), align=RIGHT),
        Column(tr("消课课时"), lambda r: units(r.figures.consumed_units), align=RIGHT),
        _money(tr("消课金额"), "consumed_fen"),
        _money(tr("收款"), "payments_fen"),
        _money(tr("退费"), "refunds_fen"),
        _money(tr("预收余额"), "prepaid_outstanding_fen"),
        _money(tr("先学后付课费"), "pay_after_fen"),
        _money(tr("先学后付收款"), "pay_after_paid_fen"),
    ]
    return PagedTableModel(columns)


def student_stats_model() -> PagedTableModel[GroupRow]:
    """By student: no 预收余额 column (see ``app.reports.by_student``); 上课次数 counts lessons marked."""
    columns: list[Column[GroupRow]] = [
        Column(tr("学员"), lambda r: r.label),
        Column(tr("上课次数"), lambda r: str(r.figures.lessons_held), align=RIGHT),
        Column(tr("出勤率"), lambda r: rate_text(r.figures), align=RIGHT),
        Column(tr("消课课时"), lambda r: units(r.figures.consumed_units), align=RIGHT),
        _money(tr("消课金额"), "consumed_fen"),
        _money(tr("收款"), "payments_fen"),
        _money(tr("退费"), "refunds_fen"),
    ]
    return PagedTableModel(columns)
