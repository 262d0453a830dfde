"""New student (with guardians) and edit: every rule problem shown under its field as the user types.

The field checks are the core's pure ``student_problems`` (no database, so they run on each keystroke in
the GUI thread); the two checks that need the database — a duplicate (same 身份证号, or same name and
guardian phone) and a card number already used — run as ops, newest text only, like the student search.
Birth date and gender come from the 身份证 and are shown as soon as it is valid; a typed birth date or a
chosen gender that contradicts it is refused. 保存 stays disabled while anything is wrong, so a refused
form saves nothing; 保存并报名 opens the enrollment wizard for the new student.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.codes import IdType
from app.errors import InstDeskError, ValidationError
from app.permissions import Permission
from app.services.students import (
    DuplicateHit,
    GuardianInfo,
    GuardianInput,
    StudentInfo,
    StudentInput,
    card_holder,
    edit_student,
    find_duplicates,
    register_student,
    student_form,
    student_problems,
)
from app.validators import validate_id_number
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.labels import GENDERS, Labels, label
from ui.models.codes import STAGES, WARN
from ui.ops import Op
from ui.qt_compat import emit
from ui.widgets.course_form import code_combo, select_code
from ui.widgets.field_errors import FieldErrors, error_label

STUDENT_CHANGES = Changes.of(Entity.STUDENT, Entity.GUARDIAN)
ID_TYPES: Labels[IdType] = {
    IdType.ID_CARD: lambda: tr("身份证"),
    IdType.PASSPORT: lambda: tr("护照"),
    IdType.OTHER: lambda: tr("其他"),
}
MAX_GUARDIANS = 4


@dataclass(frozen=True)
class DbChecks:
    """What the database says about the form as typed."""

    duplicates: tuple[DuplicateHit, ...]
    card_holder: str | None


class GuardianRow(QWidget):
    """One guardian: name, relation, phone, and the line under them for their problems."""

    def __init__(self, guardian: GuardianInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guardian_id = guardian.guardian_id if guardian else None
        self.name = QLineEdit(guardian.name if guardian else "")
        self.name.setPlaceholderText(tr("监护人姓名"))
        self.relation = QComboBox()
        self.relation.setEditable(True)
        self.relation.addItems(["", tr("父亲"), tr("母亲"), tr("祖父"), tr("祖母"), tr("其他")])
        self.relation.setCurrentText(guardian.relation or "" if guardian else "")
        self.phone = QLineEdit(guardian.phone or "" if guardian else "")
        self.phone.setPlaceholderText(tr("手机号"))
        self.remove = QPushButton(tr("删除"))
        self.error = error_label()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.name, 2), (self.relation, 1), (self.phone, 2), (self.remove, 0)):
            line.addWidget(widget, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.error)

    def value(self) -> GuardianInput:
        return GuardianInput(
            self.name.text().strip(),
            self.relation.currentText().strip() or None,
            self.phone.text().strip() or None,
            self.guardian_id,
        )

    def show_problems(self, texts: list[str]) -> None:
        self.error.setText("\n".join(texts))
        self.error.setVisible(bool(texts))


class StudentDialog(QDialog):
    """Add a student (``student_id`` None) or edit one; emits ``saved`` and ``open_existing``."""

    saved = Signal(object, bool)  # StudentInfo, whether to go on to 新报名
    open_existing = Signal(str)

    def __init__(self, ctx: AppContext, student_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.today: date = ctx.today()
        self.problems: dict[str, str] = {}
        self.db_checks = DbChecks((), None)
        self._checking = False
        self._pending: StudentInput | None = None
        self._masked_id: str | None = None
        self._card_on_file: tuple[date | None, str | None] | None = None  # birth date, gender of that ID
        self.saved_info: StudentInfo | None = None
        self.setWindowTitle(tr("编辑学员") if student_id else tr("新学员"))
        self.errors = FieldErrors()
        self._make_fields()
        self._build()
        if student_id:
            self._load(student_id)
        else:
            self.add_guardian()
        self.check()

    # --- building ----------------------------------------------------------------------------------------
    def _make_fields(self) -> None:
        self.name = QLineEdit()
        self.id_type = code_combo(ID_TYPES)
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(tr("18位身份证号码（选填）"))
        self.derived = QLabel("")
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(tr("YYYY-MM-DD（有身份证号时自动填写）"))
        self.gender = QComboBox()
        self.gender.addItem(tr("（未填）"), None)
        for code, text in GENDERS.items():
            self.gender.addItem(text(), code)
        self.phone = QLineEdit()
        self.card = QLineEdit()
        self.card.setPlaceholderText(tr("学员卡号（选填）"))
        self.school, self.grade = QLineEdit(), QLineEdit()
        self.stage = QComboBox()
        self.stage.addItem(tr("（未填）"), None)
        for stage, stage_text in STAGES.items():
            self.stage.addItem(stage_text(), stage)
        self.guardian_rows: list[GuardianRow] = []
        self.guardians_box = QVBoxLayout()
        self.add_guardian_button = QPushButton(tr("添加监护人"))
        self.add_guardian_button.clicked.connect(lambda: self.add_guardian())
        self.duplicate_label = QLabel("")
        self.duplicate_label.setWordWrap(True)
        self.duplicate_label.setStyleSheet(f"color: {WARN};")
        self.open_existing_button = QPushButton(tr("打开已有学员"))
        self.open_existing_button.clicked.connect(self._open_existing)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton(tr("保存"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.enroll_button = self.buttons.addButton(tr("保存并报名"), QDialogButtonBox.ButtonRole.ActionRole)
        self.enroll_button.setVisible(self.student_id is None and self.ctx.may(Permission.ENROLL))
        self.save_button.clicked.connect(lambda: self.save(enroll=False))
        self.enroll_button.clicked.connect(lambda: self.save(enroll=True))
        self.buttons.rejected.connect(self.reject)

    def _build(self) -> None:
        form = QFormLayout()
        for title, key, widget in (
            (tr("姓名"), "name", self.name),
            (tr("证件类型"), "id_type", self.id_type),
            (tr("证件号码"), "id_number", self.id_number),
            (tr("出生日期"), "birth_date", self.birth_date),
            (tr("性别"), "gender", self.gender),
            (tr("手机"), "phone", self.phone),
            (tr("卡号"), "card_code", self.card),
            (tr("学校"), "school", self.school),
            (tr("年级"), "grade", self.grade),
            (tr("学段"), "stage", self.stage),
        ):
            self.errors.add_row(form, title, key, widget)
            if key == "id_number":
                form.addRow("", self.derived)
        form.addRow(tr("监护人"), self.add_guardian_button)
        duplicate = QHBoxLayout()
        duplicate.addWidget(self.duplicate_label, 1)
        duplicate.addWidget(self.open_existing_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.guardians_box)
        layout.addLayout(duplicate)
        layout.addWidget(self.buttons)
        for line in (self.name, self.id_number, self.birth_date, self.phone, self.card):
            line.textChanged.connect(self.check)
        for box in (self.id_type, self.gender):
            box.currentIndexChanged.connect(self.check)
        self.resize(620, 640)

    def add_guardian(self, guardian: GuardianInfo | None = None) -> GuardianRow:
        row = GuardianRow(guardian)
        row.name.textChanged.connect(self.check)
        row.phone.textChanged.connect(self.check)
        row.remove.clicked.connect(lambda: self.remove_guardian(row))
        self.guardian_rows.append(row)
        self.guardians_box.addWidget(row)
        self.add_guardian_button.setEnabled(len(self.guardian_rows) < MAX_GUARDIANS)
        self.check()
        return row

    def remove_guardian(self, row: GuardianRow) -> None:
        self.guardian_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        self.add_guardian_button.setEnabled(True)
        self.check()

    # --- editing an existing student -----------------------------------------------------------------------
    def _load(self, student_id: str) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: student_form(db, actor, student_id)).success(self._fill).run()

    def _fill(self, loaded: tuple[StudentInfo, tuple[GuardianInfo, ...]]) -> None:
        info, guardians = loaded
        self.name.setText(info.name)
        select_code(self.id_type, info.id_type)
        self._masked_id = info.id_number_masked
        if info.id_type == "id_card" and info.id_number_masked:
            self._card_on_file = (info.birth_date, info.gender)
        self.id_number.setPlaceholderText(
            tr("已登记 {masked}，不修改请留空", masked=info.id_number_masked) if info.id_number_masked else ""
        )
        self.birth_date.setText(info.birth_date.isoformat() if info.birth_date else "")
        self.gender.setCurrentIndex(max(self.gender.findData(info.gender), 0))
        self.phone.setText(info.phone or "")
        self.card.setText(info.card_code or "")
        self.school.setText(info.school or "")
        self.grade.setText(info.grade or "")
        self.stage.setCurrentIndex(max(self.stage.findData(info.stage), 0))
        for guardian in guardians:
            self.add_guardian(guardian)
        self.check()

    # --- checking as you type ------------------------------------------------------------------------------
    def typed_birth_date(self) -> tuple[date | None, bool]:
        """The birth date typed (``None`` when empty) and whether what was typed is a date at all."""
        text = self.birth_date.text().strip()
        if not text:
            return None, True
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
        try:
            return (date(int(match[1]), int(match[2]), int(match[3])), True) if match else (None, False)
        except ValueError:
            return None, False

    def student_input(self) -> StudentInput:
        """The form as the core's input (a birth date that is not a date counts as not given)."""

        def text(line: QLineEdit) -> str | None:
            return line.text().strip() or None

        return StudentInput(
            name=self.name.text().strip(),
            id_type=str(self.id_type.currentData()),
            id_number=text(self.id_number),
            gender=self.gender.currentData(),
            birth_date=self.typed_birth_date()[0],
            school=text(self.school),
            grade=text(self.grade),
            stage=self.stage.currentData(),
            phone=text(self.phone),
            card_code=text(self.card),
        )

    def guardians(self) -> list[GuardianInput]:
        return [row.value() for row in self.guardian_rows]

    def _show_derived(self, data: StudentInput) -> None:
        if data.id_type != "id_card" or not data.id_number or "id_number" in self.problems:
            self.derived.setText("")
            return
        try:
            card = validate_id_number(data.id_number)
        except InstDeskError:
            self.derived.setText("")
            return
        self.derived.setText(
            tr(
                "证件信息：{birth} 出生，{gender}",
                birth=card.birth_date.isoformat(),
                gender=label(GENDERS, card.gender),
            )
        )

    def check(self) -> None:
        """Every field's problems now; the database checks follow when their op answers."""
        data = self.student_input()
        found = student_problems(data, self.guardians())
        self.problems = {name: error_text(exc) for name, exc in found.items()}
        if not self.typed_birth_date()[1]:
            self.problems["birth_date"] = tr("日期格式不正确，应为 YYYY-MM-DD")
        self._check_against_card_on_file(data)
        self._show_derived(data)
        self._ask_database(data)
        self._show()

    def _check_against_card_on_file(self, data: StudentInput) -> None:
        """Editing with the ID number on file (not retyped): the birth date and gender read from it when it
        was saved are what a typed birth date or gender must agree with."""
        if self._card_on_file is None or data.id_number or data.id_type != "id_card":
            return
        birth, gender = self._card_on_file
        if data.birth_date is not None and birth is not None and data.birth_date != birth:
            self.problems["birth_date"] = error_text(
                ValidationError("student.birth_mismatch", expected=birth.isoformat())
            )
        if data.gender is not None and gender is not None and data.gender != gender:
            self.problems["gender"] = error_text(
                ValidationError(
                    "student.gender_mismatch", expected=gender, expected_label=label(GENDERS, gender)
                )
            )

    def _ask_database(self, data: StudentInput) -> None:
        if self._checking:
            self._pending = data
            return
        self._checking = True
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), self.student_id
        phones = [g.phone for g in self.guardians()]

        def look() -> DbChecks:
            hits = find_duplicates(db, actor, data.name, data.id_number, phones, sid)
            return DbChecks(tuple(hits), card_holder(db, actor, data.card_code or "", sid))

        Op(look).success(self._answered).failure(self._check_failed).run()

    def _answered(self, checks: DbChecks) -> None:
        self._checking = False
        pending, self._pending = self._pending, None
        if pending is not None:
            self._ask_database(pending)
            return
        self.db_checks = checks
        self._show()

    def _check_failed(self, exc: BaseException) -> None:
        self._checking = False
        from ui.messages import show_exception

        show_exception(exc)

    def _show(self) -> None:
        extra = {k: v for k, v in self.problems.items() if not k.startswith("guardian")}
        holder = self.db_checks.card_holder
        if holder:
            extra["card_code"] = tr("卡号已被学员{name}使用", name=holder)
        self.errors.show([], lambda _v: "name", extra)
        for index, row in enumerate(self.guardian_rows):
            row.show_problems(
                [text for key, text in self.problems.items() if key.startswith(f"guardian{index}.")]
            )
        self._show_duplicates()
        blocked = bool(self.problems) or bool(holder) or self.duplicate_by_id() is not None
        for button in (self.save_button, self.enroll_button):
            button.setEnabled(not blocked)

    def duplicate_by_id(self) -> DuplicateHit | None:
        return next((hit for hit in self.db_checks.duplicates if hit.reason == "id_number"), None)

    def _show_duplicates(self) -> None:
        hits = self.db_checks.duplicates
        if not hits:
            self.duplicate_label.setText("")
            self.open_existing_button.setVisible(False)
            return
        hit = hits[0]
        if hit.reason == "id_number":
            text = tr(
                "该身份证号码的学员已存在：{name}（{masked}），不能重复建档",
                name=hit.name,
                masked=hit.id_number_masked or "",
            )
        else:
            text = tr("可能重复：已有同名学员{name}，监护人手机相同", name=hit.name)
        self.duplicate_label.setText(text)
        self.open_existing_button.setVisible(True)

    def _open_existing(self) -> None:
        if self.db_checks.duplicates:
            emit(self.open_existing, self.db_checks.duplicates[0].student_id)
            self.reject()

    # --- saving --------------------------------------------------------------------------------------------
    def save(self, enroll: bool = False) -> None:
        self.check()
        if not self.save_button.isEnabled():
            return
        db, actor, data, guardians, sid = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.student_input(),
            self.guardians(),
            self.student_id,
        )
        if sid is None:
            op: Op[StudentInfo] = Op(lambda: register_student(db, actor, data, guardians))
        else:
            op = Op(lambda: edit_student(db, actor, sid, data, guardians))
        op.success(lambda info: self._saved(info, enroll)).failure(self._refused)
        op.announce(STUDENT_CHANGES).run()

    def _saved(self, info: StudentInfo, enroll: bool) -> None:
        self.saved_info = info
        emit(self.saved, info, enroll)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        """A rule the database knows about (e.g. a card taken a moment ago by another desk) goes under its
        field like any other problem; anything else is shown as usual."""
        if not isinstance(exc, InstDeskError):
            from ui.messages import show_exception

            show_exception(exc)
            return
        fields = {
            "student.card_taken": "card_code",
            "student.duplicate": "id_number",
            "student.birth_mismatch": "birth_date",  # against the number on file (edit, ID left empty)
            "student.gender_mismatch": "gender",
        }
        field = fields.get(exc.code, "name")
        self.problems[field] = error_text(exc)
        self.errors.show([], lambda _v: "name", {k: v for k, v in self.problems.items() if "." not in k})
