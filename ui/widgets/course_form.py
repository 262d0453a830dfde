"""The course form: every field with its compliance problem shown right under it, checked as you type.

``check_course`` (through ``app.views.courses.course_violations``) runs on each edit against the licence
scope and policy profile loaded with the screen; the core checks again when saving and publishing.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from app.errors import InstDeskError
from app.money import format_fen, parse_yuan
from app.rules.course import NON_SUBJECT_EXAMPLES, SUBJECT_CATEGORY_SUBJECTS
from app.services.catalog import CourseInput
from app.views.courses import CourseDraft, CourseRow, FormContext, course_violations, field_of
from ui.errors import error_text
from ui.i18n import tr
from ui.labels import E, Labels
from ui.models.codes import ABSENT_POLICIES, CATEGORIES, CLASS_FORMATS, DELIVERIES, STAGES
from ui.widgets.field_errors import FieldErrors, error_label


def code_combo(labels: Labels[E]) -> QComboBox:
    box = QComboBox()
    for code, text in labels.items():
        box.addItem(text(), code)
    return box


def select_code(box: QComboBox, code: str) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)


def _subjects() -> list[str]:
    extra = [name for names in NON_SUBJECT_EXAMPLES.values() for name in names]
    return [*SUBJECT_CATEGORY_SUBJECTS, "英语", *NON_SUBJECT_EXAMPLES, *extra]


class CourseForm(QWidget):
    """Edits one course (or a new one); ``changed`` fires after each edit has been checked."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context: FormContext | None = None
        self.errors = FieldErrors()
        self.name = QLineEdit()
        self.category = code_combo(CATEGORIES)
        self.subject = QComboBox()
        self.subject.setEditable(True)
        self.subject.addItems(_subjects())
        self.delivery = code_combo(DELIVERIES)
        self.stage = code_combo(STAGES)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 480)
        self.minutes.setSuffix(tr(" 分钟"))
        self.lessons = QSpinBox()
        self.lessons.setRange(1, 200)
        self.lessons.setSuffix(tr(" 课时"))
        self.price = QLineEdit()
        self.price.setPlaceholderText(tr("课时包价格（元）"))
        self.class_format = code_combo(CLASS_FORMATS)
        self.absent = code_combo(ABSENT_POLICIES)
        self.pay_after = QCheckBox(tr("先学后付：不预收费用，每节课后按约定单价付费"))
        self.form_error = error_label()
        self._build()
        self.clear()

    def _build(self) -> None:
        form = QFormLayout(self)
        rows: list[tuple[str, str, QWidget]] = [
            (tr("课程名称"), "name", self.name),
            (tr("类别"), "category", self.category),
            (tr("科目"), "subject", self.subject),
            (tr("授课形式"), "delivery", self.delivery),
            (tr("面向学段"), "stage", self.stage),
            (tr("每课时时长"), "minutes", self.minutes),
            (tr("课时包"), "lessons", self.lessons),
            (tr("课时包价格"), "price", self.price),
            (tr("班型"), "class_format", self.class_format),
            (tr("缺勤规则"), "absent", self.absent),
            (tr("收费方式"), "pay_after", self.pay_after),
        ]
        for title, key, widget in rows:
            self.errors.add_row(form, title, key, widget)
        self.errors.labels["form"] = self.form_error
        form.addRow(self.form_error)
        for line in (self.name, self.price):
            line.textChanged.connect(self.check)
        self.subject.currentTextChanged.connect(self.check)
        for box in (self.category, self.delivery, self.stage, self.class_format, self.absent):
            box.currentIndexChanged.connect(self.check)
        for spin in (self.minutes, self.lessons):
            spin.valueChanged.connect(self.check)

    # --- values ----------------------------------------------------------------------------------------
    def clear(self) -> None:
        self._fill("", "non_subject", "", "offline", "compulsory", 60, Decimal(20), 0, "small", "charge")
        self.pay_after.setChecked(False)

    def show_course(self, row: CourseRow) -> None:
        self._fill(
            row.name,
            row.category,
            row.subject,
            row.delivery,
            row.stage,
            row.minutes_per_lesson,
            row.lessons_per_package,
            row.price_fen,
            row.class_format,
            row.absent_policy,
        )
        self.pay_after.setChecked(row.pay_after_learning)

    def _fill(
        self,
        name: str,
        category: str,
        subject: str,
        delivery: str,
        stage: str,
        minutes: int,
        lessons: Decimal,
        price_fen: int,
        class_format: str,
        absent: str,
    ) -> None:
        widgets: list[QWidget] = [self.name, self.subject, self.category, self.delivery, self.stage]
        widgets += [self.minutes, self.lessons, self.price, self.class_format, self.absent]
        for widget in widgets:
            widget.blockSignals(True)
        self.name.setText(name)
        self.subject.setCurrentText(subject)
        for box, code in (
            (self.category, category),
            (self.delivery, delivery),
            (self.stage, stage),
            (self.class_format, class_format),
            (self.absent, absent),
        ):
            select_code(box, code)
        self.minutes.setValue(minutes)
        self.lessons.setValue(int(lessons))
        self.price.setText(format_fen(price_fen).replace(",", "") if price_fen else "")
        for widget in widgets:
            widget.blockSignals(False)
        self.check()

    def _code(self, box: QComboBox) -> str:
        return str(box.currentData())

    def price_fen(self) -> tuple[int | None, str]:
        """The price in fen, or ``None`` with the reason the text is not an amount."""
        text = self.price.text().strip()
        if not text:
            return None, tr("请填写课时包价格")
        try:
            return parse_yuan(text), ""
        except InstDeskError as exc:
            return None, error_text(exc)

    def draft(self) -> CourseDraft:
        fen, _ = self.price_fen()
        return CourseDraft(
            self._code(self.category),
            self.subject.currentText().strip(),
            self._code(self.delivery),
            self._code(self.stage),
            self.minutes.value(),
            fen or 0,
            Decimal(self.lessons.value()),
            self._code(self.class_format),
        )

    def course_input(self) -> CourseInput:
        d = self.draft()
        return CourseInput(
            name=self.name.text().strip(),
            category=d.category,
            subject=d.subject,
            stage=d.stage,
            minutes_per_lesson=d.minutes_per_lesson,
            lessons_per_package=d.lessons_per_package,
            price_fen=d.price_fen,
            delivery=d.delivery,
            absent_policy=self._code(self.absent),
            class_format=d.class_format,
            pay_after_learning=self.pay_after.isChecked(),
        )

    # --- checks ----------------------------------------------------------------------------------------
    def set_context(self, context: FormContext) -> None:
        self.context = context
        self.check()

    def _local_problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.name.text().strip():
            found["name"] = tr("请填写课程名称")
        if not self.subject.currentText().strip():
            found["subject"] = tr("请填写科目")
        fen, problem = self.price_fen()
        if fen is None:
            found["price"] = problem
        return found

    def check(self) -> None:
        violations = course_violations(self.draft(), self.context) if self.context is not None else []
        self.errors.show(violations, field_of, self._local_problems())
        self.changed.emit()

    def is_clean(self) -> bool:
        return self.context is not None and not self.errors.any()

    def error_text(self, key: str) -> str:
        return self.errors.text(key)
