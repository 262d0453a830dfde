"""排课 Schedule: the week of every room and teacher, moved week by week, filtered to one teacher or
room; double bookings and timetable-rule violations are red with the reasons on hover; new weekly rules
are checked in full before anything is written (holiday dates skipped after the manager confirms them).
A lesson clicked in the week can be cancelled (then a make-up offered), moved or given a substitute; 加课
adds one lesson."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.codes import SessionStatus
from app.permissions import Permission
from app.services.lesson_changes import CancelResult
from app.views.schedule import KlassChoice, Week, WeekLesson, class_choices, monday_of, week_view
from ui.changes import Entity
from ui.context import AppContext
from ui.dialogs.lesson_dialogs import (
    CancelLessonDialog,
    MoveLessonDialog,
    OneOffLessonDialog,
    SubstituteDialog,
)
from ui.dialogs.schedule_rule import ScheduleRuleDialog
from ui.i18n import tr
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.week_grid import WeekGrid


class SchedulePanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.monday = monday_of(ctx.today())
        self.week: Week | None = None
        self.selected: WeekLesson | None = None
        self.dialog: QDialog | None = None
        self.grid = WeekGrid()
        self.grid.lesson_clicked.connect(self.select_lesson)
        self.week_label = QLabel("")
        self.week_label.setObjectName("heading")
        self.summary = QLabel("")
        self.filter = QComboBox()
        self.filter.setMinimumWidth(160)
        self.filter.currentIndexChanged.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.grid, 1)
        layout.addLayout(self._lesson_bar())
        layout.addWidget(self.summary)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        for text, slot in (
            (tr("上一周"), self.previous_week),
            (tr("本周"), self.this_week),
            (tr("下一周"), self.next_week),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.week_label)
        bar.addStretch(1)
        bar.addWidget(QLabel(tr("显示")))
        bar.addWidget(self.filter)
        self.add_rule_button = QPushButton(tr("新增排课规则"))
        self.add_rule_button.clicked.connect(self.open_add_rule)
        self.add_rule_button.setVisible(self.ctx.may(Permission.MANAGE_SCHEDULE))
        bar.addWidget(self.add_rule_button)
        return bar

    def _lesson_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.lesson_label = QLabel(tr("点击一节课可取消、调课或代课"))
        bar.addWidget(self.lesson_label, 1)
        self.cancel_button = QPushButton(tr("取消此课…"))
        self.move_button = QPushButton(tr("调课…"))
        self.substitute_button = QPushButton(tr("代课…"))
        self.one_off_button = QPushButton(tr("加课…"))
        for button, slot in (
            (self.cancel_button, self.open_cancel),
            (self.move_button, self.open_move),
            (self.substitute_button, self.open_substitute),
            (self.one_off_button, self.open_one_off),
        ):
            button.clicked.connect(slot)
            button.setVisible(self.ctx.may(Permission.MANAGE_SCHEDULE))
            bar.addWidget(button)
        self._enable_lesson_actions()
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.SESSION, Entity.KLASS, Entity.STAFF, Entity.COURSE, Entity.SYNC)

    # --- weeks -----------------------------------------------------------------------------------------
    def go_to(self, day: date) -> None:
        self.monday = monday_of(day)
        self.refresh()

    def previous_week(self) -> None:
        self.go_to(self.monday - timedelta(weeks=1))

    def next_week(self) -> None:
        self.go_to(self.monday + timedelta(weeks=1))

    def this_week(self) -> None:
        self.go_to(self.ctx.today())

    def refresh(self) -> None:
        db, actor, monday = self.ctx.db, self.ctx.require_actor(), self.monday
        Op(lambda: week_view(db, actor, monday)).success(self._loaded).run()

    def _loaded(self, week: Week) -> None:
        if week.monday != self.monday:
            return
        self.week = week
        if self.selected is not None:  # the selected lesson as it is now (or gone)
            current = [s for s in week.lessons if s.session_id == self.selected.session_id]
            self.select_lesson(current[0] if current else None)
        sunday = week.monday + timedelta(days=6)
        self.week_label.setText(f"{week.monday:%Y-%m-%d} – {sunday:%m-%d}")
        self._fill_filter(week)
        self._show()

    def _fill_filter(self, week: Week) -> None:
        chosen = self.filter.currentData()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(tr("全部教师和教室"), None)
        for t in week.teachers:
            self.filter.addItem(tr("教师：{name}", name=t.name), ("teacher", t.staff_id))
        for r in week.rooms:
            self.filter.addItem(tr("教室：{name}", name=r.name), ("room", r.room_id))
        index = self.filter.findData(chosen)
        self.filter.setCurrentIndex(max(0, index))
        self.filter.blockSignals(False)

    def shown_lessons(self) -> list[WeekLesson]:
        if self.week is None:
            return []
        chosen = self.filter.currentData()
        if not chosen:
            return list(self.week.lessons)
        kind, key = chosen
        return [s for s in self.week.lessons if (s.teacher_id if kind == "teacher" else s.room_id) == key]

    def _show(self) -> None:
        if self.week is None:
            return
        lessons = self.shown_lessons()
        self.grid.show_week(self.week.days(), lessons, self.ctx.today())
        bad = sum(1 for s in lessons if s.conflicted)
        text = tr("本周 {n} 节课", n=len(lessons))
        if bad:
            text += tr("，其中 {bad} 节有冲突或违规（红色，悬停查看原因）", bad=bad)
        self.summary.setText(text)

    # --- rules -----------------------------------------------------------------------------------------
    def open_add_rule(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: class_choices(db, actor)).success(self._open_dialog).run()

    def _open_dialog(self, classes: list[KlassChoice]) -> None:
        if self.week is None:
            return
        self.rule_dialog = ScheduleRuleDialog(self.ctx, classes, self.week, self)
        self.rule_dialog.open()

    # --- one lesson ------------------------------------------------------------------------------------
    def select_lesson(self, lesson: WeekLesson | None) -> None:
        self.selected = lesson
        self.grid.selected = lesson.session_id if lesson is not None else None
        self.grid.update()
        if lesson is None:
            self.lesson_label.setText(tr("点击一节课可取消、调课或代课"))
        else:
            state = tr("（已取消）") if lesson.status == "cancelled" else ""
            self.lesson_label.setText(
                tr(
                    "已选：{klass} {day} {start}–{end} {teacher}{state}",
                    klass=lesson.klass_name,
                    day=f"{lesson.day:%m-%d}",
                    start=lesson.start,
                    end=lesson.end,
                    teacher=lesson.teacher_name or "",
                    state=state,
                )
            )
        self._enable_lesson_actions()

    def _enable_lesson_actions(self) -> None:
        live = self.selected is not None and self.selected.status != SessionStatus.CANCELLED
        self.cancel_button.setEnabled(live)
        self.substitute_button.setEnabled(live)
        self.move_button.setEnabled(
            live and self.selected is not None and self.selected.status == SessionStatus.SCHEDULED
        )

    def _show_dialog(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def open_cancel(self) -> None:
        if self.selected is not None:
            self._show_dialog(CancelLessonDialog(self.ctx, self.selected, self.offer_make_up, self))

    def open_move(self) -> None:
        if self.selected is not None and self.week is not None:
            self._show_dialog(MoveLessonDialog(self.ctx, self.selected, self.week, self))

    def open_substitute(self) -> None:
        if self.selected is not None and self.week is not None:
            self._show_dialog(SubstituteDialog(self.ctx, self.selected, self.week, self))

    def open_one_off(self) -> None:
        self._with_classes(lambda classes, week: OneOffLessonDialog(self.ctx, classes, week, parent=self))

    def offer_make_up(self, cancelled: CancelResult) -> None:
        """The make-up of a cancelled lesson: 加课 for the same class, same time, a week later by default."""
        self._with_classes(
            lambda classes, week: OneOffLessonDialog(
                self.ctx,
                classes,
                week,
                cancelled.klass_id,
                cancelled.day + timedelta(weeks=1),
                (cancelled.start, cancelled.end),
                self,
            )
        )

    def _with_classes(self, build: Callable[[list[KlassChoice], Week], QDialog]) -> None:
        db, actor, week = self.ctx.db, self.ctx.require_actor(), self.week
        if week is None:
            return
        Op(lambda: class_choices(db, actor)).success(
            lambda classes: self._show_dialog(build(classes, week))
        ).run()
