"""设置 → 文书与打印: the receipt paper (A5 or a 58/80 mm thermal roll) and the institution's contract
facts."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QPushButton, QWidget

from app.documents.receipt import Layout
from app.permissions import Permission
from ui.context import AppContext
from ui.dialogs.institution_dialog import InstitutionDialog
from ui.i18n import tr


class DocumentsBox(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("文书与打印"), parent)
        self.ctx = ctx
        self.receipt_layout = QComboBox()
        self.receipt_layout.addItem(tr("A5 纸"), Layout.A5.value)
        self.receipt_layout.addItem(tr("80 mm 热敏纸"), Layout.THERMAL_80.value)
        self.receipt_layout.addItem(tr("58 mm 热敏纸"), Layout.THERMAL_58.value)
        self.receipt_layout.setCurrentIndex(max(0, self.receipt_layout.findData(ctx.settings.receipt_layout)))
        self.institution_button = QPushButton(tr("机构信息（合同甲方）…"))
        self.institution_button.setVisible(ctx.may(Permission.MANAGE_INSTITUTION))
        self.institution_button.clicked.connect(self.open_institution)
        form = QFormLayout(self)
        form.addRow(tr("收据纸张"), self.receipt_layout)
        form.addRow(self.institution_button)

    def open_institution(self) -> InstitutionDialog:
        dialog = InstitutionDialog(self.ctx, self)
        dialog.open()
        return dialog

    def save(self) -> None:
        self.ctx.settings.receipt_layout = str(self.receipt_layout.currentData())
