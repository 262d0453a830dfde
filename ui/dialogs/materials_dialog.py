"""培训材料 of one course: the list with each material's filing status, adding a file, editing its
metadata, uploading a new version. Files are copied into the material store (at most 50 MB) and filed to
the platform by the next sync (docs/materials.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.materials import (
    MaterialInfo,
    MaterialInput,
    add_material,
    new_version,
    update_material,
)
from app.views.materials import MaterialRow, course_klasses, course_materials
from ui.changes import Changes, Entity, change_bus
from ui.context import AppContext
from ui.i18n import tr
from ui.labels import label
from ui.models.materials import MATERIAL_KINDS, materials_model
from ui.ops import Op
from ui.widgets.roster_view import configure_table

MATERIAL_CHANGES = Changes.of(Entity.COURSE)
ADD, EDIT, VERSION = "add", "edit", "version"


class MaterialForm(QDialog):
    """Add a material (file and metadata), edit its metadata, or upload a new version of its file."""

    def __init__(
        self,
        ctx: AppContext,
        course_id: str,
        klasses: list[tuple[str, str]],
        mode: str = ADD,
        current: MaterialRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.course_id, self.mode, self.current = ctx, course_id, mode, current
        titles = {ADD: tr("添加培训材料"), EDIT: tr("编辑材料信息"), VERSION: tr("上传新版本")}
        self.setWindowTitle(titles[mode])
        self.file = QLineEdit()
        self.file.setPlaceholderText(tr("选择文件（不超过 50 MB）"))
        self.browse = QPushButton(tr("选择…"))
        self.browse.clicked.connect(self.choose_file)
        self.title = QLineEdit(current.title if current else "")
        self.kind = QComboBox()
        for code in MATERIAL_KINDS:
            self.kind.addItem(label(MATERIAL_KINDS, code), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current.kind if current else "handout")))
        self.version = QLineEdit("" if mode == VERSION else (current.version_label if current else "1"))
        self.author = QLineEdit((current.author or "") if current else "")
        self.reviewer = QLineEdit((current.reviewer or "") if current and mode != VERSION else "")
        self.reviewed = QCheckBox(tr("已审核"))
        self.reviewed_on = QDateEdit(QDate.currentDate())
        self.reviewed_on.setCalendarPopup(True)
        if current is not None and current.reviewed_on and mode != VERSION:
            self.reviewed.setChecked(True)
            self.reviewed_on.setDate(
                QDate(current.reviewed_on.year, current.reviewed_on.month, current.reviewed_on.day)
            )
        self.classes = QListWidget()
        self.classes.setMaximumHeight(120)
        chosen = set(current.klass_ids) if current else set()
        for klass_id, name in klasses:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, klass_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if klass_id in chosen else Qt.CheckState.Unchecked)
            self.classes.addItem(item)
        self.problem = QLabel("")
        self.problem.setObjectName("fieldError")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self.check()

    def _build(self) -> None:
        form = QFormLayout(self)
        if self.mode in (ADD, VERSION):
            row = QHBoxLayout()
            row.addWidget(self.file, 1)
            row.addWidget(self.browse)
            form.addRow(tr("文件"), row)
        if self.mode in (ADD, EDIT):
            form.addRow(tr("名称"), self.title)
            form.addRow(tr("类型"), self.kind)
            form.addRow(tr("作者/来源"), self.author)
        if self.mode in (ADD, VERSION):
            form.addRow(tr("版本号"), self.version)
        form.addRow(tr("审核人"), self.reviewer)
        dates = QHBoxLayout()
        dates.addWidget(self.reviewed)
        dates.addWidget(self.reviewed_on, 1)
        form.addRow(tr("审核日期"), dates)
        if self.mode in (ADD, EDIT):
            form.addRow(tr("使用班级"), self.classes)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        for edit in (self.file, self.title, self.version):
            edit.textChanged.connect(self.check)
        self.reviewed.toggled.connect(self.reviewed_on.setEnabled)
        self.reviewed_on.setEnabled(self.reviewed.isChecked())

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            tr("选择培训材料文件"),
            "",
            tr("文档 (*.pdf *.doc *.docx *.ppt *.pptx *.xls *.xlsx *.txt);;所有文件 (*)"),
        )
        if name:
            self.file.setText(name)
            if not self.title.text().strip():
                self.title.setText(Path(name).stem)

    def _problems(self) -> str:
        if self.mode in (ADD, VERSION) and not self.file.text().strip():
            return tr("请选择文件")
        if self.mode in (ADD, EDIT) and not self.title.text().strip():
            return tr("请填写材料名称")
        if self.mode in (ADD, VERSION) and not self.version.text().strip():
            return tr("请填写版本号")
        if (
            self.mode == VERSION
            and self.current
            and self.version.text().strip() == self.current.version_label
        ):
            return tr("新版本的版本号不能与当前版本相同")
        return ""

    def check(self) -> None:
        problem = self._problems()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def _reviewed_on(self) -> date | None:
        return cast(date, self.reviewed_on.date().toPython()) if self.reviewed.isChecked() else None

    def _klass_ids(self) -> tuple[str, ...]:
        items = (self.classes.item(i) for i in range(self.classes.count()))
        return tuple(
            str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked
        )

    def save(self) -> None:
        if self._problems():
            return
        db, actor = self.ctx.db, self.ctx.require_actor()
        source, reviewer, reviewed_on = (
            Path(self.file.text().strip()),
            self.reviewer.text(),
            self._reviewed_on(),
        )
        if self.mode == ADD:
            data = MaterialInput(
                self.course_id,
                self.title.text(),
                self.kind.currentData(),
                self.version.text(),
                self.author.text(),
                reviewer,
                reviewed_on,
                self._klass_ids(),
            )
            op: Op[MaterialInfo] = Op(lambda: add_material(db, actor, data, source))
        elif self.mode == EDIT and self.current is not None:
            mid = self.current.material_id
            fields = {
                "title": self.title.text(),
                "kind": self.kind.currentData(),
                "author": self.author.text(),
                "reviewer": reviewer,
                "reviewed_on": reviewed_on,
                "klass_ids": list(self._klass_ids()),
            }
            op = Op(lambda: update_material(db, actor, mid, **fields))
        elif self.current is not None:
            mid, version = self.current.material_id, self.version.text()
            op = Op(lambda: new_version(db, actor, mid, source, version, reviewer, reviewed_on))
        else:
            return
        op.success(lambda _info: self.accept()).announce(MATERIAL_CHANGES).run()


class MaterialsDialog(QDialog):
    """The materials of one course and whether each is filed to the platform."""

    def __init__(
        self, ctx: AppContext, course_id: str, course_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.course_id = ctx, course_id
        self.setWindowTitle(tr("培训材料：{course}", course=course_name))
        self.resize(900, 420)
        self.model = materials_model()
        self.klasses: list[tuple[str, str]] = []
        self.form: MaterialForm | None = None
        self.view = QTableView()
        configure_table(self.view)
        self.view.setModel(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.hint = QLabel(tr("材料文件保存在本机并随数据库备份；下次同步时只上传平台还没有的文件。"))
        self.hint.setWordWrap(True)
        self.add_button = QPushButton(tr("添加文件…"))
        self.add_button.clicked.connect(lambda: self.open_form(ADD))
        self.edit_button = QPushButton(tr("编辑信息…"))
        self.edit_button.clicked.connect(lambda: self.open_form(EDIT))
        self.version_button = QPushButton(tr("上传新版本…"))
        self.version_button.clicked.connect(lambda: self.open_form(VERSION))
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.version_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        change_bus().changed.connect(self._on_changes)
        self.reload()

    def _on_changes(self, changes: Changes) -> None:
        """A sync while the dialog is open changes the filing status (or brings another desk's edits)."""
        if self.isVisible() and changes.touches(Entity.SYNC, Entity.COURSE):
            self.reload()

    def reload(self) -> None:
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), self.course_id
        Op(lambda: (course_materials(db, actor, cid), course_klasses(db, actor, cid))).success(
            self._loaded
        ).run()

    def _loaded(self, loaded: tuple[list[MaterialRow], list[tuple[str, str]]]) -> None:
        rows, self.klasses = loaded
        self.model.set_rows(rows)
        self._update_buttons()

    def selected(self) -> MaterialRow | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.edit_button, self.version_button):
            button.setEnabled(chosen)

    def open_form(self, mode: str) -> MaterialForm | None:
        current = self.selected()
        if mode != ADD and current is None:
            return None
        self.form = MaterialForm(self.ctx, self.course_id, self.klasses, mode, current, self)
        self.form.accepted.connect(self.reload)
        self.form.open()
        return self.form
