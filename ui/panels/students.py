"""学员 Students: search as you type over the lazy list (name, pinyin, initials, phone tail, card), the
selected student's profile, and the student jobs: new student / edit (``StudentDialog``, from a new student
straight into 新报名), roster import (``ImportWizard``), the enrollment wizard, 退费 (``RefundDialog``) and
转班/停课/复课 of the chosen contract (``ContractMoveDialog``).

Typing never waits: each keystroke asks for the results of the current text; while a search runs, only the
newest text is kept and searched next, so results follow the typing without a debounce delay. Clearing the
search shows the list of all students as it was loaded (kept while searching), so the next keystroke does
not queue behind a count of every student on the database worker; a change of students reloads it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.documents.contract import ContractFacts, Mode, contract_facts, contract_file_name
from app.errors import InstDeskError
from app.permissions import Permission
from app.search import StudentHit, count_students, list_students, search_students, student_key
from app.services.students import StudentInfo
from app.views.students import StudentProfile, student_profile
from ui import messages
from ui.changes import Entity
from ui.context import AppContext
from ui.dialogs.contract_move import ContractMoveDialog
from ui.dialogs.enroll_wizard import EnrollWizard
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.pay_after_dialogs import JoinPayAfterDialog
from ui.dialogs.refund_dialog import RefundDialog
from ui.dialogs.student_dialog import StudentDialog
from ui.documents import write_contract_pdf
from ui.errors import error_text
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.models.paged import KeyedSource, Snapshot
from ui.models.students import students_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.panels.student_profile import ProfileView
from ui.widgets.roster_view import configure_table

SEARCH_LIMIT = 200


class StudentsPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = students_model()
        self._searching = False
        self._next_query: str | None = None
        self._all: Snapshot[StudentHit] | None = None  # the list of all students while a search shows
        self.query = ""
        self.current_id: str | None = None
        self.student_dialog: StudentDialog | None = None
        self.enroll_wizard: EnrollWizard | None = None
        self.pay_after_dialog: JoinPayAfterDialog | None = None
        self.import_wizard: ImportWizard | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索：姓名、拼音、首字母、手机尾号或卡号"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_for)
        self.count_label = QLabel("")
        self.table = QTableView()
        configure_table(self.table)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._show_count)
        self.profile = ProfileView(ctx.may(Permission.ENROLL), can_edit=ctx.may(Permission.EDIT_STUDENTS))
        self.profile.enroll_requested.connect(self.open_enroll)
        self.profile.pay_after_requested.connect(self.open_pay_after)
        self.profile.reprint_requested.connect(self.reprint_contract)
        self.profile.edit_requested.connect(self.open_edit)
        self.profile.refund_requested.connect(self.open_refund)
        self.profile.move_requested.connect(self.open_move)
        self.new_button = QPushButton(tr("新学员…"))
        self.new_button.setVisible(ctx.may(Permission.EDIT_STUDENTS))
        self.new_button.clicked.connect(self.open_new)
        self.import_button = QPushButton(tr("导入…"))
        self.import_button.setVisible(ctx.may(Permission.IMPORT))
        self.import_button.clicked.connect(self.open_import)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        left_layout.addLayout(top)
        for widget in (self.count_label, self.table):
            left_layout.addWidget(widget)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.profile)
        splitter.setSizes([560, 560])
        QVBoxLayout(self).addWidget(splitter)

    def concerns(self) -> tuple[Entity, ...]:
        return (
            Entity.STUDENT,
            Entity.GUARDIAN,
            Entity.CONTRACT,
            Entity.LEDGER,
            Entity.ATTENDANCE,
            Entity.PAYMENT,
            Entity.REFUND,
            Entity.KLASS,
            Entity.SYNC,
        )

    # --- the list --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._all = None
        if self.query:
            self._run_search(self.query)
        else:
            self._show_all()
        self.load_profile()

    def _show_all(self) -> None:
        if self._all is not None:
            self.model.restore(self._all)
            return
        db, actor = self.ctx.db, self.ctx.require_actor()
        source: KeyedSource[StudentHit] = KeyedSource(
            lambda: count_students(db, actor),
            lambda at, limit: list_students(db, actor, at.offset, limit, after=at.after, before=at.before),
            student_key,
        )
        self.model.set_source(source)

    def search_for(self, text: str) -> None:
        self.query = text.strip()
        if not self.query:
            self._next_query = None
            self._show_all()
        elif self._searching:
            self._next_query = self.query
        else:
            self._run_search(self.query)

    def _run_search(self, query: str) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        self._searching = True
        op = Op(lambda: search_students(db, actor, query, SEARCH_LIMIT))
        op.success(lambda hits: self._found(query, hits)).failure(self._search_failed).run()

    def _found(self, query: str, hits: list[StudentHit]) -> None:
        self._searching = False
        pending, self._next_query = self._next_query, None
        if pending is not None and pending != query:
            self._run_search(pending)
            return
        if query == self.query:
            self._all = self.model.snapshot() or self._all
            self.model.set_rows(hits)

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = False
        from ui.messages import show_exception

        show_exception(exc)

    def _show_count(self) -> None:
        self._reselect()
        n = self.model.rowCount()
        self.count_label.setText(tr("找到 {n} 名学员", n=n) if self.query else tr("共 {n} 名学员", n=n))

    # --- the profile -----------------------------------------------------------------------------------
    def selected(self) -> StudentHit | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        hit = self.model.row_at(current.row()) if current.isValid() else None
        if hit is not None and hit.id != self.current_id:
            self.current_id = hit.id
            self.load_profile()

    def _reselect(self) -> None:
        """After a reload, select the student shown in the profile again (when the list has them)."""
        ids = [hit.id for hit in self.model.loaded_rows()]
        if self.current_id in ids:
            self.table.selectRow(ids.index(self.current_id))  # same id: _row_changed does not reload

    def load_profile(self) -> None:
        if self.current_id is None:
            return
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), self.current_id
        Op(lambda: student_profile(db, actor, sid)).success(self._show_profile).run()

    def _show_profile(self, profile: StudentProfile) -> None:
        if profile.student.student_id == self.current_id:
            self.profile.show_profile(profile)

    def show_item(self, item_id: str) -> None:
        """Show the profile of the student ``item_id`` (from 今日)."""
        self.current_id = item_id
        self.load_profile()

    def reprint_contract(self, contract_id: str, path: Path | None = None) -> None:
        """Reprint a signed contract as a 副本: asks where (Documents, ``合同-<学员>-<编号>.pdf``) unless
        ``path`` is given, and says which required facts are missing instead when any are."""
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: contract_facts(db, actor, contract_id)).success(lambda f: self._write_copy(f, path)).run()

    def _write_copy(self, facts: ContractFacts, path: Path | None) -> None:
        target = path or ask_save_path(
            self, tr("重印合同（副本）"), contract_file_name(facts), tr("PDF 文件 (*.pdf)")
        )
        if target is None:
            return
        try:
            written = write_contract_pdf(facts, Mode.COPY, target)
        except InstDeskError as exc:
            messages.error(error_text(exc))
            return
        messages.info(tr("已保存 {path}", path=str(written)))

    def open_enroll(self) -> EnrollWizard | None:
        current = self.profile.profile
        if current is None:
            return None
        student = current.student
        return self._enroll(student.student_id, student.name, self.profile.guardian_name())

    def open_pay_after(self) -> JoinPayAfterDialog | None:
        """先学后付报名 of the student shown (no prepayment; see the 先学后付 screen)."""
        current = self.profile.profile
        if current is None:
            return None
        dialog = JoinPayAfterDialog(self.ctx, current.student.student_id, current.student.name, self)
        dialog.open()
        self.pay_after_dialog = dialog
        return dialog

    def _enroll(self, student_id: str, name: str, guardian: str) -> EnrollWizard:
        wizard = EnrollWizard(self.ctx, student_id, name, guardian, self)
        wizard.open()
        self.enroll_wizard = wizard
        return wizard

    # --- the student jobs ------------------------------------------------------------------------------
    def _student_dialog(self, student_id: str | None) -> StudentDialog:
        dialog = StudentDialog(self.ctx, student_id, self)
        dialog.saved.connect(self._student_saved)
        dialog.open_existing.connect(self.show_item)
        dialog.open()
        self.student_dialog = dialog
        return dialog

    def open_new(self) -> StudentDialog:
        return self._student_dialog(None)

    def open_edit(self) -> StudentDialog | None:
        current = self.profile.profile
        return self._student_dialog(current.student.student_id) if current else None

    def _student_saved(self, info: StudentInfo, enroll: bool) -> None:
        self.show_item(info.student_id)
        if enroll:
            dialog = self.student_dialog
            guardians = dialog.guardians() if dialog is not None else []
            self._enroll(info.student_id, info.name, guardians[0].name if guardians else "")

    def open_import(self) -> ImportWizard:
        wizard = ImportWizard(self.ctx, self)
        wizard.open()
        self.import_wizard = wizard
        return wizard

    def open_refund(self) -> RefundDialog | None:
        current = self.profile.profile
        if current is None:
            return None
        dialog = RefundDialog(self.ctx, current.student.name, current.contracts, self)
        selected = self.profile.selected_contract()
        if selected is not None:
            dialog.contract.setCurrentIndex(max(dialog.contract.findData(selected.contract_id), 0))
        dialog.open()
        return dialog

    def open_move(self, kind: str) -> ContractMoveDialog | None:
        line = self.profile.selected_contract()
        if line is None:
            return None
        dialog = ContractMoveDialog(self.ctx, line, kind, self)
        dialog.open()
        return dialog
