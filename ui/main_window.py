"""The main window composes only: the left navigation of the panels the user may see, the stacked
panels (built on first use), the toolbar actions and the status bar. It holds no logic of its own.

The first panel is built with the window but loads its data only once the window has been shown (its
first paint does not wait for, nor compete with, the first query on the database worker)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QSplitter, QStackedWidget, QWidget

from app.permissions import ROLE_LABELS
from ui.context import AppContext
from ui.dialogs.settings_dialog import SettingsDialog
from ui.i18n import tr, translate
from ui.panels import PanelSpec, visible_panels
from ui.panels.base import Panel
from ui.qt_compat import emit
from ui.widgets.sync_status import SyncStatusWidget


class MainWindow(QMainWindow):
    sign_out_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("InstDesk 机构工作台"))
        self.specs: list[PanelSpec] = visible_panels(ctx.actor)
        self.panels: dict[str, Panel] = {}
        self._pending_activation: Panel | None = None
        self._constructing = True
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.addItems([spec.title() for spec in self.specs])
        self.stack = QStackedWidget()
        self._placeholders = [self.stack.addWidget(QWidget()) for _ in self.specs]
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([120, 1000])
        self.setCentralWidget(splitter)
        self._build_toolbar()
        self._build_status_bar()
        self.nav.currentRowChanged.connect(self._show_row)
        if self.specs:
            self.nav.setCurrentRow(0)
        self._constructing = False
        self._restore_geometry()

    def _build_toolbar(self) -> None:
        bar = self.addToolBar(tr("工具栏"))
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        self.settings_action = QAction(tr("设置"), self)
        self.settings_action.triggered.connect(self.open_settings)
        self.sign_out_action = QAction(tr("退出登录"), self)
        self.sign_out_action.triggered.connect(lambda: emit(self.sign_out_requested))
        bar.addAction(self.settings_action)
        bar.addAction(self.sign_out_action)

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        who = "" if actor is None else f"{actor.username}（{translate('labels', ROLE_LABELS[actor.role])}）"
        self.user_label = QLabel(who)
        self.sync_status = SyncStatusWidget(self.ctx.sync)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sync_status)

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        panel = self.panel(self.specs[row].key)
        self.stack.setCurrentWidget(panel)
        if self._constructing:
            self._pending_activation = panel  # activated once the window is shown
            return
        self._pending_activation = None
        panel.activated()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_activation is not None:
            QTimer.singleShot(0, self._activate_pending)

    def _activate_pending(self) -> None:
        panel, self._pending_activation = self._pending_activation, None
        if panel is not None and self.stack.currentWidget() is panel:
            panel.activated()

    def panel(self, key: str) -> Panel:
        """The panel of ``key``, built on first use."""
        if key not in self.panels:
            row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
            panel = self.specs[row].factory(self.ctx)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, panel)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self.panels[key] = panel
        return self.panels[key]

    def show_panel(self, key: str) -> Panel:
        row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.panel(key)

    def panel_keys(self) -> list[str]:
        return [spec.key for spec in self.specs]

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx, self)
        dialog.open()
        return dialog

    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1200, 760)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.window_geometry = bytes(self.saveGeometry().data())
        self.ctx.settings.sync()
        super().closeEvent(event)
