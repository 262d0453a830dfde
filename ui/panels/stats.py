"""统计 Statistics: twelve months of 课消, payments, refunds and attendance as charts; a chosen range by
course and by teacher; export of that range to Excel (in the background, with progress)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.io.export import default_file_name, export
from app.permissions import Permission
from app.reports.stats import Stats
from app.views.stats import MonthFigures, month_start, monthly_figures, range_stats
from ui.changes import Entity
from ui.context import AppContext
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.labels import yuan
from ui.messages import info
from ui.models.stats import rate_text, stats_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.dates import pydate, qdate
from ui.widgets.roster_view import configure_table
from ui.widgets.stats_charts import StatsCharts


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _table(model: object) -> QTableView:
    view = QTableView()
    configure_table(view)
    view.setModel(model)  # type: ignore[arg-type]
    return view


def export_filters() -> str:
    return tr("Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8）(*.csv)")


class StatsPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        today = ctx.today()
        self.months: list[MonthFigures] = []
        self.stats: Stats | None = None
        self.charts = StatsCharts()
        self.date_from, self.date_to = _date_edit(month_start(today)), _date_edit(today)
        self.by_course, self.by_teacher = stats_model(), stats_model()
        self.totals = QLabel("")
        self.totals.setWordWrap(True)
        self.tables = QTabWidget()
        self.tables.addTab(_table(self.by_course), tr("按课程"))
        self.tables.addTab(_table(self.by_teacher), tr("按教师"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.charts, 3)
        layout.addLayout(self._range_bar())
        layout.addWidget(self.totals)
        layout.addWidget(self.tables, 2)

    def _range_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("统计区间")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("–"))
        bar.addWidget(self.date_to)
        self.query_button = QPushButton(tr("查询"))
        self.query_button.clicked.connect(self.load_range)
        bar.addWidget(self.query_button)
        bar.addStretch(1)
        self.export_button = QPushButton(tr("导出 Excel"))
        self.export_button.clicked.connect(self.choose_export)
        self.export_button.setVisible(self.ctx.may(Permission.EXPORT))
        bar.addWidget(self.export_button)
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.ATTENDANCE, Entity.PAYMENT, Entity.REFUND, Entity.LEDGER, Entity.SYNC)

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.load_months()
        self.load_range()

    def load_months(self) -> None:
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        op: Op[list[MonthFigures]] = Op(lambda: monthly_figures(db, actor, today, 12, op.cancel_event.is_set))
        op.with_progress(tr("正在统计近12个月…"), self).success(self._months_loaded).run()

    def _months_loaded(self, months: list[MonthFigures]) -> None:
        self.months = months
        self.charts.show_months(months)

    def chosen_range(self) -> tuple[date, date]:
        return pydate(self.date_from.date()), pydate(self.date_to.date())

    def load_range(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        first, last = self.chosen_range()
        Op(lambda: range_stats(db, actor, first, last)).success(self._range_loaded).run()

    def _range_loaded(self, stats: Stats) -> None:
        self.stats = stats
        self.by_course.set_rows(stats.by_course)
        self.by_teacher.set_rows(stats.by_teacher)
        t = stats.total
        self.totals.setText(
            tr(
                "合计：上课 {lessons} 次，出勤率 {rate}，课消 {consumed}，收款 {paid}，退费 {refunded}",
                lessons=t.lessons_held, rate=rate_text(t) or "—", consumed=yuan(t.consumed_fen),
                paid=yuan(t.payments_fen), refunded=yuan(t.refunds_fen),
            )
        )  # fmt: skip

    # --- export ----------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        """Ask where (Documents, ``统计-2026年11月.xlsx``); the chosen type decides .xlsx or .csv."""
        path = ask_save_path(self, tr("导出统计"), self.default_export_name(), export_filters())
        if path is not None:
            self.export_to(path)

    def default_export_name(self) -> str:
        return default_file_name("statistics", *self.chosen_range())

    def export_to(self, path: Path) -> Op[int]:
        db, actor = self.ctx.db, self.ctx.require_actor()
        first, last = self.chosen_range()
        op: Op[int] = Op(lambda: export(db, actor, "statistics", path, first, last))
        op.with_progress(tr("正在导出…"), self).success(
            lambda n: info(tr("已导出 {n} 行到 {file}", n=n, file=path.name))
        )
        op.run()
        return op
