"""员工 Staff: everyone on file with certificates and the platform's 准入查询 status, the staffing-ratio
warnings (full-time teaching staff ≥ 50%, full-time teachers per offline class), add and edit."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.codes import BackgroundCheck
from app.services.staffing import set_background_check
from app.views.staff import StaffRow, StaffWarnings, count_staff, list_staff, staff_key, staff_warnings
from ui.changes import Entity
from ui.context import AppContext
from ui.dialogs.staff_dialog import STAFF_CHANGES, StaffDialog
from ui.errors import violation_text
from ui.i18n import tr
from ui.models.codes import WARN
from ui.models.paged import KeyedSource
from ui.models.staff import staff_model
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.roster_view import configure_table


def warning_lines(warnings: StaffWarnings) -> list[str]:
    lines = [violation_text(v) for v in warnings.ratio]
    lines += [
        tr("班级“{klass}”：{warning}", klass=c.klass_name, warning=violation_text(c.warning))
        for c in warnings.classes
    ]
    return lines


class StaffPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = staff_model()
        self.warnings = QLabel("")
        self.warnings.setObjectName("warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {WARN};")
        self.count_label = QLabel("")
        self.table = QTableView()
        configure_table(self.table)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _index: self.open_edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.loaded.connect(self._loaded)
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def _toolbar(self) -> QHBoxLayout:
        self.add_button = QPushButton(tr("新增员工"))
        self.add_button.clicked.connect(self.open_add)
        self.edit_button = QPushButton(tr("编辑"))
        self.edit_button.clicked.connect(self.open_edit)
        self.submit_button = QPushButton(tr("提交准入查询"))
        self.submit_button.setToolTip(
            tr("已向监管平台提交本人授权、身份证件和无犯罪记录证明后，标记为核验中")
        )
        self.submit_button.clicked.connect(self.submit_check)
        bar = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.submit_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.STAFF, Entity.KLASS, Entity.COURSE, Entity.SYNC)

    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        self.model.set_source(
            KeyedSource(
                lambda: count_staff(db, actor),
                lambda at, limit: list_staff(db, actor, at.offset, limit, after=at.after, before=at.before),
                staff_key,
            )
        )
        Op(lambda: staff_warnings(db, actor)).success(self._show_warnings).run()

    def _loaded(self) -> None:
        self.count_label.setText(tr("共 {n} 人", n=self.model.rowCount()))
        self._update_buttons()

    def _show_warnings(self, warnings: StaffWarnings) -> None:
        lines = warning_lines(warnings)
        self.warnings.setText("\n".join(tr("⚠ {line}", line=line) for line in lines))
        self.warnings.setVisible(bool(lines))

    def selected(self) -> StaffRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.submit_button.setEnabled(row is not None and row.background_check == BackgroundCheck.NONE)

    def open_add(self) -> StaffDialog:
        dialog = StaffDialog(self.ctx, None, self)
        dialog.open()
        return dialog

    def open_edit(self) -> StaffDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = StaffDialog(self.ctx, row, self)
        dialog.open()
        return dialog

    def submit_check(self) -> None:
        row = self.selected()
        if row is None or row.background_check != BackgroundCheck.NONE:
            return
        db, actor, sid = self.ctx.db, self.ctx.require_actor(), row.staff_id
        Op(lambda: set_background_check(db, actor, sid, "pending")).announce(STAFF_CHANGES).run()
