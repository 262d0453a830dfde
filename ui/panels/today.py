"""今日 Today: the home screen of every role. Today's lessons with their roll-call state, arrivals so far,
students of today's lessons about to run out of 课时, refund requests with the working days left, the
消课 disputes whose answer is due today (the platform's window ends tonight), and the sync state; each
item is one click (or Enter) away from the screen that handles it (``navigate``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import SessionStatus
from app.permissions import Permission
from ui.changes import Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import units, yuan
from ui.models.codes import WEEKDAYS
from ui.models.confirmations import countdown_text, tick
from ui.models.inbox import days_left_text
from ui.models.paged import Column, PagedTableModel
from ui.ops import Op
from ui.panels.base import Panel
from ui.qt_compat import emit
from ui.style import DANGER, SUCCESS
from ui.widgets.empty_state import EmptyState
from ui.widgets.roster_view import configure_table
from ui.widgets.sync_status import describe

if TYPE_CHECKING:  # the read models pull in pypinyin (~0.4 s): not at start-up
    from app.views.confirmations import ConfirmationItem
    from app.views.inbox import InboxItem
    from app.views.students import SessionLine
    from app.views.today import LowBalance, TodayOverview


def load_overview(ctx: AppContext) -> Callable[[], TodayOverview]:
    db, actor, day, now = ctx.db, ctx.require_actor(), ctx.today(), ctx.now()

    def run() -> TodayOverview:
        from app.views.today import today_overview

        return today_overview(db, actor, day, now)

    return run


def call_state(line: SessionLine) -> str:
    if line.status == SessionStatus.CANCELLED:
        return tr("已取消")
    if line.marked == 0:
        return tr("未点名")
    if line.marked < line.members:
        return tr("点名中 {marked}/{members}", marked=line.marked, members=line.members)
    return tr("已点名 {marked}/{members}", marked=line.marked, members=line.members)


def lessons_model() -> PagedTableModel[SessionLine]:
    columns: list[Column[SessionLine]] = [
        Column(tr("时间"), lambda s: f"{s.start_time}–{s.end_time}"),
        Column(tr("班级"), lambda s: s.klass_name),
        Column(tr("课程"), lambda s: s.course_name),
        Column(tr("老师"), lambda s: s.teacher_name or ""),
        Column(tr("点名"), call_state, foreground=lambda s: DANGER if s.marked == 0 else SUCCESS),
    ]
    return PagedTableModel(columns)


def low_balance_model() -> PagedTableModel[LowBalance]:
    columns: list[Column[LowBalance]] = [
        Column(tr("学员"), lambda r: r.name),
        Column(tr("课程"), lambda r: r.course_name),
        Column(tr("剩余课时"), lambda r: units(r.units_left), foreground=lambda _r: DANGER),
    ]
    return PagedTableModel(columns)


def refunds_model() -> PagedTableModel[InboxItem]:
    columns: list[Column[InboxItem]] = [
        Column(tr("学员"), lambda r: r.student_name or ""),
        Column(tr("金额"), lambda r: yuan(r.amount_fen) if r.amount_fen is not None else ""),
        Column(tr("剩余"), days_left_text, foreground=lambda r: DANGER if (r.days_left or 0) <= 1 else None),
    ]
    return PagedTableModel(columns)


def disputes_model(clock: Callable[[], datetime]) -> PagedTableModel[ConfirmationItem]:
    columns: list[Column[ConfirmationItem]] = [
        Column(tr("学员"), lambda r: r.student_name or ""),
        Column(tr("课程"), lambda r: r.course_name or ""),
        Column(tr("上课日期"), lambda r: f"{r.lesson_date:%m-%d}" if r.lesson_date else ""),
        Column(tr("金额"), lambda r: yuan(r.amount_fen) if r.amount_fen is not None else ""),
        Column(tr("剩余"), lambda r: countdown_text(r, clock()), foreground=lambda _r: DANGER),
    ]
    return PagedTableModel(columns)


class Card(QFrame):
    """A white card with a title, and either one big figure or a list with a sentence when it is empty."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 14)
        self.body.setSpacing(6)
        self.body.addWidget(self.title)


class FigureCard(Card):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.figure = QLabel("–")
        self.figure.setObjectName("figure")
        self.caption = QLabel("")
        self.caption.setObjectName("figureCaption")
        self.caption.setWordWrap(True)
        self.body.addWidget(self.figure)
        self.body.addWidget(self.caption)

    def show_figure(self, figure: str, caption: str) -> None:
        self.figure.setText(figure)
        self.caption.setText(caption)


class ListCard(Card):
    """A card with a table and the sentence shown in its place while the table is empty."""

    activated = Signal(int)

    def __init__(
        self, title: str, empty: str, model: PagedTableModel[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.model = model
        self.view = QTableView()
        configure_table(self.view)
        self.view.setModel(model)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        self.empty = EmptyState(self.view, empty)
        self.body.addWidget(self.empty, 1)

    def show_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            emit(self.activated, index.row())


class TodayPanel(Panel):
    #: (panel key, item id): the main window brings that screen forward with the item selected
    navigate = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.overview: TodayOverview | None = None
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.lessons_figure = FigureCard(tr("今日课程"))
        self.arrivals_figure = FigureCard(tr("已到学员"))
        self.low_figure = FigureCard(tr("课时将用完"))
        self.sync_figure = FigureCard(tr("平台同步"))
        self.owed_figure = FigureCard(tr("先学后付欠费"))
        self.owed_figure.setVisible(ctx.may(Permission.TAKE_PAYMENT))
        self.lessons = ListCard(
            tr("今日课程与点名"), tr("今天没有课。排课后，当天的课会列在这里。"), lessons_model()
        )
        self.low = ListCard(tr("课时即将用完"), tr("今天上课的学员课时都充足。"), low_balance_model())
        self.refunds = ListCard(
            tr("待处理的退费申请"),
            tr("没有待处理的退费申请。家长在平台上申请退费后会出现在这里。"),
            refunds_model(),
        )
        self.disputes = ListCard(
            tr("今日到期的消课异议"),
            tr("今天没有到期的消课异议。家长的异议须在平台确认期限内答复，最后一天会列在这里。"),
            disputes_model(ctx.now),
        )
        self.timer = QTimer(self)
        self.timer.setInterval(30_000)
        self.timer.timeout.connect(lambda: tick(self.disputes.model, column=4))
        self.timer.start()
        self.disputes.activated.connect(self._open_dispute)
        self.lessons.activated.connect(self._open_lesson)
        self.low.activated.connect(self._open_student)
        self.refunds.activated.connect(self._open_refund)
        self._layout()

    def _layout(self) -> None:
        figures = QHBoxLayout()
        cards = (
            self.lessons_figure,
            self.arrivals_figure,
            self.low_figure,
            self.owed_figure,
            self.sync_figure,
        )
        for card in cards:
            figures.addWidget(card, 1)
        self.open_owed = QPushButton(tr("查看欠费"))
        self.open_owed.clicked.connect(lambda: emit(self.navigate, "owed", ""))
        self.open_owed.setVisible(self.ctx.may(Permission.TAKE_PAYMENT))
        self.open_frontdesk = QPushButton(tr("去前台点名"))
        self.open_frontdesk.setObjectName("primary")
        self.open_frontdesk.clicked.connect(lambda: emit(self.navigate, "frontdesk", ""))
        self.open_frontdesk.setVisible(self.ctx.may(Permission.ROLL_CALL))
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.open_owed)
        top.addWidget(self.open_frontdesk)
        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addWidget(self.lessons, 0, 0, 3, 1)
        grid.addWidget(self.low, 0, 1)
        grid.addWidget(self.refunds, 1, 1)
        grid.addWidget(self.disputes, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.refunds.setVisible(self.ctx.may(Permission.SYNC))
        self.disputes.setVisible(self.ctx.may(Permission.SYNC))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addLayout(figures)
        layout.addLayout(grid, 1)

    def concerns(self) -> tuple[Entity, ...]:
        return (
            Entity.SESSION,
            Entity.ATTENDANCE,
            Entity.LEDGER,
            Entity.CONTRACT,
            Entity.STUDENT,
            Entity.REFUND,
            Entity.PAYMENT,
            Entity.SYNC,
        )

    def refresh(self) -> None:
        day = self.ctx.today()
        weekday = WEEKDAYS[day.weekday()]()
        self.heading.setText(
            tr(
                "{year}年{month}月{day}日　{weekday}",
                year=day.year,
                month=day.month,
                day=day.day,
                weekday=weekday,
            )
        )
        Op(load_overview(self.ctx)).success(self.show_overview).run()
        self.show_sync()

    def show_overview(self, overview: TodayOverview) -> None:
        self.overview = overview
        to_call = overview.waiting.lessons_to_call
        self.lessons_figure.show_figure(
            str(len(overview.lessons)), tr("未点名 {n} 节", n=to_call) if to_call else tr("都已点名")
        )
        self.arrivals_figure.show_figure(str(overview.arrivals), tr("应到 {n} 人次", n=overview.expected))
        self.low_figure.show_figure(str(len(overview.low_balance)), tr("今天上课、课时即将用完的学员"))
        owed = overview.owed
        if owed is not None:
            caption = (
                tr("{families} 户，{lessons} 节课未付", families=owed.families, lessons=owed.lessons)
                if owed.families
                else tr("没有欠费的家庭")
            )
            self.owed_figure.show_figure(yuan(owed.owed_fen), caption)
        self.lessons.show_rows(list(overview.lessons))
        self.low.show_rows(list(overview.low_balance))
        self.refunds.show_rows(list(overview.refunds))
        self.disputes.show_rows(list(overview.disputes_due))

    def show_sync(self) -> None:
        online, pending, last, problems = describe(self.ctx.sync.status())
        self.sync_figure.show_figure(online, "　".join(t for t in (pending, last, problems) if t))

    def _open_lesson(self, row: int) -> None:
        if self.overview is not None and row < len(self.overview.lessons):
            emit(self.navigate, "frontdesk", self.overview.lessons[row].session_id)

    def _open_student(self, row: int) -> None:
        if self.overview is not None and row < len(self.overview.low_balance):
            emit(self.navigate, "students", self.overview.low_balance[row].student_id)

    def _open_dispute(self, row: int) -> None:
        if self.overview is not None and row < len(self.overview.disputes_due):
            emit(self.navigate, "platform", f"dispute:{self.overview.disputes_due[row].confirmation_id}")

    def _open_refund(self, row: int) -> None:
        if self.overview is not None and row < len(self.overview.refunds):
            emit(self.navigate, "platform", self.overview.refunds[row].item_id)
