"""The twelve-month charts of the statistics screen: money by month (课消, payments, refunds, in 元) as
bars, and the attendance rate by month as a line (months with no expected students are left out)."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.views.stats import MonthFigures
from ui.i18n import tr


def yuan_value(fen: int) -> float:
    """A chart coordinate (display only; figures in tables and exports stay exact)."""
    return fen / 100


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(240)
    return view


class StatsCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.money = QChart()
        self.money.setTitle(tr("近12个月金额（元）"))
        self.money.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.attendance = QChart()
        self.attendance.setTitle(tr("近12个月出勤率（%）"))
        self.attendance.legend().hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_view(self.money), 3)
        layout.addWidget(_view(self.attendance), 2)
        self.bar_sets: dict[str, QBarSet] = {}
        self.rate_series = QLineSeries()

    def show_months(self, months: list[MonthFigures]) -> None:
        labels = [f"{m.month:%m}" for m in months]
        self._show_money(months, labels)
        self._show_rate(months, labels)

    def _reset(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _show_money(self, months: list[MonthFigures], labels: list[str]) -> None:
        self._reset(self.money)
        series = QBarSeries()
        self.bar_sets = {}
        for key, title in (("consumed", tr("课消")), ("payments", tr("收款")), ("refunds", tr("退费"))):
            bar_set = QBarSet(title)
            bar_set.append([yuan_value(getattr(m, f"{key}_fen")) for m in months])
            series.append(bar_set)
            self.bar_sets[key] = bar_set
        self.money.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%.0f")
        top = max([bar.at(i) for bar in self.bar_sets.values() for i in range(bar.count())] + [1.0])
        axis_y.setRange(0, top * 1.1)
        axis_y.applyNiceNumbers()
        self._attach(self.money, series, axis_x, axis_y, months)

    def _show_rate(self, months: list[MonthFigures], labels: list[str]) -> None:
        self._reset(self.attendance)
        self.rate_series = QLineSeries()
        self.rate_series.setName(tr("出勤率"))
        self.rate_series.setPointsVisible(True)
        for i, m in enumerate(months):
            if m.attendance_rate is not None:
                self.rate_series.append(QPointF(i, float(m.attendance_rate * 100)))
        self.attendance.addSeries(self.rate_series)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat("%.0f")
        self._attach(self.attendance, self.rate_series, axis_x, axis_y, months)

    @staticmethod
    def _attach(
        chart: QChart,
        series: QBarSeries | QLineSeries,
        axis_x: QBarCategoryAxis,
        axis_y: QValueAxis,
        months: list[MonthFigures],
    ) -> None:
        if months:
            axis_x.setTitleText(f"{months[0].month:%Y-%m} – {months[-1].month:%Y-%m}")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)

    def total(self, key: str) -> float:
        bar_set = self.bar_sets[key]
        return sum(bar_set.at(i) for i in range(bar_set.count()))
