"""退费 at the desk: pick a contract, see the quote and why, give the reason, have a manager confirm with
their password, then print the 退费单.

The quote and the refund are the core's ``quote_refund`` / ``execute_refund`` — the same use case that
carries out a refund request from the platform — so the escrow return reaches the platform with the next
sync like any refund. A front-desk user may prepare it; a manager (``Permission.REFUND``) confirms it
with their own name and password (``approve``), and the audit entry keeps both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import ContractStatus
from app.errors import InstDeskError
from app.permissions import Actor, Permission
from app.rules.refund import RefundQuote
from app.services.refunds import RefundResult, execute_refund, quote_refund
from app.services.users import approve
from app.views.students import ContractLine
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.labels import units, yuan
from ui.messages import info
from ui.ops import Op
from ui.receipts import load_refund_slip, save_receipt, show_refund_slip
from ui.widgets.field_errors import FieldErrors

REFUND_CHANGES = Changes.of(Entity.CONTRACT, Entity.LEDGER, Entity.REFUND, Entity.KLASS, Entity.STUDENT)


@dataclass(frozen=True)
class Done:
    """A refund carried out, and who approved it."""

    result: RefundResult
    approver: str


def basis_code(quote: RefundQuote) -> str:
    return f"refund.{quote.basis}"


class RefundDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        student_name: str,
        contracts: tuple[ContractLine, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.student_name = ctx, student_name
        self.contracts = [c for c in contracts if c.status == ContractStatus.ACTIVE]
        self.quote: RefundQuote | None = None
        self.finished_refund: Done | None = None
        self.setWindowTitle(tr("退费：{name}", name=student_name))
        self.errors = FieldErrors()
        self.contract = QComboBox()
        for line in self.contracts:
            self.contract.addItem(f"{line.contract_no}　{line.course_name}", line.contract_id)
        self.quote_label = QLabel(tr("请选择合同"))
        self.quote_label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("如：搬家、时间冲突（必填）"))
        self.needs_approval = not ctx.may(Permission.REFUND)
        self.approver = QLineEdit()
        self.approver.setPlaceholderText(tr("管理员用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.slip_path: Path | None = None
        self.pdf_button = QPushButton(tr("保存退费单 PDF…"))
        self.pdf_button.setVisible(False)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.print_button = QPushButton(tr("打印退费单…"))
        self.print_button.setVisible(False)
        self.print_button.clicked.connect(self.print_slip)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.confirm = self.buttons.addButton(tr("确认退费"), QDialogButtonBox.ButtonRole.ActionRole)
        self.confirm.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self.contract.currentIndexChanged.connect(self.load_quote)
        for edit in (self.reason, self.approver, self.password):
            edit.textChanged.connect(lambda _text: self.check())
        self.load_quote()

    def _build(self) -> None:
        form = QFormLayout()
        self.errors.add_row(form, tr("合同"), "contract", self.contract)
        form.addRow(tr("退费金额"), self.quote_label)
        self.errors.add_row(form, tr("退费原因"), "reason", self.reason)
        if self.needs_approval:
            form.addRow(QLabel(tr("退费须经管理员确认：")))
            self.errors.add_row(form, tr("管理员"), "approver", self.approver)
            self.errors.add_row(form, tr("密码"), "password", self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        slip = QHBoxLayout()
        slip.addWidget(self.pdf_button)
        slip.addWidget(self.print_button)
        layout.addLayout(slip)
        layout.addWidget(self.buttons)
        self.resize(560, 380)

    # --- the quote -----------------------------------------------------------------------------------------
    def contract_id(self) -> str | None:
        data = self.contract.currentData()
        return str(data) if data else None

    def load_quote(self) -> None:
        self.quote = None
        contract_id = self.contract_id()
        if contract_id is None:
            self.quote_label.setText(tr("该学员没有可退费的合同"))
            self.check()
            return
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        op = Op(lambda: quote_refund(db, actor, contract_id, today))
        op.success(lambda quote: self._quoted(contract_id, quote)).failure(self._not_quoted).run()

    def _quoted(self, contract_id: str, quote: RefundQuote) -> None:
        if contract_id != self.contract_id():
            return
        self.quote = quote
        why = error_text(InstDeskError(basis_code(quote), units=units(quote.units)))  # the rule's own words
        text = tr(
            "退还 {amount}（{units} 课时）：{why}",
            amount=yuan(quote.amount_fen),
            units=units(quote.units),
            why=why,
        )
        if quote.forfeited_units:
            text += "\n" + tr("剩余赠送课时 {n} 课时随退费作废", n=units(quote.forfeited_units))
        self.quote_label.setText(text)
        self.check()

    def _not_quoted(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            from ui.messages import show_exception

            show_exception(exc)
            return
        self.quote_label.setText("")
        self.check({"contract": error_text(exc)})

    # --- checks and the refund -----------------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.quote is None:
            found["contract"] = tr("请选择可退费的合同")
        if not self.reason.text().strip():
            found["reason"] = tr("请填写退费原因")
        if self.needs_approval and not self.approver.text().strip():
            found["approver"] = tr("请管理员填写用户名")
        if self.needs_approval and not self.password.text():
            found["password"] = tr("请管理员输入密码")
        return found

    def check(self, extra: dict[str, str] | None = None) -> None:
        found = {**self.problems(), **(extra or {})}
        self.errors.show([], lambda _v: "contract", found)
        self.confirm.setEnabled(not found and self.finished_refund is None)

    def submit(self) -> None:
        contract_id = self.contract_id()
        if self.problems() or contract_id is None or self.finished_refund is not None:
            self.check()
            return
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        reason, name, password = (
            self.reason.text().strip(),
            self.approver.text().strip(),
            self.password.text(),
        )
        needs_approval = self.needs_approval

        def run() -> Done:
            by: Actor = approve(db, name, password, Permission.REFUND) if needs_approval else actor
            result = execute_refund(
                db, by, contract_id, reason, request_date=today, requested_by=actor.username
            )
            return Done(result, by.username)

        Op(run).success(self._refunded).failure(self._refused).announce(REFUND_CHANGES).run()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            from ui.messages import show_exception

            show_exception(exc)
            return
        field = {"auth.invalid": "password", "auth.inactive": "approver", "permission.denied": "approver"}
        self.password.clear()
        self.check({field.get(exc.code, "contract"): error_text(exc)})

    def _refunded(self, done: Done) -> None:
        self.finished_refund = done
        result = done.result
        self.result_label.setText(
            tr(
                "已退费 {amount}（{units} 课时），同步后由监管账户退回。",
                amount=yuan(result.amount_fen),
                units=units(result.units),
            )
        )
        info(tr("已退费 {amount}", amount=yuan(result.amount_fen)))
        self.pdf_button.setVisible(True)
        self.print_button.setVisible(True)
        for widget in (self.contract, self.reason, self.approver, self.password):
            widget.setEnabled(False)
        self.check()

    # --- the 退费单 (``ui.receipts``: the same slip every screen prints) ------------------------------------
    def save_pdf(self, path: Path | None = None) -> None:
        """Save the 退费单 as PDF (asks where unless ``path`` is given)."""
        if self.finished_refund is None:
            return
        ctx, refund_id = self.ctx, self.finished_refund.result.refund_id
        load_refund_slip(ctx, refund_id, lambda facts: self._saved(save_receipt(ctx, facts, self, path)))

    def _saved(self, path: Path | None) -> None:
        self.slip_path = path

    def print_slip(self) -> None:
        if self.finished_refund is not None:
            show_refund_slip(self.ctx, self.finished_refund.result.refund_id, self)
