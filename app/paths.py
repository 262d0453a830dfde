"""Where InstDesk keeps its files: the user data and log directories, overridable for tests."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "InstDesk"


def data_dir() -> Path:
    """The user data directory (``INSTDESK_DATA_DIR`` overrides it, as the tests do)."""
    override = os.environ.get("INSTDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """The user log directory (``INSTDESK_LOG_DIR`` overrides it)."""
    override = os.environ.get("INSTDESK_LOG_DIR")
    path = Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "instdesk.sqlite3"
