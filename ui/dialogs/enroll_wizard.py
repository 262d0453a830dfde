"""新报名 New enrollment: the deal → the cap checks (``quote_enrollment``) and contract preview/PDF →
signing and payment (``enroll``, one transaction) → the receipt preview/PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QWidget, QWizard

from app.errors import InstDeskError
from app.money import parse_yuan
from app.services.enrollment import ChargeCheck, EnrollmentRequest, EnrollmentResult, enroll, quote_enrollment
from app.services.institution import InstitutionInfo, get_institution
from app.views.enroll_choices import EnrollChoices, enroll_choices
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.enroll_pages import CheckPage, DealPage, PayPage, ReceiptPage, spin_units
from ui.documents import DealFacts, contract_html, receipt_html, write_pdf
from ui.errors import error_text, violation_text
from ui.i18n import tr
from ui.ops import Op
from ui.qt_compat import emit

ENROLL_CHANGES = Changes.of(Entity.CONTRACT, Entity.PAYMENT, Entity.LEDGER, Entity.KLASS, Entity.STUDENT)


@dataclass(frozen=True)
class Loaded:
    choices: EnrollChoices
    institution: InstitutionInfo


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

    def facts(self) -> DealFacts:
        request, inst = self.request, self.institution
        assert request is not None and inst is not None
        return DealFacts(
            institution=inst.name,
            uscc=inst.uscc,
            student=self.student_name,
            guardian=self.guardian,
            course=self.deal.course.currentText(),
            klass=self.deal.klass.currentText() if request.klass_id else "",
            units=request.units,
            gift_units=request.gift_units,
            fee_fen=request.fee_fen,
            start=request.start_date,
            end=request.end_date,
            method=request.method,
            today=self.today,
            contract_no=self.signed.contract_no if self.signed else "（签约后生成）",
            receipt_no=self.signed.receipt_no if self.signed else "",
        )

    # --- checks ----------------------------------------------------------------------------------------
    def run_quote(self) -> None:
        db, actor, request = self.ctx.db, self.ctx.require_actor(), self.request
        if request is None:
            return
        self.check = None
        Op(lambda: quote_enrollment(db, actor, request)).success(self._quoted).run()

    def _quoted(self, check: ChargeCheck) -> None:
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
        page.preview.setHtml(contract_html(self.facts()))
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
        self.receipt.preview.setHtml(receipt_html(self.facts()))
        QTimer.singleShot(0, self.next)

    # --- documents -------------------------------------------------------------------------------------
    def save_pdf(self, kind: str, path: Path) -> Path:
        html = receipt_html(self.facts()) if kind == "receipt" else contract_html(self.facts())
        written = write_pdf(html, path)
        messages.info(tr("已保存 {path}", path=str(written)))
        return written

    def ask_save_pdf(self, kind: str) -> None:
        name = (self.signed.receipt_no if kind == "receipt" and self.signed else "contract") + ".pdf"
        path, _ = QFileDialog.getSaveFileName(self, tr("保存 PDF"), name, "PDF (*.pdf)")
        if path:
            self.save_pdf(kind, Path(path))
