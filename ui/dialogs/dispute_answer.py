"""Answer a parent's 消课 dispute: with the lesson's roll-call record (shown before it is sent), or by
reversing the charge. Both are saved locally and sent by the next sync; the core checks the role, the
dispute's state and the platform's window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.disputes import (
    TEXT_LIMIT,
    AnswerResult,
    answer_with_roll_call,
    preview_roll_call,
    reverse_charge,
)
from app.views.confirmations import ConfirmationItem
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import ATTENDANCE, label, yuan
from ui.messages import info
from ui.models.confirmations import countdown_text
from ui.ops import Op

ANSWERED = Changes.of(Entity.SYNC)
REVERSED = Changes.of(Entity.SYNC, Entity.LEDGER, Entity.CONTRACT)


def _about(item: ConfirmationItem, ctx: AppContext) -> str:
    amount = yuan(item.amount_fen) if item.amount_fen is not None else ""
    return tr(
        "{student}　{course}　{day}　{amount}\n家长异议：{reason}\n{left}",
        student=item.student_name or "",
        course=item.course_name or "",
        day=f"{item.lesson_date:%Y-%m-%d}" if item.lesson_date else "",
        amount=amount,
        reason=item.reason or "",
        left=countdown_text(item, ctx.now()),
    )


def _local(stamp: str) -> str:
    """A UTC ISO time of the record as the desk's local time (the record itself stays in UTC)."""
    try:
        return f"{datetime.fromisoformat(stamp.replace('Z', '+00:00')).astimezone():%Y-%m-%d %H:%M}"
    except ValueError:
        return stamp


class _NoteDialog(QDialog):
    """The lesson in question and a note; OK runs ``save`` (each answer its own)."""

    def __init__(
        self, ctx: AppContext, item: ConfirmationItem, save: Callable[[], None], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        self.about = QLabel(_about(item, ctx))
        self.about.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(save)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self.check)

    def check(self) -> None:
        self.ok.setEnabled(len(self.note.toPlainText().strip()) <= TEXT_LIMIT)


class AnswerDisputeDialog(_NoteDialog):
    """Shows the roll-call record of the lesson (who called it, when, the class list) and sends it."""

    def __init__(self, ctx: AppContext, item: ConfirmationItem, parent: QWidget | None = None) -> None:
        super().__init__(ctx, item, self.save, parent)
        self.setWindowTitle(tr("用点名记录答复异议"))
        self.record_text = QLabel(tr("正在读取点名记录…"))
        self.record_text.setWordWrap(True)
        self.class_list = QTableWidget(0, 2)
        self.class_list.setHorizontalHeaderLabels([tr("学员"), tr("考勤")])
        self.class_list.verticalHeader().setVisible(False)
        self.class_list.horizontalHeader().setStretchLastSection(True)
        self.note.setPlaceholderText(tr("补充说明（选填，家长会在平台上看到）"))
        hint = QLabel(
            tr("同班其他学员的姓名会脱敏。答复在下次同步时发送给平台，家长可接受或提请监管部门处理。")
        )
        hint.setWordWrap(True)
        self.ok.setText(tr("发送答复"))
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (self.about, self.record_text, self.class_list, self.note, hint, self.buttons):
            layout.addWidget(widget)
        db, actor, cid = ctx.db, ctx.require_actor(), item.confirmation_id
        Op(lambda: preview_roll_call(db, actor, cid)).success(self.show_record).run()

    def show_record(self, record: dict[str, Any]) -> None:
        self.record = record
        self.record_text.setText(
            tr(
                "{day} {time}　{course}　{klass}　老师：{teacher}\n点名：{by}，{at}　本人考勤：{status}",
                day=record["lesson_date"],
                time=record.get("lesson_time") or "",
                course=record["course_name"],
                klass=record.get("class_name") or "",
                teacher=record.get("teacher_name") or "",
                by=record["called_by"],
                at=_local(record["called_at"]),
                status=label(ATTENDANCE, record["student_status"]),
            )
        )
        lines = record["class_list"]
        self.class_list.setRowCount(len(lines))
        for row, line in enumerate(lines):
            self.class_list.setItem(row, 0, QTableWidgetItem(line["name"]))
            self.class_list.setItem(row, 1, QTableWidgetItem(label(ATTENDANCE, line["status"])))
        self.check()

    def check(self) -> None:
        super().check()
        if not hasattr(self, "record"):
            self.ok.setEnabled(False)

    def save(self) -> None:
        db, actor, cid, text = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.item.confirmation_id,
            self.note.toPlainText(),
        )
        now = self.ctx.now()
        op = Op(lambda: answer_with_roll_call(db, actor, cid, text, now)).announce(ANSWERED)
        op.success(self._answered).run()

    def _answered(self, _result: AnswerResult) -> None:
        info(tr("已保存答复，将在下次同步时发送给平台"))
        self.accept()


class ReverseChargeDialog(_NoteDialog):
    """Gives the lesson's 课时 and money back to the contract and tells the platform (manager only)."""

    def __init__(self, ctx: AppContext, item: ConfirmationItem, parent: QWidget | None = None) -> None:
        super().__init__(ctx, item, self.save, parent)
        self.setWindowTitle(tr("撤销扣课"))
        warning = QLabel(
            tr(
                "撤销后，这节课的课时和金额退回合同（记一笔冲正流水），平台不再向机构划拨这节课的监管资金。不能撤回。"
            )
        )
        warning.setWordWrap(True)
        self.note.setPlaceholderText(tr("说明（选填，家长会在平台上看到）"))
        self.ok.setText(tr("撤销扣课"))
        layout = QVBoxLayout(self)
        for widget in (self.about, warning, self.note, self.buttons):
            layout.addWidget(widget)

    def save(self) -> None:
        db, actor, cid, text = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.item.confirmation_id,
            self.note.toPlainText(),
        )
        now = self.ctx.now()
        op = Op(lambda: reverse_charge(db, actor, cid, text, now)).announce(REVERSED)
        op.success(self._reversed).run()

    def _reversed(self, result: AnswerResult) -> None:
        if result.ledger_entry_id is None:  # a 先学后付 lesson: nothing was taken from a package
            info(tr("已撤销这节先学后付课的欠费；将在下次同步时通知平台"))
        else:
            info(tr("已撤销扣课，课时已退回合同；将在下次同步时通知平台"))
        self.accept()
