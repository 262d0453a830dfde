"""新报名 New enrollment: the deal → the cap checks (``quote_enrollment``) and contract preview/PDF →
signing and payment (``enroll``, one transaction) → the receipt preview/PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget, QWizard

from app.documents.contract import (
    ContractFacts,
    Mode,
    contract_facts,
    contract_file_name,
    draft_contract_facts,
)
from app.documents.html import contract_html, receipt_html
from app.documents.receipt import Layout, ReceiptFacts, payment_receipt
from app.errors import InstDeskError
from app.money import parse_yuan
from app.services.enrollment import ChargeCheck, EnrollmentRequest, EnrollmentResult, enroll, quote_enrollment
from app.services.institution import InstitutionInfo, get_institution
from app.views.enroll_choices import EnrollChoices, enroll_choices
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.enroll_pages import CheckPage, DealPage, PayPage, ReceiptPage, spin_units
from ui.documents import print_pdf, temporary_pdf, write_contract_pdf, write_receipt_pdf
from ui.errors import error_text, violation_text
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.ops import Op
from ui.qt_compat import emit
from ui.receipts import receipt_layout

ENROLL_CHANGES = Changes.of(Entity.CONTRACT, Entity.PAYMENT, Entity.LEDGER, Entity.KLASS, Entity.STUDENT)


@dataclass(frozen=True)
class Loaded:
    choices: EnrollChoices
    institution: InstitutionInfo


@dataclass(frozen=True)
class Quoted:
    check: ChargeCheck
    draft: ContractFacts


@dataclass(frozen=True)
class Papers:
    """The signed contract and its receipt, as printed."""

    contract: ContractFacts
    receipt: ReceiptFacts


class EnrollWizard(QWizard):
    def __init__(
        self,
        ctx: AppContext,
        student_id: str,
        student_name: str,
        guardian: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.student_id, self.student_name, self.guardian = ctx, student_id, student_name, guardian
        self.today: date = ctx.today()
        self.choices = EnrollChoices((), ())
        self.institution: InstitutionInfo | None = None
        self.request: EnrollmentRequest | None = None
        self.check: ChargeCheck | None = None
        self.signed: EnrollmentResult | None = None
        self.draft: ContractFacts | None = None
        self.papers: Papers | None = None
        self.setWindowTitle(tr("新报名：{name}", name=student_name))
        self.deal, self.check_page = DealPage(self), CheckPage(self)
        self.pay, self.receipt = PayPage(self), ReceiptPage(self)
        for page in (self.deal, self.check_page, self.pay, self.receipt):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("取消"))
        self.resize(720, 560)
        self._load()

    def _load(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: Loaded(enroll_choices(db, actor), get_institution(db))).success(self._loaded).run()

    def _loaded(self, loaded: Loaded) -> None:
        self.choices, self.institution = loaded.choices, loaded.institution
        self.deal.fill(loaded.choices.courses)

    # --- the deal --------------------------------------------------------------------------------------
    def read_deal(self) -> bool:
        """Build the request from the first page; a bad amount is said plainly and keeps the page."""
        page = self.deal
        try:
            fee = parse_yuan(page.fee.text())
        except InstDeskError as exc:
            messages.error(error_text(exc))
            return False
        if page.course.currentData() is None:
            messages.error(tr("请选择课程"))
            return False
        self.request = EnrollmentRequest(
            student_id=self.student_id,
            course_id=str(page.course.currentData()),
            units=spin_units(page.units),
            fee_fen=fee,
            start_date=cast(date, page.start.date().toPython()),
            end_date=cast(date, page.end.date().toPython()),
            method=str(page.method.currentData()),
            klass_id=page.klass.currentData(),
            gift_units=spin_units(page.gift),
            charge_date=self.today,
        )
        return True

    # --- checks ----------------------------------------------------------------------------------------
    def run_quote(self) -> None:
        db, actor, request = self.ctx.db, self.ctx.require_actor(), self.request
        if request is None:
            return
        self.check = None
        op = Op(
            lambda: Quoted(quote_enrollment(db, actor, request), draft_contract_facts(db, actor, request))
        )
        op.success(self._quoted).run()

    def _quoted(self, quoted: Quoted) -> None:
        check, self.draft = quoted.check, quoted.draft
        self.check = check
        page = self.check_page
        if check.ok:
            page.verdict.setText(
                tr(
                    "✔ 符合收费规定（同科目剩余 {units} 课时）",
                    units=f"{check.remaining_units_same_subject.normalize():f}",
                )
            )
        else:
            lines = "\n".join("✘ " + violation_text(v) for v in check.violations)
            page.verdict.setText(tr("不符合收费规定，不能签约：\n{lines}", lines=lines))
        page.verdict.setProperty("good", check.ok)
        page.preview.setHtml(contract_html(quoted.draft, Mode.DRAFT))
        emit(page.completeChanged)

    # --- signing ---------------------------------------------------------------------------------------
    def commit(self) -> bool:
        if self.signed is not None:
            return True
        db, actor, request = self.ctx.db, self.ctx.require_actor(), self.request
        if request is None:
            return False
        op = Op(lambda: enroll(db, actor, request)).with_progress(tr("正在签约…"), self)
        op.success(self._signed).announce(ENROLL_CHANGES).run()
        return False

    def _signed(self, result: EnrollmentResult) -> None:
        self.signed = result
        self.receipt.done.setText(
            tr(
                "已签约：合同 {contract}，收据 {receipt}",
                contract=result.contract_no,
                receipt=result.receipt_no,
            )
        )
        db, actor = self.ctx.db, self.ctx.require_actor()
        op = Op(
            lambda: Papers(
                contract_facts(db, actor, result.contract_id), payment_receipt(db, actor, result.payment_id)
            )
        )
        op.success(self._papers).run()
        QTimer.singleShot(0, self.next)

    def _papers(self, papers: Papers) -> None:
        self.papers = papers
        self.receipt.preview.setHtml(receipt_html(papers.receipt, self.receipt_layout()))

    # --- documents -------------------------------------------------------------------------------------
    def receipt_layout(self) -> Layout:
        return receipt_layout(self.ctx)

    def _document(self, kind: str) -> tuple[str, Callable[[Path], Path]] | None:
        """The default file name and the writer of one document (``None`` while it is not ready)."""
        papers = self.papers
        if kind == "receipt":
            if papers is None:
                return None
            layout = self.receipt_layout()
            return papers.receipt.file_name, lambda path: write_receipt_pdf(papers.receipt, layout, path)
        facts, mode = (papers.contract, Mode.ORIGINAL) if papers else (self.draft, Mode.DRAFT)
        if facts is None:
            return None
        return contract_file_name(facts), lambda path: write_contract_pdf(facts, mode, path)

    def save_pdf(self, kind: str, path: Path) -> Path | None:
        """Write the contract (draft before signing, the original after) or the receipt to ``path``."""
        document = self._document(kind)
        if document is None:
            return None
        try:
            written = document[1](path)
        except InstDeskError as exc:  # a final contract with required facts missing says which
            messages.error(error_text(exc))
            return None
        messages.info(tr("已保存 {path}", path=str(written)))
        return written

    def ask_save_pdf(self, kind: str) -> None:
        document = self._document(kind)
        if document is None:
            return
        path = ask_save_path(self, tr("保存 PDF"), document[0], tr("PDF 文件 (*.pdf)"))
        if path is not None:
            self.save_pdf(kind, path)

    def print_receipt(self) -> None:
        """The receipt through Qt's print dialog, on the paper chosen in 设置 (A5 or a thermal roll)."""
        document = self._document("receipt")
        if document is not None:
            print_pdf(document[1](temporary_pdf(document[0])), self)
