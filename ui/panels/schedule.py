"""排课 Schedule: the week of every room and teacher, moved week by week, filtered to one teacher or
room; double bookings and timetable-rule violations are red with the reasons on hover; new weekly rules
are checked in full before anything is written."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.permissions import Permission
from app.views.schedule import KlassChoice, Week, WeekLesson, class_choices, monday_of, week_view
from ui.changes import Entity
from ui.context import AppContext
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
        self.grid = WeekGrid()
        self.week_label = QLabel("")
        self.week_label.setObjectName("heading")
        self.summary = QLabel("")
        self.filter = QComboBox()
        self.filter.setMinimumWidth(160)
        self.filter.currentIndexChanged.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.grid, 1)
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
