"""The start-up integrity check (issue 12 item 12): in the background for big files; writes refused once
it finds damage (tests/ui/test_shell.py checks what the app shows)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app import db as app_db
from app.db import Database
from app.errors import StorageError
from app.permissions import SYSTEM_ACTOR
from app.services import catalog


def _damaged_copy(template: Path, folder: Path) -> Path:
    """A migrated database with enough rows for many pages, then garbage over pages in its middle."""
    path = folder / "damaged.sqlite3"
    shutil.copyfile(template, path)
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO student (id, name, name_pinyin, name_initials, version, created_at, updated_at) "
            "VALUES (?, ?, '', '', 0, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
            [(f"id-{k:05d}", f"学员{k}") for k in range(2000)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    with path.open("r+b") as f:
        f.seek(page * (path.stat().st_size // page // 2))
        f.write(bytes(range(256)) * (page * 3 // 256))
    return path


def test_a_big_file_is_checked_in_the_background_then_refuses_writes(
    migrated_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _damaged_copy(migrated_template, tmp_path)
    monkeypatch.setattr(app_db, "CHECK_NOW_MAX_BYTES", 0)  # every file counts as big
    db = Database.open(path, verify=True)
    try:
        db.integrity.wait(60)
        assert db.integrity.problems and not db.integrity.running
        with pytest.raises(StorageError) as caught:
            catalog.add_student(db, SYSTEM_ACTOR, catalog.StudentInput("王五"))
        assert caught.value.code == "storage.corrupt_refused"
        assert "备份" in caught.value.message and str(path) in caught.value.message
    finally:
        db.close()


def test_a_sound_file_passes_and_without_verify_nothing_is_checked(
    migrated_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sound.sqlite3"
    shutil.copyfile(migrated_template, path)
    db = Database.open(path, verify=True)
    assert db.integrity.problems == []
    db.close()
    damaged = _damaged_copy(migrated_template, tmp_path)
    unchecked = Database.open(damaged, migrate=False)
    assert unchecked.integrity.problems == [] and not unchecked.integrity.running
    unchecked.close()
