"""前台 Front desk: today's lessons by time, roll call with the keyboard or a barcode scanner, low-balance
warnings, owed lessons (欠课时) to settle, and undo of the last roll call after a confirmation that says
what it gives back (the charges are given back; the rows stay, audited).

Keys: the roster has the focus when a lesson opens (1–4 mark, 0/Del clears); a scanner's code is caught
wherever the focus is in the panel (``ScanCatcher`` tells its fast burst + Enter from a person's keys);
Ctrl+Enter saves from anywhere in the panel.

A roll call, a card or an undo is one op: the change, then the lesson's roster and today's lessons read
again on the same worker call; the panel updates the changed rows in place and announces the change as
its origin, so it does not reload a second time (other panels refresh as usual).

The core's read models are imported on first use (on the database worker): they pull in pypinyin's
dictionaries (~0.4 s), which the main window must not wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import AttendanceStatus, CheckIn, SessionStatus
from app.db import Database
from app.permissions import Actor
from app.reports.queries import SHANGHAI
from app.services.rollcall import (
    CheckInResult,
    SaveResult,
    UndoResult,
    check_in_by_card,
    save_roll_call,
    undo_roll_call,
)
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import units, yuan
from ui.models.frontdesk import RosterModel, sessions_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.panels.frontdesk_parts import OwedBox, ScanFeedback
from ui.widgets.roster_view import RosterView, configure_table, fit_columns
from ui.widgets.scan_catcher import ScanCatcher

if TYPE_CHECKING:
    from app.views.students import RosterLine, SessionLine

ROLL_CALL_CHANGES = Changes.of(Entity.ATTENDANCE, Entity.LEDGER, Entity.SESSION)
#: scanner answers after which the student is marked in the lesson
_MARKED = (CheckIn.CHECKED_IN, CheckIn.OWING)
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


def load_sessions(db: Database, actor: Actor, day: date) -> list[SessionLine]:
    from app.views.students import today_sessions

    return today_sessions(db, actor, day)


def load_roster(db: Database, actor: Actor, session_id: str) -> list[RosterLine]:
    from app.views.students import session_roster

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
    """What "undo" gives back: the students marked by the last roll call or card, and what they were
    charged (said in the confirmation)."""

    session_id: str
    student_ids: tuple[str, ...]
    names: tuple[str, ...]
    units: Decimal
    amount_fen: int


def undo_question(action: LastAction) -> str:
    who = "、".join(action.names[:5]) + (
        tr(" 等 {n} 人", n=len(action.names)) if len(action.names) > 5 else ""
    )
    if action.amount_fen or action.units:
        return tr(
            "撤销上次点名（{who}）？将退回 {units} 课时、{amount}。",
            who=who,
            units=units(action.units),
            amount=yuan(action.amount_fen),
        )
    return tr("撤销上次点名（{who}）？这些学员未扣课时，只清除考勤。", who=who)


class FrontDeskPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.sessions = sessions_model()
        self.roster = RosterModel()
        self.session: SessionLine | None = None
        self.last_action: LastAction | None = None
        self.undo_confirm: QMessageBox | None = None
        self._wanted: str | None = None
        self._roster_of: str | None = None
        splitter = QSplitter()
        splitter.addWidget(self._sessions_side())
        splitter.addWidget(self._roll_call_side())
        splitter.setSizes([640, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, self.scanner.setFocus)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            save = QShortcut(
                QKeySequence(Qt.KeyboardModifier.ControlModifier | key), self, self.save_roll_call
            )
            save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.catcher = ScanCatcher(self)
        self.catcher.watch(
            self,
            self.roster_view,
            self.sessions_view,
            self.owed.view,
            self.all_present,
            self.save_button,
            self.undo_button,
            self.owed.settle_button,
            self.feedback.history,
        )
        self.catcher.scanned.connect(self.scan_code)

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
        self.owed = OwedBox(self.ctx)
        layout = QVBoxLayout(side)
        layout.addWidget(self.day_label)
        layout.addWidget(self.sessions_view, 3)
        layout.addWidget(self.owed, 2)
        return side

    def _roll_call_side(self) -> QWidget:
        side = QWidget()
        self.session_label = QLabel(tr("请选择左侧的课次"))
        self.session_label.setObjectName("heading")
        self.scanner = QLineEdit()
        self.scanner.setPlaceholderText(tr("刷卡或输入卡号后按回车签到（扫码枪在本页任何位置都可使用）"))
        self.scanner.returnPressed.connect(self.scan)
        self.feedback = ScanFeedback()
        self.scan_result = self.feedback.result
        self.roster_view = RosterView()
        self.roster_view.setModel(self.roster)
        self.roster_view.marked.connect(self.roster.mark)
        self.roster_view.cleared.connect(self.roster.clear_mark)
        self.roster_view.save_requested.connect(self.save_roll_call)
        self.warnings = QLabel("")
        self.warnings.setObjectName("warning")
        self.warnings.setWordWrap(True)
        layout = QVBoxLayout(side)
        layout.addWidget(self.session_label)
        layout.addWidget(self.scanner)
        layout.addWidget(self.feedback)
        layout.addWidget(QLabel(tr("键盘点名：1 出勤　2 迟到　3 请假　4 缺勤　0/Del 清除　Ctrl+回车 保存")))
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
        self.all_present.clicked.connect(lambda: self.roster.mark_all(AttendanceStatus.PRESENT))
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
        self.owed.refresh()

    def _show_sessions(self, lines: list[SessionLine]) -> None:
        self.sessions.replace_rows(lines, key=lambda s: s.session_id)
        fit_columns(self.sessions_view)
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
        self._enable(line.status != SessionStatus.CANCELLED)
        self.load_roster()

    def load_roster(self) -> None:
        if self.session is None:
            return
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), self.session.session_id
        Op(lambda: load_roster(db, actor, sid)).success(lambda rows: self._show_roster(sid, rows)).run()

    def _show_roster(self, session_id: str, rows: list[RosterLine]) -> None:
        if self.session is None or session_id != self.session.session_id:
            return
        opened = session_id != self._roster_of
        self.roster.set_roster(rows, keep_pending=not opened)
        self._roster_of = session_id
        low = [r for r in rows if r.member and r.low_balance]
        text = "；".join(tr("{name} 剩余 {units} 课时", name=r.name, units=units(r.units_left)) for r in low)
        self.warnings.setText(tr("余额提醒：{list}", list=text) if low else "")
        if rows and not self.roster_view.currentIndex().isValid():
            self.roster_view.selectRow(0)
        if opened:  # the list, not the scan box: pressing 1 marks the first student
            fit_columns(self.roster_view)
            self.roster_view.setFocus()

    def _name_of(self, student_id: str) -> str:
        line = next((r for r in self.roster.loaded_rows() if r.student_id == student_id), None)
        return line.name if line is not None else ""

    # --- actions ---------------------------------------------------------------------------------------
    def scan(self) -> None:
        code = self.scanner.text().strip()
        self.scanner.clear()
        self.scan_code(code)

    def scan_code(self, code: str) -> None:
        """A card code from the scan box or from a scanner typing anywhere in the panel."""
        code = code.strip()
        if not code or self.session is None or self.session.status == SessionStatus.CANCELLED:
            return
        sid = self.session.session_id
        op = self._change(sid, lambda db, actor: check_in_by_card(db, actor, sid, code))
        op.success(lambda after: self._scanned(after, code))
        op.announce(lambda r: ROLL_CALL_CHANGES.by(self) if r.result.kind in _MARKED else None)
        op.run()

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

    def _scanned(self, after: AfterChange[CheckInResult], code: str) -> None:
        result = after.result
        if result.kind in _MARKED:
            self._show_after(after)
            self._refresh_owed(after)
        self.feedback.answer(result, code, datetime.now(SHANGHAI))
        if result.kind in _MARKED and self.session and result.student_id:
            self._remember(
                LastAction(
                    self.session.session_id,
                    (result.student_id,),
                    (result.student_name or "",),
                    result.units,
                    result.amount_fen,
                )
            )

    def save_roll_call(self) -> None:
        self.catcher.release()
        if self.session is None or not self.roster.has_changes():
            return
        sid, marks, cleared = self.session.session_id, dict(self.roster.pending), sorted(self.roster.cleared)
        op = self._change(sid, lambda db, actor: save_roll_call(db, actor, sid, marks, cleared))
        op.success(self._saved).announce(ROLL_CALL_CHANGES.by(self)).run()

    def _saved(self, after: AfterChange[SaveResult]) -> None:
        marked, cleared = after.result.marked, after.result.cleared
        self.roster.pending.clear()
        self.roster.cleared.clear()
        self._show_after(after)
        self._refresh_owed(after)
        parts = []
        if marked is not None:
            rows = marked.rows
            self._remember(
                LastAction(
                    marked.session_id,
                    tuple(r.student_id for r in rows),
                    tuple(self._name_of(r.student_id) for r in rows),
                    sum((r.units for r in rows if r.charged), Decimal(0)),
                    sum(r.amount_fen for r in rows if r.charged),
                )
            )
            parts.append(tr("已保存 {n} 名学员的考勤", n=len(rows)))
            owing = [self._name_of(r.student_id) for r in rows if r.owing]
            if owing:
                parts.append(tr("{names} 课时不足，已记为欠课时", names="、".join(owing)))
        if cleared is not None:
            parts.append(tr("已清除 {n} 名学员的考勤", n=len(cleared.student_ids)))
        self.feedback.show_text(
            "；".join(parts), "bad" if marked and any(r.owing for r in marked.rows) else None
        )

    def _refresh_owed(self, after: AfterChange[object]) -> None:
        """The 欠课时 list again, only when this lesson owes or owed (a roll call stays one op)."""
        listed = any(o.session_id == after.session_id for o in self.owed.model.loaded_rows())
        if listed or any(r.owing for r in after.roster):
            self.owed.refresh()

    def _remember(self, action: LastAction) -> None:
        self.last_action = action
        self.undo_button.setEnabled(True)

    def undo_last(self) -> None:
        """Ask first, saying whose marks and how many 课时 and how much money it gives back."""
        action = self.last_action
        if action is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("撤销点名"),
            undo_question(action),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText(tr("撤销"))
        box.button(QMessageBox.StandardButton.No).setText(tr("不撤销"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda code: self._undo_answered(action, code))
        self.undo_confirm = box
        box.open()

    def _undo_answered(self, action: LastAction, code: int) -> None:
        self.undo_confirm = None
        if code == QMessageBox.StandardButton.Yes.value and action is self.last_action:
            self.undo_now()

    def undo_now(self) -> None:
        """Undo the last roll call or card without asking (after the confirmation)."""
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
        self._refresh_owed(after)
        self.last_action = None
        self.undo_button.setEnabled(False)
        self.feedback.show_text(tr("已撤销 {n} 名学员的点名，课时已退回", n=len(result.student_ids)))
