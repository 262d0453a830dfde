"""Add or edit a staff member. Every problem (name, phone, ID number, a serving school teacher) is shown
under its field as the user types, from the same checks the use case runs (``staff_problems``); Save is
enabled only when there is none, and a refusal on save is shown in the form, not in a modal. The
准入查询 result is shown but not editable (the platform's answer is authoritative)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.errors import InstDeskError
from app.services.staffing import StaffInput, add_staff, staff_problems, update_staff
from app.views.staff import StaffRow
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.labels import label
from ui.messages import show_exception
from ui.models.codes import BACKGROUND_CHECKS, EMPLOYMENTS, STAFF_KINDS
from ui.ops import Op
from ui.widgets.course_form import code_combo, select_code
from ui.widgets.field_errors import FieldErrors, error_label

STAFF_CHANGES = Changes.of(Entity.STAFF)


class StaffDialog(QDialog):
    def __init__(self, ctx: AppContext, row: StaffRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setWindowTitle(tr("编辑员工") if row else tr("新增员工"))
        self.errors = FieldErrors()
        self.name = QLineEdit(row.name if row else "")
        self.kind = code_combo(STAFF_KINDS)
        self.employment = code_combo(EMPLOYMENTS)
        self.phone = QLineEdit(row.phone or "" if row else "")
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(row.id_number_masked or "" if row else tr("身份证号（选填）"))
        self.cert_subject = QLineEdit(row.teacher_cert_subject or "" if row else "")
        self.cert_subject.setPlaceholderText(tr("如：初中数学"))
        self.cert_no = QLineEdit(row.teacher_cert_no or "" if row else "")
        self.ability = QLineEdit(row.ability_cert_no or "" if row else "")
        self.serving = QCheckBox(tr("中小学、幼儿园在职教师"))
        self.serving.setChecked(bool(row and row.serving_school_teacher))
        self.check_label = QLabel(label(BACKGROUND_CHECKS, row.background_check if row else "none"))
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.form_error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if row:
            select_code(self.kind, row.kind)
            select_code(self.employment, row.employment)
        self._build()
        self.check()

    def _build(self) -> None:
        form = QFormLayout(self)
        for title, key, widget in (
            (tr("姓名"), "name", self.name),
            (tr("人员类别"), "kind", self.kind),
            (tr("聘用方式"), "employment", self.employment),
            (tr("手机"), "phone", self.phone),
            (tr("证件号"), "id_number", self.id_number),
            (tr("教师资格证学科"), "cert_subject", self.cert_subject),
            (tr("教师资格证编号"), "cert_no", self.cert_no),
            (tr("能力证明编号"), "ability", self.ability),
            (tr("在职教师"), "serving", self.serving),
        ):
            self.errors.add_row(form, title, key, widget)
        form.addRow(tr("准入查询"), self.check_label)
        form.addRow(self.hint)
        form.addRow(self.form_error)
        form.addRow(self.buttons)
        for line in (self.name, self.phone, self.id_number, self.cert_subject, self.cert_no, self.ability):
            line.textChanged.connect(self.check)
        self.kind.currentIndexChanged.connect(self.check)
        self.employment.currentIndexChanged.connect(self.check)
        self.serving.toggled.connect(self.check)

    def _problems(self) -> dict[str, str]:
        """The use case's own checks, by the form's field names."""
        fields = {"serving_school_teacher": "serving"}
        return {fields.get(k, k): text for k, text in staff_problems(self.staff_input()).items()}

    def check(self) -> None:
        self.form_error.hide()
        self.errors.show([], lambda v: "name", self._problems())
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.errors.any())
        teaching = self.kind.currentData() in ("teaching", "research")
        no_cert = not (self.cert_subject.text().strip() or self.ability.text().strip())
        self.hint.setText(tr("未填写教师资格证或能力证明：不能安排授课。") if teaching and no_cert else "")

    def staff_input(self) -> StaffInput:
        def text(line: QLineEdit) -> str | None:
            return line.text().strip() or None

        return StaffInput(
            name=self.name.text().strip(),
            kind=str(self.kind.currentData()),
            employment=str(self.employment.currentData()),
            id_number=text(self.id_number),
            phone=text(self.phone),
            teacher_cert_no=text(self.cert_no),
            teacher_cert_subject=text(self.cert_subject),
            ability_cert_no=text(self.ability),
            serving_school_teacher=self.serving.isChecked(),
        )

    def save(self) -> None:
        if self.errors.any():
            return
        db, actor, data, row = self.ctx.db, self.ctx.require_actor(), self.staff_input(), self.row
        if row is None:
            op: Op[object] = Op(lambda: add_staff(db, actor, data))
        else:
            op = Op(lambda: update_staff(db, actor, row.staff_id, data))
        op.success(lambda _saved: self.accept()).failure(self._refused).announce(STAFF_CHANGES).run()

    def _refused(self, exc: BaseException) -> None:
        """A refusal the form could not foresee (e.g. a failed 准入查询) stays in the form."""
        if not isinstance(exc, InstDeskError):
            show_exception(exc)
            return
        self.form_error.setText(error_text(exc))
        self.form_error.show()
