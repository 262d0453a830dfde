"""统计 › 管理评价: the 统计 range's evaluation by teacher or class (``app.views.evaluation``), compared
with the period before, the same period a year before, or typed dates; a table, a chart of one metric,
the parents' comments of the selected row, and the export of the table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import InstDeskError, ValidationError
from app.views.evaluation import (
    COMPARE_CHOICES,
    METRIC,
    METRICS,
    CompareRow,
    Comparison,
    chart_rows,
    evaluate_compared,
    previous_period,
    year_before,
)
from app.views.evaluation_export import comment_text, export_evaluation, file_name
from app.views.stats import parse_day
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info
from ui.models.evaluation import METRIC_TITLES, delta_columns, evaluation_model
from ui.models.paged import PagedTableModel
from ui.ops import Op
from ui.widgets.evaluation_chart import EvaluationChart
from ui.widgets.field_errors import error_label
from ui.widgets.roster_view import configure_table

BY_LABELS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("teacher", lambda: tr("按教师")),
    ("klass", lambda: tr("按班级")),
)
COMPARE_LABELS: dict[str, Callable[[], str]] = {
    "none": lambda: tr("不对比"),
    "previous": lambda: tr("对比上一期"),
    "year_before": lambda: tr("对比去年同期"),
    "custom": lambda: tr("对比自定义时段"),
}
CHART_METRIC = "attendance_rate"


class EvaluationTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.period: tuple[date, date] | None = None
        self.comparison: Comparison | None = None
        self._loaded: tuple[object, ...] | None = None
        self.model: PagedTableModel[CompareRow] = evaluation_model()
        self.table = QTableView()
        configure_table(self.table)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_comments())
        self.chart = EvaluationChart()
        self.comments = QPlainTextEdit()
        self.comments.setReadOnly(True)
        self.comments.setPlaceholderText(tr("选择一行查看家长评语"))
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.comments)
        left.setStretchFactor(0, 3)
        split.addWidget(left)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(self._bar())
        layout.addWidget(self.compare_error)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self._hide_deltas(True)

    def _bar(self) -> QHBoxLayout:
        self.by = QComboBox()
        for key, label in BY_LABELS:
            self.by.addItem(label(), key)
        self.compare = QComboBox()
        for key in COMPARE_CHOICES:
            self.compare.addItem(COMPARE_LABELS[key](), key)
        self.compare_from, self.compare_to = QLineEdit(), QLineEdit()
        for edit in (self.compare_from, self.compare_to):
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setMaximumWidth(130)
            edit.setVisible(False)
            edit.returnPressed.connect(self.reload)
        self.chart_metric = QComboBox()
        for metric in METRICS:
            self.chart_metric.addItem(METRIC_TITLES[metric.key](), metric.key)
        self.chart_metric.setCurrentIndex(self.chart_metric.findData(CHART_METRIC))
        self.compare_error = error_label()
        self.by.activated.connect(lambda _i: self.reload())
        self.compare.activated.connect(lambda _i: self._compare_chosen())
        self.chart_metric.activated.connect(lambda _i: self._show_chart())
        bar = QHBoxLayout()
        for widget in (
            self.by,
            self.compare,
            self.compare_from,
            self.compare_to,
            QLabel(tr("图表")),
            self.chart_metric,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        return bar

    # --- what to load ----------------------------------------------------------------------------------
    def chosen_by(self) -> str:
        return str(self.by.currentData())

    def other_period(self) -> tuple[date, date] | None:
        """The period to compare with; raises ``InstDeskError`` for typed dates that are not dates."""
        choice = str(self.compare.currentData())
        if self.period is None or choice == "none":
            return None
        if choice == "previous":
            return previous_period(*self.period)
        if choice == "year_before":
            return year_before(*self.period)
        first, last = parse_day(self.compare_from.text()), parse_day(self.compare_to.text())
        if first > last:
            raise ValidationError("evaluation.bad_range", date_from=first, date_to=last)
        return first, last

    def _compare_chosen(self) -> None:
        custom = self.compare.currentData() == "custom"
        for edit in (self.compare_from, self.compare_to):
            edit.setVisible(custom)
        if custom and self.period is not None and not self.compare_from.text():
            first, last = previous_period(*self.period)
            self.compare_from.setText(first.isoformat())
            self.compare_to.setText(last.isoformat())
        self.reload()

    def set_period(self, first: date, last: date) -> None:
        """The 统计 range changed, or its data did: loaded again when the tab is shown
        (``load_if_needed``)."""
        self.period = (first, last)
        self._loaded = None

    def load_if_needed(self) -> None:
        if self.period is not None and self._loaded != self._request_key():
            self.reload()

    def _request_key(self) -> tuple[object, ...]:
        return (
            self.period,
            self.chosen_by(),
            self.compare.currentData(),
            self.compare_from.text(),
            self.compare_to.text(),
        )

    def reload(self) -> None:
        if self.period is None:
            return
        try:
            other = self.other_period()
        except InstDeskError as exc:
            self.compare_error.setText(error_text(exc))
            self.compare_error.show()
            return
        self.compare_error.hide()
        db, actor, by, period = self.ctx.db, self.ctx.require_actor(), self.chosen_by(), self.period
        self._loaded = self._request_key()
        Op(lambda: evaluate_compared(db, actor, by, period, other)).success(self._loaded_comparison).run()

    # --- showing ---------------------------------------------------------------------------------------
    def _loaded_comparison(self, comparison: Comparison) -> None:
        current = comparison.current
        if (current.date_from, current.date_to) != self.period or current.by != self.chosen_by():
            return  # an older request
        self.comparison = comparison
        self.model.set_rows([*comparison.rows, comparison.total])
        self._hide_deltas(not comparison.compared)
        self._show_summary(comparison)
        self._show_chart()
        self._show_comments()

    def _hide_deltas(self, hidden: bool) -> None:
        for column in delta_columns():
            self.table.setColumnHidden(column, hidden)

    def _show_summary(self, comparison: Comparison) -> None:
        current, previous = comparison.current, comparison.previous
        text = tr(
            "评价期：{first} 至 {last}", first=current.date_from.isoformat(), last=current.date_to.isoformat()
        )
        if previous is not None:
            text += "　" + tr(
                "对比期：{first} 至 {last}",
                first=previous.date_from.isoformat(),
                last=previous.date_to.isoformat(),
            )
        self.summary.setText(text)

    def _show_chart(self) -> None:
        if self.comparison is None:
            return
        metric = METRIC[str(self.chart_metric.currentData())]
        self.chart.show_rows(chart_rows(self.comparison), metric, self.comparison.compared)

    def _show_comments(self) -> None:
        row = (
            self.model.row_at(self.table.currentIndex().row())
            if self.table.currentIndex().isValid()
            else None
        )
        if row is None and self.comparison is not None:
            row = self.comparison.total
        figures = row.current if row is not None else None
        lines = [comment_text(c) for c in figures.comments] if figures is not None else []
        self.comments.setPlainText("\n".join(lines) if lines else tr("本期没有家长评语"))

    # --- export ----------------------------------------------------------------------------------------
    def default_file_name(self) -> str:
        first, last = self.period or (self.ctx.today(), self.ctx.today())
        return file_name(self.chosen_by(), first, last)

    def export_to(self, path: Path) -> Op[int] | None:
        """The table as loaded (with the compared period, if any) to ``.xlsx``/``.csv``."""
        comparison = self.comparison
        if comparison is None:
            return None
        db, actor = self.ctx.db, self.ctx.require_actor()
        op: Op[int] = Op(lambda: export_evaluation(db, actor, comparison, path))
        op.with_progress(tr("正在导出…"), self).success(
            lambda n: info(tr("已导出 {n} 行到 {file}", n=n, file=path.name))
        )
        op.run()
        return op
