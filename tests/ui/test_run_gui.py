"""``run_gui`` ends cleanly when the window is closed or a quit signal arrives: the demo's server is
stopped first, then sync, the workers and the database (its WAL checkpointed into the file)."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.ui.seed import Seed
from ui import app as ui_app
from ui.app import Launch, run_gui
from ui.dialogs.sizing import DialogSizes
from ui.main_window import MainWindow
from ui.ops import Workers, install_workers
from ui.settings import Settings


@pytest.fixture
def database(
    template_seed: tuple[Path, Seed], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    path = tmp_path / "instdesk.sqlite3"
    shutil.copyfile(template_seed[0], path)
    monkeypatch.setattr(ui_app, "Settings", lambda: Settings.at(tmp_path / "settings.ini"))
    previous_workers = install_workers(Workers.threaded())  # run_gui shuts down the workers it used
    previous_hook = sys.excepthook
    yield path
    sys.excepthook = previous_hook
    app = QApplication.instance()
    assert app is not None
    for sizes in app.findChildren(DialogSizes):  # run_gui's dialog-size filter: for its own run only
        app.removeEventFilter(sizes)
        sizes.setParent(None)
    if previous_workers is not None:
        install_workers(previous_workers)


def _main_window() -> MainWindow | None:
    return next(
        (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None
    )


def _when_shown(action: object) -> None:
    """Run ``action`` once the main window is on screen (polled from the event loop)."""

    def poll() -> None:
        window = _main_window()
        if window is None:
            QTimer.singleShot(20, poll)
        else:
            action(window)  # type: ignore[operator]

    QTimer.singleShot(20, poll)


def _wal_is_empty(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


def test_closing_the_window_ends_the_app_and_stops_what_it_started(
    qapp: QApplication, database: Path, template_seed: tuple[Path, Seed]
) -> None:
    stopped: list[str] = []
    _when_shown(lambda window: window.close())
    launch = Launch(
        db_path=database, actor=template_seed[1].manager, before_shutdown=lambda: stopped.append("server")
    )
    assert run_gui(launch) == 0
    assert stopped == ["server"]
    assert _wal_is_empty(database)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_quit_signal_ends_the_event_loop_without_a_traceback(
    qapp: QApplication, database: Path, template_seed: tuple[Path, Seed], sig: signal.Signals
) -> None:
    stopped: list[str] = []
    _when_shown(lambda _window: os.kill(os.getpid(), sig))
    launch = Launch(
        db_path=database, actor=template_seed[1].manager, before_shutdown=lambda: stopped.append("server")
    )
    assert run_gui(launch) == 0  # a KeyboardInterrupt would have propagated out of here
    assert stopped == ["server"] and _main_window() is None
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers given back
    assert _wal_is_empty(database)
