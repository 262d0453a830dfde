"""A weekly schedule rule (class, weekday, time, date range, teacher and room).

Saving first previews the rule (``preview_schedule_rule``, nothing written): every problem that would
refuse it (double bookings, the teacher's eligibility, the time of day) is listed here and nothing is saved;
dates closed by a holiday or 寒暑假 are listed as skipped, and the manager confirms (the lessons of the
other dates are created) or cancels.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import InstDeskError
from app.services.schedule import (
    RulePreview,
    ScheduleProblem,
    ScheduleResult,
    add_schedule_rule,
    preview_schedule_rule,
)
from app.views.schedule import KlassChoice, Week
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info, show_exception
from ui.models.codes import WARN, WEEKDAYS
from ui.ops import Op
from ui.widgets.calendar_note import CalendarNote
from ui.widgets.dates import pydate, qdate

SCHEDULE_CHANGES = Changes.of(Entity.SESSION)


class ScheduleRuleDialog(QDialog):
    def __init__(
        self, ctx: AppContext, classes: list[KlassChoice], week: Week, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.classes = ctx, classes
        self.outcome: ScheduleResult | None = None
        self.confirming: RulePreview | None = None  # skipped dates shown, waiting for the manager's 确认
        self.setWindowTitle(tr("新增排课规则"))
        self.klass = QComboBox()
        for k in classes:
            self.klass.addItem(tr("{course} · {klass}", course=k.course_name, klass=k.name), k.klass_id)
        self.weekday = QComboBox()
        self.weekday.addItems([name() for name in WEEKDAYS])
        self.start, self.end = QTimeEdit(QTime(18, 0)), QTimeEdit(QTime(19, 0))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.valid_from, self.valid_to = (
            QDateEdit(qdate(week.monday)),
            QDateEdit(qdate(week.monday + timedelta(weeks=12))),
        )
        for day_edit in (self.valid_from, self.valid_to):
            day_edit.setCalendarPopup(True)
            day_edit.setDisplayFormat("yyyy-MM-dd")
        self.teacher = self._choices([(t.staff_id, t.name) for t in week.teachers])
        self.room = self._choices([(r.room_id, r.name) for r in week.rooms])
        self.problems = QListWidget()
        self.problems.setStyleSheet(f"color: {WARN};")
        self.problems.hide()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.calendar = CalendarNote(ctx.db)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build()

    @staticmethod
    def _choices(items: list[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        box.addItem(tr("（班级默认）"), None)
        for key, name in items:
            box.addItem(name, key)
        return box

    def _build(self) -> None:
        form = QFormLayout()
        for title, widget in (
            (tr("班级"), self.klass),
            (tr("星期"), self.weekday),
            (tr("上课时间"), self.start),
            (tr("下课时间"), self.end),
            (tr("开始日期"), self.valid_from),
            (tr("结束日期"), self.valid_to),
            (tr("教师"), self.teacher),
            (tr("教室"), self.room),
        ):
            form.addRow(title, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.calendar)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def _rule(self) -> tuple[str, int, str, str, date, date, str | None, str | None]:
        return (
            self.klass.currentData(),
            self.weekday.currentIndex(),
            self.start.time().toString("HH:mm"),
            self.end.time().toString("HH:mm"),
            pydate(self.valid_from.date()),
            pydate(self.valid_to.date()),
            self.teacher.currentData(),
            self.room.currentData(),
        )

    def save(self) -> None:
        """First the preview; a second 确认排课 after skipped dates were shown creates the rule."""
        db, actor, rule = self.ctx.db, self.ctx.require_actor(), self._rule()
        if self.confirming is not None:
            op = Op(lambda: add_schedule_rule(db, actor, *rule, skip_closed_days=True))
            op.success(self._saved).failure(self._refused).announce(SCHEDULE_CHANGES).run()
            return
        Op(lambda: preview_schedule_rule(db, actor, *rule)).success(self._previewed).failure(
            self._refused
        ).run()

    def _previewed(self, preview: RulePreview) -> None:
        if preview.problems:
            self._show_problems([p.message for p in preview.problems])
        elif preview.skipped:
            self.confirming = preview
            lines = [f"{s.day:%Y-%m-%d}：{s.reason}" for s in preview.skipped]
            self.summary.setText(
                tr(
                    "以下 {n} 个日期是节假日或寒暑假，将跳过；其余 {m} 节课照常排。确认排课吗？",
                    n=len(lines),
                    m=len(preview.dates),
                )
            )
            self.problems.clear()
            self.problems.addItems(lines)
            self.problems.show()
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("确认排课"))
            for field in (self.klass, self.weekday, self.start, self.end, self.valid_from, self.valid_to):
                field.setEnabled(False)  # what is confirmed is what was previewed
        else:
            db, actor, rule = self.ctx.db, self.ctx.require_actor(), self._rule()
            op = Op(lambda: add_schedule_rule(db, actor, *rule))
            op.success(self._saved).failure(self._refused).announce(SCHEDULE_CHANGES).run()

    def _saved(self, result: ScheduleResult) -> None:
        self.outcome = result
        text = tr("已排课 {n} 节", n=result.sessions_created)
        if result.skipped:
            text += tr("，跳过 {n} 个节假日或寒暑假日期", n=len(result.skipped))
        info(text)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            show_exception(exc)
            return
        found: tuple[ScheduleProblem, ...] = tuple(exc.params.get("problems", ()))
        self._show_problems([p.message for p in found] or [error_text(exc)])

    def _show_problems(self, lines: list[str]) -> None:
        self.summary.setText(tr("未保存：发现 {n} 个问题，请调整后重试。", n=len(lines)))
        self.problems.clear()
        self.problems.addItems(lines)
        self.problems.show()

    def problem_lines(self) -> list[str]:
        return [self.problems.item(i).text() for i in range(self.problems.count())]
