"""``instdesk gui --smoke``: open the database, round-trip the keyring, show the main window, exit 0."""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path

import keyring
from keyring.errors import KeyringError

from app.db import Database
from app.paths import default_db_path
from app.permissions import SYSTEM_ACTOR
from ui.app import application
from ui.context import AppContext
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.ops import Workers, install_workers
from ui.settings import Settings

SERVICE = "InstDesk-smoke"


def keyring_round_trip() -> str:
    """Store, read back and delete a random value; returns the backend's name."""
    value = secrets.token_hex(8)
    keyring.set_password(SERVICE, "probe", value)
    try:
        if keyring.get_password(SERVICE, "probe") != value:
            raise KeyringError("keyring returned a different value")
    finally:
        keyring.delete_password(SERVICE, "probe")
    backend = keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def run_smoke(db_path: Path | None) -> int:
    started = time.perf_counter()
    app = application()
    settings = Settings()
    install_translators(settings.language)
    install_workers(Workers.inline())
    db = Database.open(db_path or default_db_path())
    try:
        backend = keyring_round_trip()
    except KeyringError as exc:
        print(json.dumps({"ok": False, "keyring": str(exc)}, ensure_ascii=False))
        return 3
    window = MainWindow(AppContext(db=db, settings=settings, actor=SYSTEM_ACTOR))
    window.show()
    app.processEvents()
    shown = window.isVisible()
    window.close()
    db.close()
    seconds = round(time.perf_counter() - started, 2)
    print(json.dumps({"ok": shown, "keyring": backend, "panels": window.panel_keys(), "seconds": seconds}))
    return 0 if shown else 4
