"""统计 Statistics: a range chosen by a quick range (本月, 上月, 本学期, 今年), a month, or typed dates; its
months as charts (课消, payments, refunds in 元/万元, attendance), whose titles name those months; the range
by course, teacher, class and student; the table shown, or the whole statistics, exported (in the
background, with progress)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import InstDeskError
from app.io.export import default_file_name, export
from app.permissions import Permission
from app.reports.by_student import StudentStats
from app.reports.stats import GroupRow, Stats
from app.views.stats import (
    QUICK_RANGES,
    MonthFigures,
    add_months,
    export_table,
    month_end,
    month_start,
    parse_day,
    quick_range,
    range_months,
    range_stats,
    students_stats,
)
from ui.changes import Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.labels import yuan
from ui.messages import info
from ui.models.paged import PagedTableModel
from ui.models.stats import rate_text, stats_model, student_stats_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.panels.evaluation_tab import EvaluationTab
from ui.widgets.field_errors import error_label
from ui.widgets.roster_view import configure_table
from ui.widgets.stats_charts import StatsCharts

QUICK_LABELS: dict[str, Callable[[], str]] = {
    "this_month": lambda: tr("本月"),
    "last_month": lambda: tr("上月"),
    "this_term": lambda: tr("本学期"),
    "this_year": lambda: tr("今年"),
}
CUSTOM = "custom"
PICKED_MONTHS = 24
#: the tables, in tab order: key of ``app.views.stats.export_table`` and the tab title
TABLES: tuple[tuple[str, Callable[[], str]], ...] = (
    ("course", lambda: tr("按课程")),
    ("teacher", lambda: tr("按教师")),
    ("klass", lambda: tr("按班级")),
    ("student", lambda: tr("按学员")),
)


def export_filters() -> str:
    return tr("Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8）(*.csv)")


def _table(model: object) -> QTableView:
    view = QTableView()
    configure_table(view)
    view.setModel(model)  # type: ignore[arg-type]
    return view


class StatsPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.months: list[MonthFigures] = []
        self.stats: Stats | None = None
        self.range: tuple[date, date] = quick_range("this_month", ctx.today())
        self._students_of: tuple[date, date] | None = None
        self.charts = StatsCharts()
        self.models: dict[str, PagedTableModel[GroupRow]] = {
            "course": stats_model(),
            "teacher": stats_model(),
            "klass": stats_model(),
            "student": student_stats_model(),
        }
        self.by_course, self.by_teacher = self.models["course"], self.models["teacher"]
        self.by_class, self.by_student = self.models["klass"], self.models["student"]
        self.totals = QLabel("")
        self.totals.setWordWrap(True)
        self.tables = QTabWidget()
        for key, title in TABLES:
            self.tables.addTab(_table(self.models[key]), title())
        self.evaluation = EvaluationTab(ctx)
        self.tables.addTab(self.evaluation, tr("管理评价"))
        self.tables.currentChanged.connect(lambda _i: self._load_shown_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(self._range_bar())
        layout.addWidget(self.date_error)
        layout.addWidget(self.charts, 3)
        layout.addWidget(self.totals)
        layout.addWidget(self.tables, 2)
        layout.addLayout(self._export_bar())
        self._show_range()

    def _range_bar(self) -> QHBoxLayout:
        self.quick = QComboBox()
        for key in QUICK_RANGES:
            self.quick.addItem(QUICK_LABELS[key](), key)
        self.quick.addItem(tr("自定义"), CUSTOM)
        self.quick.activated.connect(lambda _i: self.choose_quick(str(self.quick.currentData())))
        self.month = QComboBox()
        self.month.addItem(tr("选择月份…"), None)
        current = month_start(self.ctx.today())
        for k in range(PICKED_MONTHS):
            month = add_months(current, -k)
            self.month.addItem(f"{month:%Y-%m}", month)
        self.month.activated.connect(lambda _i: self.choose_month(self.month.currentData()))
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for edit in (self.date_from, self.date_to):
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setMaximumWidth(130)
            edit.returnPressed.connect(self.apply_typed)
            edit.editingFinished.connect(self.apply_typed)
        self.date_error = error_label()
        self.query_button = QPushButton(tr("查询"))
        self.query_button.clicked.connect(self.apply_typed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("统计区间")))
        for widget in (self.quick, self.month, self.date_from, QLabel("–"), self.date_to, self.query_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        return bar

    def _export_bar(self) -> QHBoxLayout:
        self.export_table_button = QPushButton(tr("导出当前表…"))
        self.export_table_button.clicked.connect(self.choose_table_export)
        self.export_button = QPushButton(tr("导出全部统计…"))
        self.export_button.clicked.connect(self.choose_export)
        bar = QHBoxLayout()
        bar.addStretch(1)
        for button in (self.export_table_button, self.export_button):
            button.setVisible(self.ctx.may(Permission.EXPORT))
            bar.addWidget(button)
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.ATTENDANCE, Entity.PAYMENT, Entity.REFUND, Entity.LEDGER, Entity.SYNC)

    # --- the range -------------------------------------------------------------------------------------
    def chosen_range(self) -> tuple[date, date]:
        return self.range

    def _show_range(self) -> None:
        first, last = self.range
        self.date_from.setText(first.isoformat())
        self.date_to.setText(last.isoformat())
        self.date_error.hide()

    def set_range(self, first: date, last: date, quick: str = CUSTOM) -> None:
        """Show and load a range (a quick range's key, or custom)."""
        self.range = (first, last)
        self.quick.setCurrentIndex(self.quick.findData(quick))
        if quick != CUSTOM or (first, last) != (month_start(first), month_end(first)):
            self.month.setCurrentIndex(0)
        self._show_range()
        self.refresh()

    def choose_quick(self, key: str) -> None:
        if key != CUSTOM:
            self.set_range(*quick_range(key, self.ctx.today()), quick=key)

    def choose_month(self, month: date | None) -> None:
        if month is not None:
            self.set_range(month, month_end(month))
            self.month.setCurrentIndex(self.month.findData(month))

    def apply_typed(self) -> None:
        """Typed dates (2026-03-01, 2026/3/1, 2026年3月1日 …) replace the range once both are valid."""
        try:
            first, last = parse_day(self.date_from.text()), parse_day(self.date_to.text())
        except InstDeskError as exc:
            self._date_problem(error_text(exc))
            return
        if first > last:
            self._date_problem(tr("开始日期不能晚于结束日期"))
            return
        if (first, last) != self.range:
            self.set_range(first, last)
        else:
            self._show_range()

    def _date_problem(self, text: str) -> None:
        self.date_error.setText(text)
        self.date_error.show()

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load_months()
        self.load_range()
        self.evaluation.set_period(*self.range)
        self._load_shown_tab()

    def showing_evaluation(self) -> bool:
        return self.tables.currentWidget() is self.evaluation

    def _load_shown_tab(self) -> None:
        """The tables by student and the 管理评价 read more than the rest: only when their tab is shown."""
        if self.showing_evaluation():
            self.evaluation.load_if_needed()
        else:
            self._load_students_if_shown()

    def load_months(self) -> None:
        db, actor, (first, last) = self.ctx.db, self.ctx.require_actor(), self.range
        op: Op[list[MonthFigures]] = Op(lambda: range_months(db, actor, first, last, op.cancel_event.is_set))
        op.with_progress(tr("正在统计每月数据…"), self).success(self._months_loaded).run()

    def _months_loaded(self, months: list[MonthFigures]) -> None:
        self.months = months
        self.charts.show_months(months)

    def load_range(self) -> None:
        db, actor, (first, last) = self.ctx.db, self.ctx.require_actor(), self.range
        self._students_of = None
        Op(lambda: range_stats(db, actor, first, last)).success(self._range_loaded).run()

    def _range_loaded(self, stats: Stats) -> None:
        if (stats.date_from, stats.date_to) != self.range:
            return
        self.stats = stats
        self.by_course.set_rows(stats.by_course)
        self.by_teacher.set_rows(stats.by_teacher)
        self.by_class.set_rows(stats.by_class)
        t = stats.total
        self.totals.setText(
            tr(
                "{first} 至 {last} 合计：上课 {lessons} 次，出勤率 {rate}，课消 {consumed}，收款 {paid}，退费 {refunded}",  # noqa: E501 - one literal for the translation catalogue
                first=stats.date_from.isoformat(),
                last=stats.date_to.isoformat(),
                lessons=t.lessons_held,
                rate=rate_text(t) or "—",
                consumed=yuan(t.consumed_fen),
                paid=yuan(t.payments_fen),
                refunded=yuan(t.refunds_fen),
            )
            + tr(
                "；先学后付课费 {fees}，已收 {received}（不计入课消和收款）",
                fees=yuan(t.pay_after_fen),
                received=yuan(t.pay_after_paid_fen),
            )
        )

    def _load_students_if_shown(self) -> None:
        """The table by student reads the range's source rows: only when its tab is shown."""
        if self.showing_evaluation() or self.current_table() != "student" or self._students_of == self.range:
            return
        db, actor, (first, last) = self.ctx.db, self.ctx.require_actor(), self.range
        self._students_of = self.range
        Op(lambda: students_stats(db, actor, first, last)).success(self._students_loaded).run()

    def _students_loaded(self, stats: StudentStats) -> None:
        if (stats.date_from, stats.date_to) == self.range:
            self.by_student.set_rows(stats.rows)

    # --- export ----------------------------------------------------------------------------------------
    def current_table(self) -> str:
        """The key of the table shown (``evaluation`` for the 管理评价 tab)."""
        index = self.tables.currentIndex()
        return TABLES[index][0] if index < len(TABLES) else "evaluation"

    def choose_table_export(self) -> None:
        """Ask where (Documents, ``统计按班级-2026年11月.xlsx``); the chosen type decides .xlsx or .csv."""
        path = ask_save_path(self, tr("导出当前表"), self.default_table_name(), export_filters())
        if path is not None:
            self.export_table_to(path)

    def default_table_name(self) -> str:
        if self.showing_evaluation():
            return self.evaluation.default_file_name()
        title = self.tables.tabText(self.tables.currentIndex())
        return default_file_name("statistics", *self.range).replace("统计", f"统计{title}", 1)

    def export_table_to(self, path: Path) -> Op[int] | None:
        if self.showing_evaluation():
            return self.evaluation.export_to(path)
        db, actor, table, (first, last) = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.current_table(),
            self.range,
        )
        op: Op[int] = Op(lambda: export_table(db, actor, table, path, first, last))
        op.with_progress(tr("正在导出…"), self).success(
            lambda n: info(tr("已导出 {n} 行到 {file}", n=n, file=path.name))
        )
        op.run()
        return op

    def choose_export(self) -> None:
        """Ask where (Documents, ``统计-2026年11月.xlsx``); the chosen type decides .xlsx or .csv."""
        path = ask_save_path(self, tr("导出统计"), self.default_export_name(), export_filters())
        if path is not None:
            self.export_to(path)

    def default_export_name(self) -> str:
        return default_file_name("statistics", *self.chosen_range())

    def export_to(self, path: Path) -> Op[int]:
        db, actor, (first, last) = self.ctx.db, self.ctx.require_actor(), self.range
        op: Op[int] = Op(lambda: export(db, actor, "statistics", path, first, last))
        op.with_progress(tr("正在导出…"), self).success(
            lambda n: info(tr("已导出 {n} 行到 {file}", n=n, file=path.name))
        )
        op.run()
        return op
