"""先学后付 at the desk: join a pay-after course (price per lesson and terms, nothing paid now) and take a
payment after the lessons (the chosen lessons, or the oldest first) with its receipt number."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import cast

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.errors import InstDeskError
from app.money import format_fen, parse_yuan
from app.services.pay_after import (
    DEFAULT_TERMS,
    OwedPaymentRequest,
    OwedPaymentResult,
    PayAfterRequest,
    PayAfterResult,
    enroll_pay_after,
    pay_owed,
)
from app.views.enroll_choices import EnrollChoices, enroll_choices
from app.views.pay_after import OwedLesson
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.labels import PAYMENT_METHODS, label
from ui.ops import Op
from ui.qt_compat import emit

JOIN_CHANGES = Changes.of(Entity.CONTRACT, Entity.KLASS, Entity.STUDENT)
PAY_CHANGES = Changes.of(Entity.PAYMENT, Entity.STUDENT)


def _money_text(fen: int) -> str:
    return format_fen(fen).replace(",", "")


class JoinPayAfterDialog(QDialog):
    """先学后付报名 of one student: the course, class, start date, agreed price per lesson and terms."""

    def __init__(
        self, ctx: AppContext, student_id: str, student_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.choices = EnrollChoices((), ())
        self.result_: PayAfterResult | None = None
        self.setWindowTitle(tr("先学后付报名：{name}", name=student_name))
        self.course, self.klass = QComboBox(), QComboBox()
        today = ctx.today()
        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.price = QLineEdit()
        self.terms = QPlainTextEdit(DEFAULT_TERMS)
        self.terms.setFixedHeight(70)
        self.note = QLabel(tr("先学后付不预收任何费用：每节课点名后记为欠费，家长课后在前台或平台付款。"))
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(tr("签约"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("课程"), self.course)
        form.addRow(tr("班级"), self.klass)
        form.addRow(tr("开始日期"), self.start)
        form.addRow(tr("每节课单价（元）"), self.price)
        form.addRow(tr("付款约定"), self.terms)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self.course.currentIndexChanged.connect(lambda _i: self._course_changed())
        db, actor = ctx.db, ctx.require_actor()
        Op(lambda: enroll_choices(db, actor)).success(self._loaded).run()

    def _loaded(self, choices: EnrollChoices) -> None:
        self.choices = choices
        self.course.clear()
        for course in choices.courses:
            if course.pay_after_learning:
                self.course.addItem(course.name, course.course_id)
        if self.course.count() == 0:
            self.note.setText(tr("还没有先学后付课程：请先在“课程”中把课程设为先学后付。"))
        self.confirm.setEnabled(self.course.count() > 0)
        self._course_changed()

    def _course_changed(self) -> None:
        self.klass.clear()
        self.klass.addItem(tr("（暂不分班）"), None)
        course = next((c for c in self.choices.courses if c.course_id == self.course.currentData()), None)
        for klass in self.choices.classes:
            if course is not None and klass.course_id == course.course_id:
                self.klass.addItem(klass.name, klass.klass_id)
        if self.klass.count() > 1:
            self.klass.setCurrentIndex(1)
        if course is not None and course.lessons_per_package:
            per_lesson = (2 * course.price_fen + int(course.lessons_per_package)) // (
                2 * int(course.lessons_per_package)
            )
            self.price.setText(_money_text(per_lesson))

    def submit(self) -> None:
        try:
            price = parse_yuan(self.price.text())
        except InstDeskError as exc:
            messages.error(error_text(exc))
            return
        if self.course.currentData() is None:
            messages.error(tr("请选择课程"))
            return
        request = PayAfterRequest(
            student_id=self.student_id,
            course_id=str(self.course.currentData()),
            start_date=cast(date, self.start.date().toPython()),
            klass_id=self.klass.currentData(),
            lesson_price_fen=price,
            payment_terms=self.terms.toPlainText(),
        )
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: enroll_pay_after(db, actor, request)).success(self._signed).announce(JOIN_CHANGES).run()

    def _signed(self, result: PayAfterResult) -> None:
        self.result_ = result
        messages.info(
            tr(
                "已签约先学后付合同 {contract}，每节课 {price} 元，不预收费用",
                contract=result.contract_no,
                price=format_fen(result.lesson_price_fen),
            )
        )
        self.accept()


class OwedPaymentDialog(QDialog):
    """收款 for lessons already held: the amount (at most what the chosen lessons owe) and the method."""

    #: the payment was taken (its receipt can be printed)
    paid_signal = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        student_id: str,
        student_name: str,
        lessons: Sequence[OwedLesson],
        chosen: Sequence[OwedLesson] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.chosen = tuple(chosen)
        self.paid: OwedPaymentResult | None = None
        owed = sum(line.owed_fen for line in (self.chosen or lessons))
        self.setWindowTitle(tr("先学后付收款：{name}", name=student_name))
        which = (
            tr("所选的 {n} 节课，共欠 {amount} 元", n=len(self.chosen), amount=format_fen(owed))
            if self.chosen
            else tr("从最早的课付起，共 {n} 节课欠 {amount} 元", n=len(lessons), amount=format_fen(owed))
        )
        self.which = QLabel(which)
        self.amount = QLineEdit(_money_text(owed))
        self.method = QComboBox()
        for code in PAYMENT_METHODS:
            if code != "platform":
                self.method.addItem(label(PAYMENT_METHODS, code), code)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(tr("收款"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("付哪些课"), self.which)
        form.addRow(tr("金额（元）"), self.amount)
        form.addRow(tr("付款方式"), self.method)
        form.addRow(self.buttons)

    def submit(self) -> None:
        try:
            amount = parse_yuan(self.amount.text())
        except InstDeskError as exc:
            messages.error(error_text(exc))
            return
        request = OwedPaymentRequest(
            self.student_id,
            amount,
            str(self.method.currentData()),
            tuple(line.entry_id for line in self.chosen),
        )
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: pay_owed(db, actor, request)).success(self._paid).announce(PAY_CHANGES).run()

    def _paid(self, result: OwedPaymentResult) -> None:
        self.paid = result
        emit(self.paid_signal, result)
        messages.info(
            tr(
                "已收款 {amount} 元，收据 {receipt}；仍欠 {left} 元",
                amount=format_fen(result.amount_fen),
                receipt=result.receipt_no,
                left=format_fen(result.still_owed_fen),
            )
        )
        self.accept()
