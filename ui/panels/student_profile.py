"""The right side of the students screen: one student's details, guardians, contracts and 流水 (every
ledger line and every marked lesson, with why), and the actions on the student and the chosen contract."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.codes import ContractStatus
from app.views.students import ContractLine, StudentProfile
from ui.i18n import tr
from ui.labels import GENDERS, label
from ui.models.students import contracts_model, guardians_model, history_model
from ui.qt_compat import emit
from ui.widgets.roster_view import configure_table


def _table(model: object) -> QTableView:
    view = QTableView()
    configure_table(view)
    view.setModel(model)  # type: ignore[arg-type]
    return view


class ProfileView(QWidget):
    enroll_requested = Signal()
    #: 先学后付报名 (a pay-after course: no prepayment)
    pay_after_requested = Signal()
    #: reprint the selected signed contract as a 副本 (contract id)
    reprint_requested = Signal(str)
    edit_requested = Signal()
    refund_requested = Signal()
    move_requested = Signal(str)  # 'transfer', 'pause' or 'resume'

    def __init__(self, can_enroll: bool, parent: QWidget | None = None, *, can_edit: bool = False) -> None:
        super().__init__(parent)
        self.profile: StudentProfile | None = None
        self.title = QLabel(tr("请选择学员"))
        self.title.setObjectName("heading")
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.enroll_button = self._button(tr("新报名…"), can_enroll, lambda: emit(self.enroll_requested))
        self.pay_after_button = self._button(
            tr("先学后付报名…"), can_enroll, lambda: emit(self.pay_after_requested)
        )
        self.edit_button = self._button(tr("编辑…"), can_edit, lambda: emit(self.edit_requested))
        self.refund_button = self._button(tr("退费…"), can_enroll, lambda: emit(self.refund_requested))
        self.move_buttons = {
            kind: self._button(text, can_enroll, lambda _c=False, k=kind: emit(self.move_requested, k))
            for kind, text in (("transfer", tr("转班…")), ("pause", tr("停课…")), ("resume", tr("复课…")))
        }
        self.guardians, self.contracts, self.ledger = guardians_model(), contracts_model(), history_model()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._contracts_tab(), tr("合同"))
        self.contracts_view.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.contracts.loaded.connect(self._enable)
        self.tabs.addTab(_table(self.ledger), tr("流水"))
        self.tabs.addTab(_table(self.guardians), tr("监护人"))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        buttons = (self.edit_button, self.enroll_button, self.pay_after_button, self.refund_button)
        for button in (*buttons, *self.move_buttons.values()):
            head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.details)
        layout.addWidget(self.tabs, 1)

    def _contracts_tab(self) -> QWidget:
        self.contracts_view = _table(self.contracts)
        self.reprint_button = QPushButton(tr("重印合同（副本）…"))
        self.reprint_button.setToolTip(tr("打印所选已签合同的副本（身份证号脱敏，每页标注合同编号和“副本”）"))
        self.reprint_button.clicked.connect(self._reprint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reprint_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.contracts_view, 1)
        layout.addLayout(row)
        return tab

    def selected_contract_id(self) -> str | None:
        """The contract selected in the 合同 tab (the only one when the student has one)."""
        rows = self.contracts_view.selectionModel().selectedRows()
        index = rows[0].row() if rows else (0 if self.contracts.rowCount() == 1 else -1)
        line = self.contracts.row_at(index) if index >= 0 else None
        return line.contract_id if line else None

    def _reprint(self) -> None:
        contract_id = self.selected_contract_id()
        if contract_id:
            emit(self.reprint_requested, contract_id)

    @staticmethod
    def _button(text: str, visible: bool, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setVisible(visible)
        button.setEnabled(False)
        button.clicked.connect(slot)
        return button

    def show_profile(self, profile: StudentProfile) -> None:
        self.profile = profile
        student = profile.student
        self.title.setText(student.name)
        parts = [
            label(GENDERS, student.gender),
            student.birth_date.isoformat() if student.birth_date else "",
            student.school or "",
            student.grade or "",
            tr("手机 {phone}", phone=student.phone) if student.phone else "",
            tr("卡号 {card}", card=student.card_code) if student.card_code else "",
        ]
        self.details.setText("　".join(p for p in parts if p))
        self.guardians.set_rows(profile.guardians)
        selected = self.selected_contract()
        self.contracts.set_rows(profile.contracts)
        ids = [c.contract_id for c in profile.contracts]
        if selected is not None and selected.contract_id in ids:
            self.contracts_view.selectRow(ids.index(selected.contract_id))
        self.ledger.set_rows(profile.history)
        self._enable()

    def selected_contract(self) -> ContractLine | None:
        index = self.contracts_view.currentIndex()
        return self.contracts.row_at(index.row()) if index.isValid() else None

    def select_contract(self, contract_no: str) -> None:
        for row, line in enumerate(self.contracts.loaded_rows()):
            if line.contract_no == contract_no:
                self.contracts_view.selectRow(row)

    def _enable(self) -> None:
        has_student = self.profile is not None
        self.enroll_button.setEnabled(has_student)
        self.pay_after_button.setEnabled(has_student)
        self.edit_button.setEnabled(has_student)
        active = bool(self.profile and any(c.status == ContractStatus.ACTIVE for c in self.profile.contracts))
        self.refund_button.setEnabled(active)
        line = self.selected_contract()
        live = line is not None and line.status == ContractStatus.ACTIVE
        paused = live and line is not None and line.paused_since is not None
        self.move_buttons["transfer"].setEnabled(live and not paused)
        self.move_buttons["pause"].setEnabled(live and not paused and bool(line and line.klass_id))
        self.move_buttons["resume"].setEnabled(paused)

    def guardian_name(self) -> str:
        return self.profile.guardians[0].name if self.profile and self.profile.guardians else ""
