"""先学后付 Pay after learning: the families that owe (amount, lessons, oldest unpaid lesson, days
outstanding, last reminder), one family's unpaid lessons, 收款 and a reminder to copy and send."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.documents.receipt import ReceiptFacts, owed_payment_receipt
from app.services.pay_after import OwedPaymentResult, record_reminder
from app.views.pay_after import (
    OwedLesson,
    OwedTotals,
    OwingFamily,
    count_owing_families,
    owed_lessons,
    owed_totals,
    owing_families,
    reminder_text,
)
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.pay_after_dialogs import OwedPaymentDialog
from ui.documents import print_pdf, temporary_pdf, write_receipt_pdf
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.labels import yuan
from ui.models.owed import families_model, lessons_model
from ui.models.paged import FunctionSource
from ui.ops import Op
from ui.panels.base import Panel
from ui.receipts import receipt_layout
from ui.widgets.roster_view import configure_table

REMIND_CHANGES = Changes.of(Entity.PAYMENT)


class OwedPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.families, self.lessons = families_model(), lessons_model()
        self.pay_dialog: OwedPaymentDialog | None = None
        self.last_reminder = ""
        self.receipt: ReceiptFacts | None = None  # of the last payment taken here
        self.totals = QLabel("")
        self.totals.setObjectName("heading")
        self.table, self.lesson_table = QTableView(), QTableView()
        for view, model in ((self.table, self.families), (self.lesson_table, self.lessons)):
            configure_table(view)
            view.setModel(model)
        self.lesson_table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._family_changed())
        self.families.loaded.connect(self._families_loaded)
        self.lessons.loaded.connect(self._update_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.lesson_table)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(splitter, 1)
        self._update_buttons()

    def _toolbar(self) -> QHBoxLayout:
        self.pay_button = QPushButton(tr("收款…"))
        self.pay_button.setToolTip(tr("付下方所选的课；不选则从最早未付的课付起"))
        self.pay_button.clicked.connect(self.open_pay)
        self.remind_button = QPushButton(tr("复制催缴提醒"))
        self.remind_button.setToolTip(tr("把提醒文字复制到剪贴板（发微信或短信），并记下今天已提醒"))
        self.remind_button.clicked.connect(self.remind)
        self.print_button = QPushButton(tr("打印收据…"))
        self.print_button.setToolTip(tr("打印刚才这笔收款的收据"))
        self.print_button.clicked.connect(self.print_receipt)
        self.save_button = QPushButton(tr("保存收据 PDF…"))
        self.save_button.clicked.connect(self.ask_save_receipt)
        bar = QHBoxLayout()
        bar.addWidget(self.totals, 1)
        for button in (self.pay_button, self.print_button, self.save_button, self.remind_button):
            bar.addWidget(button)
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.ATTENDANCE, Entity.PAYMENT, Entity.CONTRACT, Entity.STUDENT, Entity.SYNC)

    def refresh(self) -> None:
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        self.families.set_source(
            FunctionSource(
                lambda: count_owing_families(db, actor),
                lambda offset, limit: owing_families(db, actor, today, offset, limit),
            )
        )
        Op(lambda: owed_totals(db)).success(self._show_totals).run()

    def _show_totals(self, totals: OwedTotals) -> None:
        if not totals.families:
            self.totals.setText(tr("没有欠费的家庭"))
            return
        self.totals.setText(
            tr(
                "{families} 户欠费，共 {lessons} 节课 {amount}",
                families=totals.families,
                lessons=totals.lessons,
                amount=yuan(totals.owed_fen),
            )
        )

    def _families_loaded(self) -> None:
        if self.families.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._family_changed()

    def selected_family(self) -> OwingFamily | None:
        index = self.table.currentIndex()
        return self.families.row_at(index.row()) if index.isValid() else None

    def selected_lessons(self) -> list[OwedLesson]:
        rows = sorted(i.row() for i in self.lesson_table.selectionModel().selectedRows())
        return [line for line in (self.lessons.row_at(r) for r in rows) if line is not None]

    def all_lessons(self) -> list[OwedLesson]:
        found = (self.lessons.row_at(r) for r in range(self.lessons.rowCount()))
        return [line for line in found if line is not None]

    def _family_changed(self) -> None:
        family = self.selected_family()
        if family is None:
            self.lessons.set_rows([])
            self._update_buttons()
            return
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), family.student_id
        Op(lambda: owed_lessons(db, actor, sid)).success(self.lessons.set_rows).run()

    def _update_buttons(self) -> None:
        has = self.selected_family() is not None
        self.pay_button.setEnabled(has and self.lessons.rowCount() > 0)
        self.remind_button.setEnabled(has)
        for button in (self.print_button, self.save_button):
            button.setEnabled(self.receipt is not None)

    def open_pay(self) -> OwedPaymentDialog | None:
        family = self.selected_family()
        if family is None:
            return None
        dialog = OwedPaymentDialog(
            self.ctx,
            family.student_id,
            family.student_name,
            self.all_lessons(),
            self.selected_lessons(),
            self,
        )
        dialog.paid_signal.connect(self._paid)
        dialog.open()
        self.pay_dialog = dialog
        return dialog

    def _paid(self, result: OwedPaymentResult) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: owed_payment_receipt(db, actor, result.payment_id)).success(self._receipt_ready).run()

    def _receipt_ready(self, receipt: ReceiptFacts) -> None:
        self.receipt = receipt
        self._update_buttons()

    def save_receipt(self, path: Path) -> Path | None:
        if self.receipt is None:
            return None
        written = write_receipt_pdf(self.receipt, receipt_layout(self.ctx), path)
        messages.info(tr("已保存 {path}", path=str(written)))
        return written

    def ask_save_receipt(self) -> None:
        if self.receipt is None:
            return
        path = ask_save_path(self, tr("保存 PDF"), self.receipt.file_name, tr("PDF 文件 (*.pdf)"))
        if path is not None:
            self.save_receipt(path)

    def print_receipt(self) -> None:
        """The receipt through Qt's print dialog, on the paper chosen in 设置 (A5 or a thermal roll)."""
        receipt = self.receipt
        if receipt is not None:
            pdf = write_receipt_pdf(receipt, receipt_layout(self.ctx), temporary_pdf(receipt.file_name))
            print_pdf(pdf, self)

    def remind(self) -> None:
        family = self.selected_family()
        if family is None:
            return
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()

        def send() -> str:
            text = reminder_text(db, family, today)
            record_reminder(db, actor, family.student_id, text)
            return text

        Op(send).success(self._reminded).announce(REMIND_CHANGES).run()

    def _reminded(self, text: str) -> None:
        self.last_reminder = text
        QApplication.clipboard().setText(text)
        messages.info(tr("提醒已复制，可粘贴到微信或短信发给家长"))
