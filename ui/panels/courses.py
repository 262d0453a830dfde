"""课程 Courses and classes: the course list, the course form with its compliance checks inline, publishing
for the platform's 上架 review (its answer comes back through sync), and the classes of a course."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.codes import ReviewStatus
from app.permissions import Permission
from app.services.catalog import CourseInfo, CourseInput, add_course, publish_course, update_course
from app.views.courses import (
    CourseRow,
    FormContext,
    KlassRow,
    count_courses,
    course_classes,
    course_key,
    course_row,
    form_context,
    list_courses,
)
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.klass_dialog import KlassDialog
from ui.dialogs.materials_dialog import MaterialsDialog
from ui.i18n import tr
from ui.models.courses import classes_model, courses_model, review_text
from ui.models.paged import KeyedSource
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.course_form import CourseForm
from ui.widgets.roster_view import configure_table

COURSE_CHANGES = Changes.of(Entity.COURSE)


def saved_input(row: CourseRow) -> CourseInput:
    return CourseInput(
        name=row.name,
        category=row.category,
        subject=row.subject,
        stage=row.stage,
        minutes_per_lesson=row.minutes_per_lesson,
        lessons_per_package=row.lessons_per_package,
        price_fen=row.price_fen,
        delivery=row.delivery,
        absent_policy=row.absent_policy,
        class_format=row.class_format,
    )


class CoursesPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = courses_model()
        self.classes = classes_model()
        self.current: CourseRow | None = None
        self.form_context: FormContext | None = None
        splitter = QSplitter()
        splitter.addWidget(self._list_side())
        splitter.addWidget(self._detail_side())
        splitter.setSizes([560, 560])
        QVBoxLayout(self).addWidget(splitter)
        self._update_buttons()

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.COURSE, Entity.KLASS, Entity.STAFF, Entity.INSTITUTION, Entity.SYNC)

    # --- layout ----------------------------------------------------------------------------------------
    def _list_side(self) -> QWidget:
        side = QWidget()
        self.new_button = QPushButton(tr("新建课程"))
        self.new_button.clicked.connect(self.new_course)
        self.count_label = QLabel("")
        self.table = QTableView()
        configure_table(self.table)
        self.table.setModel(self.model)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.loaded.connect(self._list_loaded)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(side)
        layout.addLayout(top)
        layout.addWidget(self.table)
        return side

    def _detail_side(self) -> QWidget:
        side = QWidget()
        self.heading = QLabel(tr("新课程"))
        self.heading.setObjectName("heading")
        self.review = QLabel("")
        self.review.setWordWrap(True)
        self.form = CourseForm()
        self.form.changed.connect(self._update_buttons)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.publish_button = QPushButton(tr("提交上架审核"))
        self.publish_button.clicked.connect(self.publish)
        self.materials_button = QPushButton(tr("培训材料…"))
        self.materials_button.setToolTip(tr("教材、讲义、课件：报送平台备查，平台抽查时据此答复"))
        self.materials_button.clicked.connect(self.open_materials)
        self.materials_button.setVisible(self.ctx.may(Permission.MANAGE_COURSES))
        buttons = QHBoxLayout()
        buttons.addWidget(self.materials_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.publish_button)
        layout = QVBoxLayout(side)
        for widget in (self.heading, self.review, self.form):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self._classes_box(), 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(side)
        return scroll

    def _classes_box(self) -> QGroupBox:
        box = QGroupBox(tr("班级"))
        self.classes_view = QTableView()
        configure_table(self.classes_view)
        self.classes_view.setModel(self.classes)
        self.classes_view.setMinimumHeight(140)
        self.add_class_button = QPushButton(tr("新增班级"))
        self.add_class_button.clicked.connect(self.open_add_class)
        self.add_class_button.setVisible(self.ctx.may(Permission.MANAGE_CLASSES))
        layout = QVBoxLayout(box)
        layout.addWidget(self.classes_view)
        layout.addWidget(self.add_class_button)
        return box

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        self.model.set_source(
            KeyedSource(
                lambda: count_courses(db, actor),
                lambda at, limit: list_courses(db, actor, at.offset, limit, after=at.after, before=at.before),
                course_key,
            )
        )
        Op(lambda: form_context(db, actor)).success(self._context_loaded).run()
        self.load_current()

    def _context_loaded(self, context: FormContext) -> None:
        self.form_context = context
        self.form.set_context(context)

    def _list_loaded(self) -> None:
        self.count_label.setText(tr("共 {n} 门课程", n=self.model.rowCount()))
        ids = [row.course_id for row in self.model.loaded_rows()]
        if self.current is not None and self.current.course_id in ids:
            self.table.selectRow(ids.index(self.current.course_id))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and (self.current is None or row.course_id != self.current.course_id):
            self.show_course(row)

    def load_current(self) -> None:
        """Reload the shown course (its review status may have come back through sync)."""
        if self.current is None:
            return
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), self.current.course_id
        Op(lambda: course_row(db, actor, cid)).success(self._reloaded).failure(
            lambda _exc: self.new_course()
        ).run()

    def _reloaded(self, row: CourseRow) -> None:
        if self.current is not None and row.course_id == self.current.course_id:
            dirty = self.is_dirty()
            self.current = row
            if not dirty:
                self.form.show_course(row)
            self._show_header()
            self._load_classes()

    def show_course(self, row: CourseRow) -> None:
        self.current = row
        self.form.show_course(row)
        self._show_header()
        self._load_classes()

    def _show_header(self) -> None:
        row = self.current
        self.heading.setText(row.name if row is not None else tr("新课程"))
        self.review.setText(tr("上架审核：{status}", status=review_text(row)) if row is not None else "")
        self.review.setVisible(row is not None)
        self._update_buttons()

    def _load_classes(self) -> None:
        if self.current is None:
            self.classes.set_rows([])
            return
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), self.current.course_id
        Op(lambda: course_classes(db, actor, cid)).success(self._classes_loaded).run()

    def _classes_loaded(self, rows: list[KlassRow]) -> None:
        self.classes.set_rows(rows)

    # --- actions ---------------------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        if self.current is None:
            return True
        return self.form.course_input() != saved_input(self.current)

    def _update_buttons(self) -> None:
        clean, dirty = self.form.is_clean(), self.is_dirty()
        self.save_button.setEnabled(clean and dirty)
        status = self.current.review_status if self.current is not None else None
        self.publish_button.setEnabled(
            clean and not dirty and status in (ReviewStatus.DRAFT, ReviewStatus.REJECTED)
        )
        self.add_class_button.setEnabled(self.current is not None and self.form_context is not None)
        self.materials_button.setEnabled(self.current is not None)

    def new_course(self) -> None:
        self.current = None
        self.table.clearSelection()
        self.form.clear()
        self._show_header()
        self.classes.set_rows([])

    def save(self) -> None:
        if not self.form.is_clean():
            return
        db, actor, data = self.ctx.db, self.ctx.require_actor(), self.form.course_input()
        current = self.current
        if current is None:
            op = Op(lambda: add_course(db, actor, data))
        else:
            fields = {k: v for k, v in vars(data).items() if k != "max_class_size"}
            op = Op(lambda: update_course(db, actor, current.course_id, **fields))
        op.success(self._saved).announce(COURSE_CHANGES).run()

    def _saved(self, info: CourseInfo) -> None:
        self.current = CourseRow(
            info.course_id,
            info.name,
            info.category,
            info.subject or "",
            info.delivery,
            info.stage,
            info.minutes_per_lesson,
            info.units_per_lesson,
            info.lessons_per_package,
            info.price_fen,
            info.class_format,
            info.absent_policy,
            info.review_status,
            None,
            0,
            info.pay_after_learning,
        )
        self._show_header()

    def publish(self) -> None:
        if self.current is None:
            return
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), self.current.course_id
        Op(lambda: publish_course(db, actor, cid)).success(self._saved).announce(COURSE_CHANGES).run()

    def open_materials(self) -> MaterialsDialog | None:
        if self.current is None:
            return None
        dialog = MaterialsDialog(self.ctx, self.current.course_id, self.current.name, self)
        dialog.open()
        return dialog

    def open_add_class(self) -> KlassDialog | None:
        if self.current is None or self.form_context is None:
            return None
        dialog = KlassDialog(self.ctx, self.current, self.form_context, self)
        dialog.open()
        return dialog
