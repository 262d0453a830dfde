"""The 管理评价 chart: one metric for each teacher or class as horizontal bars, the compared period's
beside it when there is one. Rates are drawn in %, money in 元 (display only: the table and the export
keep the exact figures)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.views.evaluation import CompareRow, Metric, Number
from ui.i18n import tr
from ui.models.evaluation import METRIC_TITLES, row_name


def chart_value(metric: Metric, value: Number) -> float:
    """A bar's length: rates in %, money in 元, the rest as they are (none: 0)."""
    if value is None:
        return 0.0
    if metric.kind == "rate":
        return float(Decimal(value) * 100)
    if metric.kind == "money":
        return float(value) / 100
    return float(value)


def axis_title(metric: Metric) -> str:
    if metric.kind == "rate":
        return "%"
    if metric.kind == "money":
        return tr("元")
    return ""


class EvaluationChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = QChart()
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        view = QChartView(self.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        self.bar_sets: list[QBarSet] = []
        self.categories: list[str] = []

    def show_rows(self, rows: list[CompareRow], metric: Metric, compared: bool) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        # a horizontal bar chart lists its categories bottom-up: reversed, the first row is on top
        ordered = list(reversed(rows))
        self.categories = [row_name(r) for r in ordered]
        series = QHorizontalBarSeries()
        self.bar_sets = [
            self._bars(tr("本期"), [metric.read(r.current) if r.current else None for r in ordered], metric)
        ]
        if compared:
            before = [metric.read(r.previous) if r.previous else None for r in ordered]
            self.bar_sets.append(self._bars(tr("对比期"), before, metric))
        for bar_set in self.bar_sets:
            series.append(bar_set)
        self.chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append(self.categories)
        axis_x = QValueAxis()
        top = max([bar_set.at(i) for bar_set in self.bar_sets for i in range(bar_set.count())] + [0.0])
        axis_x.setRange(0, 100 if metric.kind == "rate" else max(top * 1.1, 1.0))
        axis_x.setTitleText(axis_title(metric))
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self.chart.setTitle(METRIC_TITLES[metric.key]())

    @staticmethod
    def _bars(title: str, values: list[Number], metric: Metric) -> QBarSet:
        bar_set = QBarSet(title)
        bar_set.append([chart_value(metric, v) for v in values])
        return bar_set

    def values(self, index: int = 0) -> list[float]:
        """One bar set's lengths, top row first (for tests and accessibility)."""
        bar_set = self.bar_sets[index]
        return [bar_set.at(i) for i in reversed(range(bar_set.count()))]
