"""Refuse a platform refund request: the reason the parent will read, saved locally and sent by the next
sync (the core checks the role, the request's state and the reason)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.services.inbox import REASON_LIMIT, RefusalResult, refuse_refund_request
from app.views.inbox import InboxItem
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import yuan
from ui.messages import info
from ui.ops import Op

REFUSED = Changes.of(Entity.SYNC)  # the inbox only: no local refund, contract or ledger changes


class RefuseRefundDialog(QDialog):
    def __init__(self, ctx: AppContext, item: InboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        self.setWindowTitle(tr("拒绝退费申请"))
        amount = yuan(item.amount_fen) if item.amount_fen is not None else ""
        self.about = QLabel(
            tr(
                "{student} 申请退费 {amount}：{reason}",
                student=item.student_name or "",
                amount=amount,
                reason=item.summary,
            )
        )
        self.about.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("拒绝理由（家长会在平台上看到）"))
        self.hint = QLabel(
            tr("拒绝在下次同步时发送给平台；如平台已按逾期未答复视为同意，拒绝不会生效，届时会在此列出。")
        )
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("拒绝"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.about, self.reason, self.hint, self.buttons):
            layout.addWidget(widget)
        self.reason.textChanged.connect(self.check)
        self.check()

    def check(self) -> None:
        text = self.reason.toPlainText().strip()
        self.ok.setEnabled(0 < len(text) <= REASON_LIMIT)

    def save(self) -> None:
        text = self.reason.toPlainText()
        if not text.strip():
            return
        db, actor, request_id = self.ctx.db, self.ctx.require_actor(), self.item.item_id
        op = Op(lambda: refuse_refund_request(db, actor, request_id, text)).announce(REFUSED)
        op.success(self._refused).run()

    def _refused(self, _result: RefusalResult) -> None:
        info(tr("已拒绝退费申请，将在下次同步时发送给平台"))
        self.accept()
