"""One lesson of the timetable: add one (加课, a make-up), cancel one (with its reason; nobody is charged,
and a make-up is offered), move one (调课), or give it a substitute teacher (代课).

Each calls its use case, which checks the same rules as a weekly rule; when it refuses, every problem is
listed in the dialog and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import InstDeskError
from app.services.lesson_changes import CancelResult, cancel_session, move_session, substitute_teacher
from app.services.schedule import ScheduleProblem, add_session
from app.views.schedule import KlassChoice, Week, WeekLesson
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info, show_exception
from ui.models.codes import WARN
from ui.ops import Op
from ui.widgets.dates import pydate, qdate
from ui.widgets.field_errors import error_label

LESSON_CHANGES = Changes.of(Entity.SESSION, Entity.ATTENDANCE, Entity.LEDGER)


def time_edit(hhmm: str) -> QTimeEdit:
    hours, minutes = hhmm.split(":")
    edit = QTimeEdit(QTime(int(hours), int(minutes)))
    edit.setDisplayFormat("HH:mm")
    return edit


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def lesson_title(lesson: WeekLesson) -> str:
    return tr(
        "{klass}（{course}）{day} {start}–{end}",
        klass=lesson.klass_name,
        course=lesson.course_name,
        day=f"{lesson.day:%Y-%m-%d}",
        start=lesson.start,
        end=lesson.end,
    )


class _LessonDialog(QDialog):
    """A form, the problems of the last refusal, and Save / Cancel."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setStyleSheet(f"color: {WARN};")
        self.problems.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.rejected.connect(self.reject)  # each dialog connects accepted to its own save
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def run(self, change: Callable[[], Any], done: Callable[[Any], None]) -> None:
        Op(change).success(done).failure(self.refused).announce(LESSON_CHANGES).run()

    def refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            show_exception(exc)
            return
        found: tuple[ScheduleProblem, ...] = tuple(exc.params.get("problems", ()))
        lines = [p.message for p in found] or [error_text(exc)]
        self.summary.setText(tr("未保存：发现 {n} 个问题，请调整后重试。", n=len(lines)))
        self.problems.clear()
        self.problems.addItems(lines)
        self.problems.show()

    def problem_lines(self) -> list[str]:
        return [self.problems.item(i).text() for i in range(self.problems.count())]


class OneOffLessonDialog(_LessonDialog):
    """加课: one extra lesson of a class (a make-up after a cancellation, an extra lesson)."""

    def __init__(
        self,
        ctx: AppContext,
        classes: list[KlassChoice],
        week: Week,
        klass_id: str | None = None,
        day: date | None = None,
        times: tuple[str, str] = ("18:00", "19:00"),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, tr("加课") if klass_id is None else tr("安排补课"), parent)
        self.klass = QComboBox()
        for k in classes:
            self.klass.addItem(tr("{course} · {klass}", course=k.course_name, klass=k.name), k.klass_id)
        if klass_id is not None:
            self.klass.setCurrentIndex(max(0, self.klass.findData(klass_id)))
        self.day = date_edit(day or ctx.today())
        self.start, self.end = time_edit(times[0]), time_edit(times[1])
        self.teacher = QComboBox()
        self.teacher.addItem(tr("（班级默认）"), None)
        for t in week.teachers:
            self.teacher.addItem(t.name, t.staff_id)
        self.room = QComboBox()
        self.room.addItem(tr("（班级默认）"), None)
        for r in week.rooms:
            self.room.addItem(r.name, r.room_id)
        for title, widget in (
            (tr("班级"), self.klass),
            (tr("日期"), self.day),
            (tr("上课时间"), self.start),
            (tr("下课时间"), self.end),
            (tr("教师"), self.teacher),
            (tr("教室"), self.room),
        ):
            self.form.addRow(title, widget)
        self.buttons.accepted.connect(self.save)

    def save(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        klass, day = self.klass.currentData(), pydate(self.day.date())
        start, end = self.start.time().toString("HH:mm"), self.end.time().toString("HH:mm")
        teacher, room = self.teacher.currentData(), self.room.currentData()
        self.run(lambda: add_session(db, actor, klass, day, start, end, teacher, room), self._saved)

    def _saved(self, _result: object) -> None:
        info(tr("已加课：{day}", day=f"{pydate(self.day.date()):%Y-%m-%d}"))
        self.accept()


class CancelLessonDialog(_LessonDialog):
    """取消: the reason is required; a roll call already taken is given back; then a make-up is offered."""

    def __init__(
        self,
        ctx: AppContext,
        lesson: WeekLesson,
        make_up: Callable[[CancelResult], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, tr("取消课次"), parent)
        self.lesson, self.make_up = lesson, make_up
        self.outcome: CancelResult | None = None
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("如：老师请假、场地维修"))
        self.reason_error = error_label()
        self.reason.textChanged.connect(self._check)
        self.form.addRow(tr("课次"), QLabel(lesson_title(lesson)))
        self.form.addRow(tr("取消原因"), self.reason)
        self.form.addRow("", self.reason_error)
        self.form.addRow(QLabel(tr("取消后本节课不扣任何学员的课时；已点名的课时将退回。")))
        self.make_up_button = QPushButton(tr("安排补课…"))
        self.make_up_button.clicked.connect(self._make_up)
        self.buttons.addButton(self.make_up_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.make_up_button.hide()  # offered once the lesson is cancelled
        self.buttons.accepted.connect(self.save)
        self._check()

    def _check(self) -> None:
        empty = not self.reason.text().strip()
        self.reason_error.setText(tr("请填写取消原因") if empty else "")
        self.reason_error.setVisible(empty)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            not empty and self.outcome is None
        )

    def save(self) -> None:
        db, actor, sid, reason = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.lesson.session_id,
            self.reason.text(),
        )
        self.run(lambda: cancel_session(db, actor, sid, reason), self._cancelled)

    def _cancelled(self, result: CancelResult) -> None:
        """Done: say what was given back and offer a make-up lesson (the dialog stays open for it)."""
        self.outcome = result
        self.problems.hide()
        text = tr("已取消。")
        if result.given_back:
            text += tr("已退回 {n} 名学员的课时。", n=len(result.given_back))
        self.summary.setText(text + tr("需要为本班安排补课吗？"))
        self.reason.setEnabled(False)
        self.make_up_button.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("不用补课"))
        self._check()

    def _make_up(self) -> None:
        if self.outcome is not None:
            self.accept()
            self.make_up(self.outcome)


class MoveLessonDialog(_LessonDialog):
    """调课: another date, time or room for this lesson."""

    def __init__(
        self, ctx: AppContext, lesson: WeekLesson, week: Week, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, tr("调课"), parent)
        self.lesson = lesson
        self.day = date_edit(lesson.day)
        self.start, self.end = time_edit(lesson.start), time_edit(lesson.end)
        self.room = QComboBox()
        self.room.addItem(tr("（不变）"), None)
        for r in week.rooms:
            self.room.addItem(r.name, r.room_id)
        self.form.addRow(tr("课次"), QLabel(lesson_title(lesson)))
        for title, widget in (
            (tr("新日期"), self.day),
            (tr("上课时间"), self.start),
            (tr("下课时间"), self.end),
            (tr("教室"), self.room),
        ):
            self.form.addRow(title, widget)
        self.buttons.accepted.connect(self.save)

    def save(self) -> None:
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), self.lesson.session_id
        day, room = pydate(self.day.date()), self.room.currentData()
        start, end = self.start.time().toString("HH:mm"), self.end.time().toString("HH:mm")
        self.run(lambda: move_session(db, actor, sid, day, start, end, room), self._moved)

    def _moved(self, _result: object) -> None:
        info(tr("已调课至 {day}", day=f"{pydate(self.day.date()):%Y-%m-%d}"))
        self.accept()


class SubstituteDialog(_LessonDialog):
    """代课: another teacher for this lesson, who must be allowed to teach it and be free."""

    def __init__(
        self, ctx: AppContext, lesson: WeekLesson, week: Week, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, tr("代课"), parent)
        self.lesson = lesson
        self.teacher = QComboBox()
        for t in week.teachers:
            if t.staff_id != lesson.teacher_id:
                self.teacher.addItem(t.name, t.staff_id)
        self.form.addRow(tr("课次"), QLabel(lesson_title(lesson)))
        self.form.addRow(tr("原教师"), QLabel(lesson.teacher_name or tr("未指定")))
        self.form.addRow(tr("代课教师"), self.teacher)
        self.buttons.accepted.connect(self.save)

    def save(self) -> None:
        db, actor, sid, teacher = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.lesson.session_id,
            self.teacher.currentData(),
        )
        if teacher is None:
            return
        self.run(lambda: substitute_teacher(db, actor, sid, teacher), self._done)

    def _done(self, _result: object) -> None:
        info(tr("已更换代课教师：{name}", name=self.teacher.currentText()))
        self.accept()
