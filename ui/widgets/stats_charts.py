"""The month-by-month charts of the statistics screen: money by month (课消, payments, refunds) as bars,
and the attendance rate by month as a line (months with no expected students are left out).

The money axis is in 元, or in 万元 once the largest bar reaches 100,000 元, with thousands separators
(``QCategoryAxis`` labels placed on the tick values: a printf label format has no separators). Each
chart's title names the months it shows."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
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

WAN_FROM_YUAN = 100_000  # a largest bar of 10万元 or more is drawn in 万元
TICKS = 5


def yuan_value(fen: int) -> float:
    """A chart coordinate (display only; figures in tables and exports stay exact)."""
    return fen / 100


def money_unit(top_yuan: float) -> tuple[float, str]:
    """The divisor and unit of the money axis: 元, or 万元 for large amounts."""
    return (10_000.0, tr("万元")) if top_yuan >= WAN_FROM_YUAN else (1.0, tr("元"))


def nice_step(top: float, ticks: int = TICKS) -> float:
    """A round tick step (1, 2, 2.5 or 5 × 10^k) so that ``ticks`` steps cover ``top``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power: float = 10.0 ** math.floor(math.log10(raw))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def tick_label(value: float, step: float) -> str:
    """A tick value with thousands separators, decimals only when the step needs them."""
    decimals = 0 if float(step).is_integer() else (1 if float(step * 10).is_integer() else 2)
    return f"{value:,.{decimals}f}"


def range_title(months: list[MonthFigures]) -> str:
    if not months:
        return ""
    first, last = months[0].month, months[-1].month
    return (
        f"{first:%Y-%m}"
        if first == last
        else tr("{first} 至 {last}", first=f"{first:%Y-%m}", last=f"{last:%Y-%m}")
    )


def _view(chart: QChart) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(240)
    return view


class StatsCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.money = QChart()
        self.money.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.attendance = QChart()
        self.unit = tr("元")
        self.divisor = 1.0
        self.axis_labels: list[str] = []
        self.attendance.legend().hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_view(self.money), 3)
        layout.addWidget(_view(self.attendance), 2)
        self.bar_sets: dict[str, QBarSet] = {}
        self.rate_series = QLineSeries()

    def show_months(self, months: list[MonthFigures]) -> None:
        several_years = len({m.month.year for m in months}) > 1
        labels = [f"{m.month:%y-%m}" if several_years else f"{m.month:%m}" for m in months]
        self._show_money(months, labels)
        self._show_rate(months, labels)
        span = range_title(months)
        self.money.setTitle(tr("{span} 每月金额（{unit}）", span=span, unit=self.unit))
        self.attendance.setTitle(tr("{span} 每月出勤率（%）", span=span))

    def _reset(self, chart: QChart) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _show_money(self, months: list[MonthFigures], labels: list[str]) -> None:
        self._reset(self.money)
        series = QBarSeries()
        self.bar_sets = {}
        keys = (("consumed", tr("课消")), ("payments", tr("收款")), ("refunds", tr("退费")))
        top_yuan = max([yuan_value(getattr(m, f"{key}_fen")) for m in months for key, _ in keys] + [0.0])
        self.divisor, self.unit = money_unit(top_yuan)
        for key, title in keys:
            bar_set = QBarSet(title)
            bar_set.append([yuan_value(getattr(m, f"{key}_fen")) / self.divisor for m in months])
            series.append(bar_set)
            self.bar_sets[key] = bar_set
        self.money.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        self._attach(self.money, series, axis_x, self._money_axis(top_yuan / self.divisor), months)

    def _money_axis(self, top: float) -> QCategoryAxis:
        """Ticks at round values labelled with separators (``1,200``, ``12.5``), unit in the title."""
        step = nice_step(top)
        count = max(1, math.ceil(top / step))
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setRange(0, step * count)
        self.axis_labels = [tick_label(step * i, step) for i in range(count + 1)]
        for i, text in enumerate(self.axis_labels):
            axis.append(text, step * i)
        axis.setTitleText(self.unit)
        return axis

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
            axis_x.setTitleText(range_title(months))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)

    def total(self, key: str) -> float:
        """The bars of one series added up, in 元 whatever the axis unit."""
        bar_set = self.bar_sets[key]
        return sum(bar_set.at(i) for i in range(bar_set.count())) * self.divisor
