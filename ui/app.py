"""Start the desktop app: QApplication, logging, translations, database, first run, sign-in, main window.

``run_gui`` is what ``instdesk gui`` calls; ``Shell`` owns the sign-in → main window → sign-out cycle.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from app.db import Database
from app.errors import NotFound
from app.logging_setup import configure_logging
from app.paths import default_db_path
from app.permissions import Actor
from app.services.institution import get_institution
from app.services.users import has_users
from ui.backup_schedule import BackupSchedule
from ui.changes import Changes
from ui.context import AppContext
from ui.dialogs.exception_dialog import install_exception_hook
from ui.dialogs.first_run import FirstRunWizard
from ui.dialogs.presenter import Presenter
from ui.dialogs.signin import SignInDialog
from ui.dialogs.sizing import DialogSizes
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.messages import bridge
from ui.ops import Op, install_workers, workers
from ui.settings import Settings
from ui.shutdown import SignalQuit
from ui.style import apply_style
from ui.sync_port import NullSync, SyncPort

log = logging.getLogger("ui.app")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


@dataclass(frozen=True)
class Launch:
    """How to start: which database, and (for the demo) who is signed in and which sync to use."""

    db_path: Path | None = None
    actor: Actor | None = None
    sync_factory: Callable[[Database, Settings], SyncPort] | None = None
    after_start: Callable[[SyncPort], None] | None = None  # runs on the network lane after the window shows
    # runs first when the event loop has returned (the demo stops its local platform server here, so a
    # sync request in flight fails at once instead of holding the shutdown up)
    before_shutdown: Callable[[], None] | None = None


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    logging.getLogger("ui.qt").log(_QT_LEVELS.get(kind, logging.INFO), "%s", text)


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Fractional scaling (125 %, 150 % on Windows laptops) drawn as such instead of rounded to 100 % / 200 %.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv)
    apply_style(app)
    app.setOrganizationName("InstDesk")
    app.setApplicationName("InstDesk")
    app.setApplicationDisplayName("InstDesk")
    return app


def has_institution(db: Database) -> bool:
    try:
        get_institution(db)
    except NotFound:
        return False
    return True


class Shell:
    """Signs the user in, shows the main window, and signs in again after a sign-out."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.window: MainWindow | None = None

    def start(self) -> bool:
        # a desk that joined by platform login (``instdesk login``) has the institution but no user yet:
        # the wizard then only asks for the first manager
        joined = has_institution(self.ctx.db)
        if (not joined or not has_users(self.ctx.db)) and FirstRunWizard(
            self.ctx, account_only=joined
        ).exec() != QDialog.DialogCode.Accepted:
            return False
        if self.ctx.actor is None and SignInDialog(self.ctx).exec() != QDialog.DialogCode.Accepted:
            return False
        self.show_window()
        return True

    def show_window(self) -> MainWindow:
        window = MainWindow(self.ctx)
        presenter = Presenter(window, window.show_status, str(self.ctx.log_path or ""))
        bridge().listen(presenter)
        window.sign_out_requested.connect(self.sign_out)
        window.show()
        self.window = window
        return window

    def sign_out(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        bridge().listen(None)
        self.ctx.actor = None
        if SignInDialog(self.ctx).exec() == QDialog.DialogCode.Accepted:
            self.show_window()
        else:
            QApplication.quit()


def build_context(launch: Launch, settings: Settings, log_path: Path) -> AppContext:
    # verify: PRAGMA quick_check now for small files, in the background for big ones; a damaged file
    # then refuses writes with the message that says how to restore it (docs/file-safety.md)
    db = Database.open(launch.db_path or Path(settings.database_path or default_db_path()), verify=True)
    sync = launch.sync_factory(db, settings) if launch.sync_factory else NullSync()
    return AppContext(db=db, settings=settings, actor=launch.actor, sync=sync, log_path=log_path)


def _wait_until_sound(db: Database) -> None:
    db.integrity.wait()
    db.require_sound()


def report_damage(db: Database) -> Op[None]:
    """Tell the person as soon as the start-up integrity check (maybe still running in the background)
    finds the file damaged: the failure is shown like any other error, with how to restore."""
    op: Op[None] = Op(lambda: _wait_until_sound(db)).on_network()
    op.run()
    return op


def run_gui(launch: Launch) -> int:
    """The app until its window is closed, 退出 is chosen, or SIGINT/SIGTERM arrives; then sync, the
    workers and the database are stopped in that order (the database last, so its WAL is checkpointed)."""
    app = application()
    log_path = configure_logging()
    qInstallMessageHandler(_qt_message)
    install_exception_hook()
    quit_on_signal = SignalQuit(app)
    settings = Settings()
    install_translators(settings.language)
    install_workers(workers())
    ctx = build_context(launch, settings, log_path)
    sizes = DialogSizes(settings, app)
    app.installEventFilter(sizes)
    report_damage(ctx.db)
    shell = Shell(ctx)
    try:
        if not shell.start():
            return 0 if quit_on_signal.received else 1
        backups = BackupSchedule(ctx)  # daily, off the GUI thread (kept referenced while the app runs)
        if ctx.db.path is not None:
            backups.start()
        if launch.after_start is not None:
            start, sync = launch.after_start, ctx.sync
            Op(lambda: start(sync)).on_network().announce(Changes.everything()).run()
        if quit_on_signal.received:  # arrived before the event loop ran: exit() did nothing yet
            return 0
        code = app.exec()
        return 0 if quit_on_signal.received else code
    finally:
        if launch.before_shutdown is not None:
            launch.before_shutdown()
        ctx.sync.stop()
        workers().shutdown()
        ctx.db.close()
        log.info("shut down")
        quit_on_signal.uninstall()
