"""The ``gui`` subcommand of ``instdesk`` (also the default when no command is given).

    instdesk gui             open the desktop app
    instdesk gui --smoke     open the database, round-trip the keyring, show the main window, exit 0
    instdesk gui --demo      demo data + the bundled platform server on loopback, signed in (make run)

Without a display (Linux with neither DISPLAY nor WAYLAND_DISPLAY, and no QT_QPA_PLATFORM) the command says
so in one line and exits with status 3 instead of letting Qt abort (``ui.display``). Before the Qt event loop
runs (generating the demo data, starting the demo server), SIGTERM is handled like Ctrl+C: the command
stops what it started and exits without a traceback.

``instdesk/cli.py`` wires it with ``cli_gui.register(subparsers)``; the Qt modules are imported only when the
command runs, so the other commands stay Qt-free at run time.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.db import Database
    from ui.settings import Settings
    from ui.sync_port import SyncPort


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("gui", help="打开桌面程序 / open the desktop app")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--smoke", action="store_true", help="open, check the keyring, show the window, exit")
    mode.add_argument("--demo", action="store_true", help="demo data and a local platform server, signed in")
    parser.add_argument("--students", type=int, default=None, help="with --demo: students of a new demo")
    parser.set_defaults(func=run)
    return parser


def _db_path(args: argparse.Namespace) -> Path | None:
    """The top-level ``--db`` of ``instdesk`` (None: the default file in the user data directory)."""
    value = getattr(args, "db", None)
    return Path(value) if value else None


NO_DISPLAY_EXIT = 3


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl+C: ``finally`` blocks stop what was started


def run(args: argparse.Namespace) -> int:
    from ui.display import display_problem

    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return NO_DISPLAY_EXIT
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _interrupt)
    if getattr(args, "smoke", False):
        from ui.smoke import run_smoke

        return run_smoke(_db_path(args))
    if getattr(args, "demo", False):
        from instdesk.demo import DEMO_STUDENTS, run_demo

        return run_demo(getattr(args, "students", None) or DEMO_STUDENTS)
    from ui.app import Launch, run_gui

    return run_gui(Launch(db_path=_db_path(args), sync_factory=_engine_sync))


def _engine_sync(db: Database, settings: Settings) -> SyncPort:
    from ui.sync_adapter import EngineSync
    from ui.sync_port import NullSync

    if not settings.server_url:
        return NullSync()
    sync = EngineSync(db, settings.server_url)
    sync.start()
    return sync
