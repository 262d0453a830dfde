"""Fixtures of the CLI tests: a database path and passwords in the environment (never on argv)."""

from __future__ import annotations

from pathlib import Path

import pytest

ADMIN_PASSWORD = "admin-pass-1"
DESK_PASSWORD = "desk-pass-1"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INSTDESK_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("INSTDESK_NEW_PASSWORD", DESK_PASSWORD)
    return tmp_path / "cli.sqlite3"
