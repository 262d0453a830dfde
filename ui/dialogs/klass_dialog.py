"""New class of a course: teacher, room, capacity and minimum size, with the teacher's eligibility (准入查询
passed, the right certificate) and the price against the class-size tier shown before saving."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from app.services.catalog import KlassInput, add_class
from app.views.courses import (
    CourseDraft,
    CourseRow,
    FormContext,
    class_tier,
    course_violations,
    teacher_problem,
)
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import violation_text
from ui.i18n import tr
from ui.ops import Op
from ui.widgets.field_errors import FieldErrors


def draft_of(course: CourseRow) -> CourseDraft:
    return CourseDraft(
        course.category,
        course.subject,
        course.delivery,
        course.stage,
        course.minutes_per_lesson,
        course.price_fen,
        course.lessons_per_package,
        course.class_format,
    )


class KlassDialog(QDialog):
    def __init__(
        self, ctx: AppContext, course: CourseRow, form: FormContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.course, self.form = ctx, course, form
        self.setWindowTitle(tr("新增班级：{course}", course=course.name))
        self.errors = FieldErrors()
        self.name = QLineEdit()
        self.teacher = QComboBox()
        self.teacher.addItem(tr("（暂不指定）"), None)
        for t in form.teachers:
            self.teacher.addItem(t.name, t.staff_id)
        self.room = QComboBox()
        self.room.addItem(tr("（暂不指定）"), None)
        for r in form.rooms:
            self.room.addItem(tr("{name}（{n}人）", name=r.name, n=r.capacity), r.room_id)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setValue(1 if course.class_format == "one_to_one" else 12)
        self.min_size = QSpinBox()
        self.min_size.setRange(0, 500)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self.check()

    def _build(self) -> None:
        form = QFormLayout(self)
        for title, key, widget in (
            (tr("班级名称"), "name", self.name),
            (tr("教师"), "teacher", self.teacher),
            (tr("教室"), "room", self.room),
            (tr("容量"), "capacity", self.capacity),
            (tr("最低开班人数"), "min_size", self.min_size),
        ):
            self.errors.add_row(form, title, key, widget)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self.check)
        self.teacher.currentIndexChanged.connect(self.check)
        self.room.currentIndexChanged.connect(self.check)
        self.capacity.valueChanged.connect(self.check)
        self.min_size.valueChanged.connect(self.check)

    def _problems(self) -> dict[str, str]:
        found: dict[str, str] = {}
        if not self.name.text().strip():
            found["name"] = tr("请填写班级名称")
        teacher = next((t for t in self.form.teachers if t.staff_id == self.teacher.currentData()), None)
        if teacher is not None:
            problem = teacher_problem(teacher.facts, self.course.category, self.course.subject)
            if problem is not None:
                found["teacher"] = violation_text(problem)
        room = next((r for r in self.form.rooms if r.room_id == self.room.currentData()), None)
        if room is not None and room.capacity and room.capacity < self.capacity.value():
            found["room"] = tr(
                "教室容量{room}人，小于班级容量{n}人", room=room.capacity, n=self.capacity.value()
            )
        if self.min_size.value() > self.capacity.value():
            found["min_size"] = tr("最低开班人数不能超过容量")
        price = course_violations(draft_of(self.course), self.form, class_tier(self.capacity.value()))
        if price:
            found["capacity"] = "\n".join(violation_text(v) for v in price)
        return found

    def check(self) -> None:
        self.errors.show([], lambda v: "form", self._problems())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.errors.any())

    def klass_input(self) -> KlassInput:
        return KlassInput(
            course_id=self.course.course_id,
            name=self.name.text().strip(),
            capacity=self.capacity.value(),
            min_size=self.min_size.value(),
            teacher_id=self.teacher.currentData(),
            room_id=self.room.currentData(),
        )

    def save(self) -> None:
        if self.errors.any():
            return
        db, actor, data = self.ctx.db, self.ctx.require_actor(), self.klass_input()
        op = Op(lambda: add_class(db, actor, data)).announce(Changes.of(Entity.KLASS, Entity.COURSE))
        op.success(lambda _info: self.accept()).run()
