"""The right side of the students screen: one student's details, guardians, contracts and ledger."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.services.students_view import StudentProfile
from ui.i18n import tr
from ui.labels import GENDERS, label
from ui.models.students import contracts_model, guardians_model, ledger_model
from ui.qt_compat import emit
from ui.widgets.roster_view import configure_table


def _table(model: object) -> QTableView:
    view = QTableView()
    configure_table(view)
    view.setModel(model)  # type: ignore[arg-type]
    return view


class ProfileView(QWidget):
    enroll_requested = Signal()
    #: reprint the selected signed contract as a 副本 (contract id)
    reprint_requested = Signal(str)

    def __init__(self, can_enroll: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile: StudentProfile | None = None
        self.title = QLabel(tr("请选择学员"))
        self.title.setObjectName("heading")
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.enroll_button = QPushButton(tr("新报名…"))
        self.enroll_button.setVisible(can_enroll)
        self.enroll_button.setEnabled(False)
        self.enroll_button.clicked.connect(lambda: emit(self.enroll_requested))
        self.guardians, self.contracts, self.ledger = guardians_model(), contracts_model(), ledger_model()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._contracts_tab(), tr("合同"))
        self.tabs.addTab(_table(self.ledger), tr("流水"))
        self.tabs.addTab(_table(self.guardians), tr("监护人"))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.enroll_button)
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

    def show_profile(self, profile: StudentProfile) -> None:
        self.profile = profile
        student = profile.student
        self.title.setText(student.name)
        parts = [
            label(GENDERS, student.gender),
            student.school or "",
            student.grade or "",
            tr("手机 {phone}", phone=student.phone) if student.phone else "",
            tr("卡号 {card}", card=student.card_code) if student.card_code else "",
        ]
        self.details.setText("　".join(p for p in parts if p))
        self.guardians.set_rows(profile.guardians)
        self.contracts.set_rows(profile.contracts)
        self.ledger.set_rows(profile.ledger)
        self.enroll_button.setEnabled(True)

    def guardian_name(self) -> str:
        return self.profile.guardians[0].name if self.profile and self.profile.guardians else ""
