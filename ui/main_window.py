"""The main window composes only: the left navigation of the panels the user may see (icons, badges,
Ctrl+1…9), the stacked panels (built on first use), the toolbar, the status bar and the passing
notifications. It holds no logic of its own: counts and notices come from the core through ops.

The first panel is built with the window but loads its data only once the window has been shown (its
first paint does not wait for, nor compete with, the first query on the database worker)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QSizePolicy, QStackedWidget, QWidget

from app.permissions import ROLE_LABELS, Permission
from app.services.notices import NoticeItem, collect_notices
from ui.changes import Changes, Entity, change_bus
from ui.context import AppContext
from ui.dialogs.settings_dialog import SettingsDialog
from ui.i18n import tr, translate
from ui.icons import icon
from ui.notices import HANDLED_IN, notice_text, notice_title
from ui.ops import Op
from ui.panels import PanelSpec, visible_panels
from ui.panels.base import Panel
from ui.qt_compat import emit
from ui.widgets.nav_bar import NavBar
from ui.widgets.sync_status import SyncStatusWidget
from ui.widgets.toast import ToastArea

log = logging.getLogger("ui.main_window")
#: every column of 前台 and 学员 fits in this size (a 1366×768 laptop less its task bar)
DEFAULT_SIZE = QSize(1360, 720)
BADGE_REFRESH_MS = 60_000
BADGE_ENTITIES = (Entity.SESSION, Entity.ATTENDANCE, Entity.REFUND, Entity.SYNC)


def _quietly(what: str) -> Callable[[BaseException], None]:
    """Background refreshes are retried by the next change or tick: a failure is logged, not shown."""

    def log_it(exc: BaseException) -> None:
        log.warning("%s not refreshed: %s", what, exc)

    return log_it


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
        self.nav = NavBar(tr("机构工作台"))
        for index, spec in enumerate(self.specs):
            hint = tr("{title}（Ctrl+{n}）", title=spec.title(), n=index + 1) if index < 9 else spec.title()
            self.nav.add_item(spec.title(), icon(spec.key), hint)
        self.stack = QStackedWidget()
        self._placeholders = [self.stack.addWidget(QWidget()) for _ in self.specs]
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.toasts = ToastArea(self)
        self._build_toolbar()
        self._build_status_bar()
        self._build_shortcuts()
        self.nav.current_changed.connect(self._show_row)
        if self.specs:
            self.nav.set_current_row(0)
        self._constructing = False
        self._badge_timer = QTimer(self)
        self._badge_timer.timeout.connect(self.refresh_badges)
        self._badge_timer.start(BADGE_REFRESH_MS)
        change_bus().changed.connect(self._on_changes)
        self._restore_geometry()

    # --- building --------------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = self.addToolBar(tr("工具栏"))
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(QSize(18, 18))
        self.page_title = QLabel()
        self.page_title.setObjectName("pageTitle")
        bar.addWidget(self.page_title)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.settings_action = QAction(icon("settings"), tr("设置"), self)
        self.settings_action.triggered.connect(self.open_settings)
        self.sign_out_action = QAction(icon("sign_out"), tr("退出登录"), self)
        self.sign_out_action.triggered.connect(lambda: emit(self.sign_out_requested))
        # 退出 ends the app like closing the window (the last window closed ends the event loop; run_gui
        # then stops sync and the bundled platform server and closes the database)
        self.quit_action = QAction(icon("quit"), tr("退出"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.setToolTip(tr("退出 InstDesk（Ctrl+Q）"))
        self.quit_action.triggered.connect(self.close)
        bar.addAction(self.settings_action)
        bar.addAction(self.sign_out_action)
        bar.addAction(self.quit_action)

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        who = "" if actor is None else f"{actor.username}（{translate('labels', ROLE_LABELS[actor.role])}）"
        self.user_label = QLabel(who)
        self.sync_status = SyncStatusWidget(self.ctx.sync)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sync_status)

    def _build_shortcuts(self) -> None:
        for row in range(min(9, len(self.specs))):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda r=row: self.nav.set_current_row(r))

    # --- screens ---------------------------------------------------------------------------------------
    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        self.page_title.setText(self.specs[row].title())
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
            QTimer.singleShot(0, self._after_first_paint)

    def _activate_pending(self) -> None:
        panel, self._pending_activation = self._pending_activation, None
        if panel is not None and self.stack.currentWidget() is panel:
            panel.activated()

    def _after_first_paint(self) -> None:
        self.refresh_badges()
        self.collect_notices()

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
            navigate = getattr(panel, "navigate", None)
            if navigate is not None:
                navigate.connect(self.open_item)
        return self.panels[key]

    def show_panel(self, key: str) -> Panel:
        row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
        self.nav.set_current_row(row)
        return self.panel(key)

    def open_item(self, key: str, item_id: str) -> None:
        """Bring the screen ``key`` forward with ``item_id`` (a lesson, a student, a request) in view."""
        if key not in self.panel_keys():
            return
        panel = self.show_panel(key)
        if item_id:
            panel.show_item(item_id)

    def panel_keys(self) -> list[str]:
        return [spec.key for spec in self.specs]

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx, self)
        dialog.open()
        return dialog

    # --- badges and notices ----------------------------------------------------------------------------
    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*BADGE_ENTITIES):
            self.refresh_badges()
        if changes.touches(Entity.SYNC):
            self.collect_notices()

    def refresh_badges(self) -> None:
        actor, db, day = self.ctx.actor, self.ctx.db, self.ctx.today()
        if actor is None:
            return

        def counts() -> tuple[int, int]:
            from app.views.today import waiting_counts

            waiting = waiting_counts(db, actor, day)
            return waiting.lessons_to_call, waiting.platform

        Op(counts).success(self._show_badges).failure(_quietly("badges")).run()

    def _show_badges(self, counts: tuple[int, int]) -> None:
        keys = self.panel_keys()
        for key, count in zip(("frontdesk", "platform"), counts, strict=True):
            if key in keys:
                self.nav.set_badge(keys.index(key), count)

    def collect_notices(self) -> None:
        if not self.ctx.may(Permission.SYNC):
            return
        db, day = self.ctx.db, self.ctx.today()
        Op(lambda: collect_notices(db, day)).success(self.show_notices).failure(_quietly("notices")).run()

    def show_notices(self, notices: list[NoticeItem]) -> None:
        for notice in notices:
            self.toasts.show_toast(notice_title(notice), notice_text(notice), self._opener(notice))
        if notices:
            change_bus().publish(Changes.of(Entity.NOTICE))

    def _opener(self, notice: NoticeItem) -> Callable[[], None]:
        tab = HANDLED_IN.get(notice.kind, "notices")
        return lambda: self.open_item("platform", tab)

    # --- geometry --------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.ctx.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
            return
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen is not None else DEFAULT_SIZE
        self.resize(
            min(DEFAULT_SIZE.width(), available.width()), min(DEFAULT_SIZE.height(), available.height())
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.settings.window_geometry = bytes(self.saveGeometry().data())
        self.ctx.settings.sync()
        super().closeEvent(event)
