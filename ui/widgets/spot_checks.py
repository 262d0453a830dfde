"""平台 → 材料抽查: the regulator's spot checks of a course's training materials, open ones first with the
time left before their deadline, and the answer (the course's materials as filed, or after uploading a
new version through 管理材料…). An answer is stored here and sent by the next sync; the platform takes a
late one but records it as late (docs/materials.md)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.materials import SpotAnswerResult, answer_spot_check
from app.views.materials import (
    MaterialRow,
    SpotCheckItem,
    count_spot_checks,
    course_materials,
    list_spot_checks,
)
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.materials_dialog import MaterialsDialog
from ui.i18n import tr
from ui.labels import label
from ui.messages import info
from ui.models.materials import MATERIAL_KINDS, spot_checks_model, time_left_text
from ui.models.paged import FunctionSource
from ui.ops import Op
from ui.widgets.empty_state import EmptyState
from ui.widgets.roster_view import configure_table

ANSWERED = Changes.of(Entity.SYNC)


class SpotAnswerDialog(QDialog):
    """Choose which of the course's materials answer the spot check (all by default) and add a note."""

    def __init__(
        self,
        ctx: AppContext,
        item: SpotCheckItem,
        materials: list[MaterialRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        self.setWindowTitle(tr("答复材料抽查：{course}", course=item.course_name))
        deadline = item.deadline_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.deadline_at else "—"
        heading = QLabel(tr("答复截止：{deadline}（{left}）", deadline=deadline, left=time_left_text(item)))
        heading.setWordWrap(True)
        self.materials = QListWidget()
        for row in materials:
            kind = label(MATERIAL_KINDS, row.kind)
            text = tr(
                "{title}（{kind}，第{version}版）", title=row.title, kind=kind, version=row.version_label
            )
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, row.material_id)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.materials.addItem(entry)
        self.materials.itemChanged.connect(lambda _item: self.check())
        self.empty = QLabel(tr("该课程还没有培训材料：请先在“管理材料…”中添加，再答复抽查。"))
        self.empty.setWordWrap(True)
        self.empty.setVisible(not materials)
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("附言（可选）"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (heading, self.empty, self.materials, self.note, self.buttons):
            layout.addWidget(widget)
        self.check()

    def chosen(self) -> list[str]:
        items = (self.materials.item(i) for i in range(self.materials.count()))
        return [
            str(i.data(Qt.ItemDataRole.UserRole)) for i in items if i.checkState() == Qt.CheckState.Checked
        ]

    def check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.chosen()))

    def save(self) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        db, actor, rid, note = self.ctx.db, self.ctx.require_actor(), self.item.request_id, self.note.text()
        op = Op(lambda: answer_spot_check(db, actor, rid, chosen, note))
        op.success(self._answered).announce(ANSWERED).run()

    def _answered(self, result: SpotAnswerResult) -> None:
        info(tr("已答复抽查（{n} 份材料），将在下次同步时发送给平台", n=len(result.items)))
        self.accept()


class SpotChecksTab(QWidget):
    """The spot-check tab of the 平台 screen; ``refresh`` reloads it and its tab title's count."""

    def __init__(self, ctx: AppContext, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tabs = ctx, tabs
        self.model = spot_checks_model()
        self.view = QTableView()
        configure_table(self.view)
        self.view.setModel(self.model)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.loaded.connect(self._update_buttons)
        self.answer_button = QPushButton(tr("答复抽查…"))
        self.answer_button.setToolTip(tr("以该课程已报送（或刚上传新版本）的培训材料答复，下次同步时发送"))
        self.answer_button.clicked.connect(self.open_answer)
        self.materials_button = QPushButton(tr("管理材料…"))
        self.materials_button.setToolTip(tr("查看或上传该课程培训材料的新版本"))
        self.materials_button.clicked.connect(self.open_materials)
        self.dialog: QDialog | None = None
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.materials_button)
        bar.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.addWidget(EmptyState(self.view, self.empty_text()))
        layout.addLayout(bar)
        self._update_buttons()

    @staticmethod
    def empty_text() -> str:
        return tr("没有材料抽查。监管部门抽查某门课程的培训材料时，请求和答复截止时间会列在这里。")

    def title(self, open_count: int) -> str:
        title = tr("材料抽查")
        return tr("{title}（{n}）", title=title, n=open_count) if open_count else title

    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        self.model.set_source(
            FunctionSource(
                lambda: count_spot_checks(db, actor),
                lambda offset, limit: list_spot_checks(db, actor, offset, limit),
            )
        )
        Op(lambda: count_spot_checks(db, actor, open_only=True)).success(self._show_count).run()

    def _show_count(self, n: int) -> None:
        index = self.tabs.indexOf(self)
        if index >= 0:
            self.tabs.setTabText(index, self.title(n))

    def selected(self) -> SpotCheckItem | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        item = self.selected()
        self.answer_button.setEnabled(item is not None and item.needs_answer)
        self.materials_button.setEnabled(item is not None and item.course_id is not None)

    def open_answer(self) -> None:
        item = self.selected()
        if item is None or not item.needs_answer or item.course_id is None:
            return
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), item.course_id
        Op(lambda: course_materials(db, actor, cid)).success(self._show_answer(item)).run()

    def _show_answer(self, item: SpotCheckItem) -> Callable[[list[MaterialRow]], None]:
        def show(rows: list[MaterialRow]) -> None:
            self.dialog = SpotAnswerDialog(self.ctx, item, rows, self)
            self.dialog.open()

        return show

    def open_materials(self) -> MaterialsDialog | None:
        item = self.selected()
        if item is None or item.course_id is None:
            return None
        dialog = MaterialsDialog(self.ctx, item.course_id, item.course_name, self)
        self.dialog = dialog
        dialog.open()
        return dialog
