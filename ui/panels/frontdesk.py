"""前台 Front desk: today's lessons by time, roll call with the keyboard or a barcode scanner, low-balance
warnings, and undo of the last roll call (the charges are given back; the rows stay, audited).

A roll call, a card or an undo is one op: the change, then the lesson's roster and today's lessons read
again on the same worker call; the panel updates the changed rows in place and announces the change as
its origin, so it does not reload a second time (other panels refresh as usual).

The core's read models are imported on first use (on the database worker): they pull in pypinyin's
dictionaries (~0.4 s), which the main window must not wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.permissions import Actor
from app.services.rollcall import (
    CheckInResult,
    RollCallResult,
    UndoResult,
    check_in_by_card,
    roll_call,
    undo_roll_call,
)
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import units
from ui.models.frontdesk import RosterModel, sessions_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.roster_view import RosterView, configure_table

if TYPE_CHECKING:
    from app.services.students_view import RosterLine, SessionLine

ROLL_CALL_CHANGES = Changes.of(Entity.ATTENDANCE, Entity.LEDGER, Entity.SESSION)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def load_sessions(db: Database, actor: Actor, day: date) -> list[SessionLine]:
    from app.services.students_view import today_sessions

    return today_sessions(db, actor, day)


def load_roster(db: Database, actor: Actor, session_id: str) -> list[RosterLine]:
    from app.services.students_view import session_roster

    return session_roster(db, actor, session_id)


@dataclass(frozen=True)
class AfterChange(Generic[T_co]):
    """A front-desk mutation's result with the lesson's roster and today's lessons read right after it."""

    result: T_co
    session_id: str
    roster: list[RosterLine]
    sessions: list[SessionLine]


def change_then_reload(
    db: Database, actor: Actor, day: date, session_id: str, change: Callable[[], T]
) -> AfterChange[T]:
    """Runs on the worker: the change (its own transaction), then the rows the front desk shows."""
    result = change()
    return AfterChange(result, session_id, load_roster(db, actor, session_id), load_sessions(db, actor, day))


@dataclass(frozen=True)
class LastAction:
    """What "undo" gives back: the students marked by the last roll call or card."""

    session_id: str
    student_ids: tuple[str, ...]


def check_in_text(result: CheckInResult) -> tuple[str, bool]:
    """The scanner's instant answer and whether it is good news."""
    name = result.student_name or ""
    texts = {
        "checked_in": (tr("{name} 已签到", name=name), True),
        "already": (tr("{name} 已签到过", name=name), True),
        "not_in_class": (tr("{name} 不在本班", name=name), False),
        "no_units": (tr("{name} 课时不足", name=name), False),
        "unknown_card": (tr("未知卡号"), False),
    }
    return texts.get(result.kind, (result.kind, False))


class FrontDeskPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.sessions = sessions_model()
        self.roster = RosterModel()
        self.session: SessionLine | None = None
        self.last_action: LastAction | None = None
        self._wanted: str | None = None
        self._roster_of: str | None = None
        splitter = QSplitter()
        splitter.addWidget(self._sessions_side())
        splitter.addWidget(self._roll_call_side())
        splitter.setSizes([540, 660])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.scanner.setFocus)

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.SESSION, Entity.ATTENDANCE, Entity.STUDENT, Entity.CONTRACT, Entity.KLASS, Entity.SYNC)

    # --- layout ----------------------------------------------------------------------------------------
    def _sessions_side(self) -> QWidget:
        side = QWidget()
        self.day_label = QLabel()
        self.day_label.setObjectName("heading")
        self.sessions_view = QTableView()
        configure_table(self.sessions_view)
        self.sessions_view.setModel(self.sessions)
        self.sessions_view.clicked.connect(self._session_clicked)
        self.sessions_view.activated.connect(self._session_clicked)
        layout = QVBoxLayout(side)
        layout.addWidget(self.day_label)
        layout.addWidget(self.sessions_view)
        return side

    def _roll_call_side(self) -> QWidget:
        side = QWidget()
        self.session_label = QLabel(tr("请选择左侧的课次"))
        self.session_label.setObjectName("heading")
        self.scanner = QLineEdit()
        self.scanner.setPlaceholderText(tr("刷卡或输入卡号后按回车签到"))
        self.scanner.returnPressed.connect(self.scan)
        self.scan_result = QLabel("")
        self.scan_result.setObjectName("scanResult")
        self.roster_view = RosterView()
        self.roster_view.setModel(self.roster)
        self.roster_view.marked.connect(self.roster.mark)
        self.roster_view.save_requested.connect(self.save_roll_call)
        self.warnings = QLabel("")
        self.warnings.setObjectName("warning")
        self.warnings.setWordWrap(True)
        layout = QVBoxLayout(side)
        layout.addWidget(self.session_label)
        layout.addWidget(self.scanner)
        layout.addWidget(self.scan_result)
        layout.addWidget(QLabel(tr("键盘点名：1 出勤　2 迟到　3 请假　4 缺勤　Ctrl+回车 保存")))
        layout.addWidget(self.roster_view, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(self._buttons())
        self._enable(False)
        return side

    def _buttons(self) -> QHBoxLayout:
        self.all_present = QPushButton(tr("全部出勤"))
        self.save_button = QPushButton(tr("保存点名"))
        self.undo_button = QPushButton(tr("撤销上次点名"))
        self.save_button.setDefault(True)
        self.all_present.clicked.connect(lambda: self.roster.mark_all("present"))
        self.save_button.clicked.connect(self.save_roll_call)
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_button.setEnabled(False)
        row = QHBoxLayout()
        for button in (self.all_present, self.save_button, self.undo_button):
            row.addWidget(button)
        return row

    def _enable(self, on: bool) -> None:
        for widget in (self.scanner, self.roster_view, self.all_present, self.save_button):
            widget.setEnabled(on)

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor, day = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        self.day_label.setText(tr("今日课程　{day}", day=day.isoformat()))
        Op(lambda: load_sessions(db, actor, day)).success(self._show_sessions).run()

    def _show_sessions(self, lines: list[SessionLine]) -> None:
        self.sessions.replace_rows(lines, key=lambda s: s.session_id)
        match = self._current_in(lines)
        if match < 0 and lines:
            match = 0
        if match >= 0:
            self.sessions_view.selectRow(match)
            self.select_session(lines[match])

    def show_item(self, item_id: str) -> None:
        """Select the lesson ``item_id`` of today (from 今日)."""
        lines = self.sessions.loaded_rows()
        match = next((i for i, s in enumerate(lines) if s.session_id == item_id), -1)
        if match < 0:
            self._wanted = item_id  # the lessons are still loading: _show_sessions selects it then
            return
        self.sessions_view.selectRow(match)
        self.select_session(lines[match])

    def _current_in(self, lines: list[SessionLine]) -> int:
        current = self.session.session_id if self.session else None
        if self._wanted is not None:
            current, self._wanted = self._wanted, None
        return next((i for i, s in enumerate(lines) if s.session_id == current), -1)

    def _session_clicked(self, index: QModelIndex) -> None:
        line = self.sessions.row_at(index.row())
        if line is not None:
            self.select_session(line)

    def select_session(self, line: SessionLine) -> None:
        self.session = line
        self.session_label.setText(
            tr(
                "{time}　{klass}（{course}）",
                time=f"{line.start_time}–{line.end_time}",
                klass=line.klass_name,
                course=line.course_name,
            )
        )
        self._enable(line.status != "cancelled")
        self.load_roster()

    def load_roster(self) -> None:
        if self.session is None:
            return
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), self.session.session_id
        Op(lambda: load_roster(db, actor, sid)).success(lambda rows: self._show_roster(sid, rows)).run()

    def _show_roster(self, session_id: str, rows: list[RosterLine]) -> None:
        if self.session is None or session_id != self.session.session_id:
            return
        self.roster.set_roster(rows, keep_pending=session_id == self._roster_of)
        self._roster_of = session_id
        low = [r for r in rows if r.member and r.units_left <= 2]
        text = "；".join(tr("{name} 剩余 {units} 课时", name=r.name, units=units(r.units_left)) for r in low)
        self.warnings.setText(tr("余额提醒：{list}", list=text) if low else "")
        if rows and not self.roster_view.currentIndex().isValid():
            self.roster_view.selectRow(0)
        self.scanner.setFocus()

    # --- actions ---------------------------------------------------------------------------------------
    def scan(self) -> None:
        code = self.scanner.text().strip()
        self.scanner.clear()
        if not code or self.session is None:
            return
        sid = self.session.session_id
        op = self._change(sid, lambda db, actor: check_in_by_card(db, actor, sid, code)).success(
            self._scanned
        )
        op.announce(lambda r: ROLL_CALL_CHANGES.by(self) if r.result.kind == "checked_in" else None).run()

    def _change(self, session_id: str, change: Callable[[Database, Actor], T]) -> Op[AfterChange[T]]:
        """One op for a mutation of the lesson and the reload of what the panel shows."""
        db, actor, day = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        return Op(lambda: change_then_reload(db, actor, day, session_id, lambda: change(db, actor)))

    def _show_after(self, after: AfterChange[object]) -> None:
        """The rows of the lesson and the day as they are after the change, updated in place."""
        self.sessions.replace_rows(after.sessions, key=lambda s: s.session_id)
        match = self._current_in(after.sessions)
        if match >= 0:
            self.session = after.sessions[match]
        self._show_roster(after.session_id, after.roster)

    def _scanned(self, after: AfterChange[CheckInResult]) -> None:
        result = after.result
        if result.kind == "checked_in":
            self._show_after(after)
        text, good = check_in_text(result)
        if result.kind == "checked_in" and result.units_left is not None:
            text += tr("（剩余 {units} 课时，请提醒续费）", units=units(result.units_left))
        self.scan_result.setText(text)
        self.scan_result.setProperty("good", good)
        self.scan_result.style().polish(self.scan_result)
        if result.kind == "checked_in" and self.session and result.student_id:
            self._remember(LastAction(self.session.session_id, (result.student_id,)))

    def save_roll_call(self) -> None:
        if self.session is None or not self.roster.pending:
            return
        sid, marks = self.session.session_id, dict(self.roster.pending)
        op = self._change(sid, lambda db, actor: roll_call(db, actor, sid, marks))
        op.success(self._saved).announce(ROLL_CALL_CHANGES.by(self)).run()

    def _saved(self, after: AfterChange[RollCallResult]) -> None:
        result = after.result
        self.roster.pending.clear()
        self._show_after(after)
        self._remember(LastAction(result.session_id, tuple(line.student_id for line in result.rows)))
        self.scan_result.setText(tr("已保存 {n} 名学员的考勤", n=len(result.rows)))

    def _remember(self, action: LastAction) -> None:
        self.last_action = action
        self.undo_button.setEnabled(True)

    def undo_last(self) -> None:
        action = self.last_action
        if action is None:
            return
        students = list(action.student_ids)
        op = self._change(
            action.session_id, lambda db, actor: undo_roll_call(db, actor, action.session_id, students)
        )
        op.success(self._undone).announce(ROLL_CALL_CHANGES.by(self)).run()

    def _undone(self, after: AfterChange[UndoResult]) -> None:
        result = after.result
        self._show_after(after)
        self.last_action = None
        self.undo_button.setEnabled(False)
        self.scan_result.setText(tr("已撤销 {n} 名学员的点名，课时已退回", n=len(result.student_ids)))
