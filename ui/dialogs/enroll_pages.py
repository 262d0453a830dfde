"""The pages of the enrollment wizard: the deal, the cap checks with the contract preview, payment,
and the receipt. The wizard (``enroll_wizard.py``) owns the data; pages only show and collect it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWizardPage,
)

from app.money import format_fen
from app.views.enroll_choices import CourseChoice
from ui.i18n import tr
from ui.labels import PAYMENT_METHODS, label
from ui.widgets.scrolling import scrolling

if TYPE_CHECKING:
    from ui.dialogs.enroll_wizard import EnrollWizard


def _units_box(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(2)
    box.setRange(0, 999)
    box.setValue(value)
    return box


def spin_units(box: QDoubleSpinBox) -> Decimal:
    """The units typed, without trailing zeros and never in exponent form (``normalize()`` alone turns 80
    into ``8E+1``, which the rule messages then print as "本次为8E+1课时")."""
    return Decimal(f"{Decimal(str(round(box.value(), 2))).normalize():f}")


class DealPage(QWizardPage):
    """Course, class, units, fee, dates and payment method."""

    def __init__(self, wizard: EnrollWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("课程与课时"))
        self.course, self.klass, self.method = QComboBox(), QComboBox(), QComboBox()
        self.units, self.gift = _units_box(20), _units_box(0)
        self.fee = QLineEdit()
        today = QDate(wizard.today.year, wizard.today.month, wizard.today.day)
        self.start, self.end = QDateEdit(today), QDateEdit(today.addDays(80))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        for code in PAYMENT_METHODS:
            if code != "platform":
                self.method.addItem(label(PAYMENT_METHODS, code), code)
        form = QFormLayout(self)
        form.addRow(tr("课程"), self.course)
        form.addRow(tr("班级"), self.klass)
        form.addRow(tr("购买课时"), self.units)
        form.addRow(tr("赠送课时"), self.gift)
        form.addRow(tr("收费金额（元）"), self.fee)
        form.addRow(tr("开始日期"), self.start)
        form.addRow(tr("结束日期"), self.end)
        form.addRow(tr("付款方式"), self.method)
        self.course.currentIndexChanged.connect(self._course_changed)
        self.units.valueChanged.connect(self._suggest_fee)

    def fill(self, courses: tuple[CourseChoice, ...]) -> None:
        self.course.clear()
        for course in courses:
            if not course.pay_after_learning:
                self.course.addItem(course.name, course.course_id)
        self._course_changed()

    def current_course(self) -> CourseChoice | None:
        return next((c for c in self.w.choices.courses if c.course_id == self.course.currentData()), None)

    def _course_changed(self) -> None:
        self.klass.clear()
        self.klass.addItem(tr("（暂不分班）"), None)
        for klass in self.w.choices.classes:
            if klass.course_id == self.course.currentData():
                self.klass.addItem(klass.name, klass.klass_id)
        if self.klass.count() > 1:
            self.klass.setCurrentIndex(1)
        self._suggest_fee()

    def _suggest_fee(self) -> None:
        course = self.current_course()
        if course is None or not course.lessons_per_package:
            return
        per_unit = Decimal(course.price_fen) / course.lessons_per_package
        fee = int((per_unit * spin_units(self.units)).to_integral_value())
        self.fee.setText(format_fen(fee).replace(",", ""))

    def validatePage(self) -> bool:
        return self.w.read_deal()


class CheckPage(QWizardPage):
    """The cap checks of ``quote_enrollment`` before signing, and the contract preview."""

    def __init__(self, wizard: EnrollWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("收费检查与合同预览"))
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.preview = QTextBrowser()
        self.pdf_button = QPushButton(tr("导出合同草稿 PDF…"))
        self.pdf_button.clicked.connect(lambda: self.w.ask_save_pdf("contract"))
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(self.verdict))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.pdf_button)

    def initializePage(self) -> None:
        self.verdict.setText(tr("正在检查收费规定…"))
        self.w.run_quote()

    def isComplete(self) -> bool:
        return self.w.check is not None and self.w.check.ok


class PayPage(QWizardPage):
    """The summary; "签约并收费" signs the contract and takes the payment in one transaction."""

    def __init__(self, wizard: EnrollWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("确认收费"))
        self.setCommitPage(True)
        self.setButtonText(wizard.WizardButton.CommitButton, tr("签约并收费"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)

    def initializePage(self) -> None:
        request = self.w.request
        if request is None:
            return
        self.summary.setText(
            tr(
                "学员：{student}\n课程：{course}\n课时：{units}（赠送 {gift}）\n"
                "金额：{fee} 元\n付款方式：{method}",
                student=self.w.student_name,
                course=self.w.deal.course.currentText(),
                units=f"{request.units:f}",
                gift=f"{request.gift_units:f}",
                fee=format_fen(request.fee_fen),
                method=label(PAYMENT_METHODS, request.method),
            )
        )

    def validatePage(self) -> bool:
        return self.w.commit()


class ReceiptPage(QWizardPage):
    def __init__(self, wizard: EnrollWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("收据"))
        self.done = QLabel()
        self.preview = QTextBrowser()
        self.pdf_button = QPushButton(tr("保存收据 PDF…"))
        self.pdf_button.clicked.connect(lambda: self.w.ask_save_pdf("receipt"))
        self.print_button = QPushButton(tr("打印收据…"))
        self.print_button.clicked.connect(self.w.print_receipt)
        self.contract_button = QPushButton(tr("保存合同 PDF…"))
        self.contract_button.clicked.connect(lambda: self.w.ask_save_pdf("contract"))
        buttons = QHBoxLayout()
        for button in (self.print_button, self.pdf_button, self.contract_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.done)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)


__all__ = ["CheckPage", "DealPage", "PayPage", "ReceiptPage", "spin_units"]
