"""Parts of the 前台 screen: the scanner's answers (colour, sound, the last scans with their time) and the
list of owed lessons (欠课时) with its settle button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import CheckIn
from app.db import Database
from app.permissions import Actor
from app.services.rollcall import CheckInResult, SettleResult, settle_owing
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import ATTENDANCE, label, units
from ui.messages import info
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel
from ui.ops import Op
from ui.widgets.roster_view import configure_table
from ui.widgets.scan_sound import ScanSound

if TYPE_CHECKING:
    from app.services.owing import OwedLesson

#: answer → how it looks and sounds: good news green, a repeat grey, every refusal red
ANSWER_TONE = {
    CheckIn.CHECKED_IN: "good",
    CheckIn.ALREADY: "repeat",
    CheckIn.NOT_IN_CLASS: "bad",
    CheckIn.NO_UNITS: "bad",
    CheckIn.OWING: "bad",
    CheckIn.UNKNOWN_CARD: "bad",
    CheckIn.EXPIRED: "bad",
}
COLOURS = {"good": "#1b873f", "repeat": "#757575", "bad": WARN}
HISTORY = 20


#: the scanner's answer for each result, given the student's name
CHECK_IN_TEXTS: dict[CheckIn, Callable[[str], str]] = {
    CheckIn.CHECKED_IN: lambda name: tr("{name} 已签到", name=name),
    CheckIn.ALREADY: lambda name: tr("{name} 已签到过", name=name),
    CheckIn.NOT_IN_CLASS: lambda name: tr("{name} 不在本班", name=name),
    CheckIn.NO_UNITS: lambda name: tr("{name} 课时不足", name=name),
    CheckIn.EXPIRED: lambda name: tr("{name} 合同已到期", name=name),
    CheckIn.OWING: lambda name: tr("{name} 课时不足，已签到并记为欠课时", name=name),
    CheckIn.UNKNOWN_CARD: lambda name: tr("未知卡号"),
}


def check_in_text(result: CheckInResult) -> str:
    """The scanner's answer in words."""
    text = CHECK_IN_TEXTS[result.kind](result.student_name or "")
    if result.kind == CheckIn.CHECKED_IN and result.units_left is not None:
        text += tr("（剩余 {units} 课时，请提醒续费）", units=units(result.units_left))
    return text


class ScanFeedback(QWidget):
    """The last answer in large coloured text, a sound, and the last scans with their time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = QLabel("")
        self.result.setObjectName("scanResult")
        self.history = QListWidget()
        self.history.setMaximumHeight(110)
        self.sound = ScanSound()
        self.tone: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.result)
        layout.addWidget(QLabel(tr("最近刷卡")))
        layout.addWidget(self.history)

    def answer(self, result: CheckInResult, card: str, now: datetime) -> None:
        text = check_in_text(result)
        tone = ANSWER_TONE.get(result.kind, "bad")
        self.show_text(text, tone)
        self.sound.play(tone)
        item = QListWidgetItem(f"{now:%H:%M:%S}　{card}　{text}")
        item.setForeground(QBrush(QColor(COLOURS[tone])))
        self.history.insertItem(0, item)
        while self.history.count() > HISTORY:
            self.history.takeItem(self.history.count() - 1)

    def show_text(self, text: str, tone: str | None = None) -> None:
        self.tone = tone
        self.result.setText(text)
        colour = COLOURS.get(tone or "", "")
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    def history_lines(self) -> list[str]:
        return [self.history.item(i).text() for i in range(self.history.count())]


def owed_model() -> PagedTableModel[OwedLesson]:
    columns: list[Column[OwedLesson]] = [
        Column(tr("日期"), lambda o: f"{o.day:%m-%d} {o.start_time}"),
        Column(tr("学员"), lambda o: o.student_name),
        Column(tr("班级"), lambda o: o.klass_name),
        Column(tr("考勤"), lambda o: label(ATTENDANCE, o.status)),
    ]
    return PagedTableModel(columns)


def load_owed(db: Database, actor: Actor) -> list[OwedLesson]:
    from app.services.owing import owed_lessons

    return owed_lessons(db, actor)


class OwedBox(QWidget):
    """欠课时: lessons attended with no 课时 left; 结清 charges them to the packages bought since."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.title = QLabel(tr("欠课时"))
        self.model = owed_model()
        self.view = QTableView()
        configure_table(self.view)
        self.view.setModel(self.model)
        self.settle_button = QPushButton(tr("结清全部（已续费的扣课时）"))
        self.settle_button.clicked.connect(self.settle_all)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.settle_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)

    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: load_owed(db, actor)).success(self._show).run()

    def _show(self, rows: list[OwedLesson]) -> None:
        self.model.set_rows(rows)
        self.title.setText(tr("欠课时（{n}）", n=len(rows)) if rows else tr("欠课时：无"))
        self.settle_button.setEnabled(bool(rows))

    def settle_all(self) -> None:
        lessons = [(o.session_id, o.student_id) for o in self.model.loaded_rows()]
        if not lessons:
            return
        db, actor = self.ctx.db, self.ctx.require_actor()
        op = Op(lambda: settle_owing(db, actor, lessons)).success(self._settled)
        op.announce(Changes.of(Entity.ATTENDANCE, Entity.LEDGER)).run()

    def _settled(self, result: SettleResult) -> None:
        text = tr("已结清 {n} 节", n=result.settled)
        if result.still_owing:
            text += tr("；仍未续费：{names}", names="、".join(dict.fromkeys(result.still_owing)))
        info(text)
        self.refresh()
