"""Backups take the training-material files along (stored once per backup folder, listed per backup);
restoring brings them back into the store beside the database; rotation drops files no backup lists."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.backup import BACKUP_MATERIALS, MANIFEST_SUFFIX, list_backups, make_backup, restore
from app.db import Database
from app.material_store import blob_path
from app.permissions import SYSTEM_ACTOR
from app.services import catalog
from app.services.materials import MaterialInput, add_material, materials_root
from localdb.capture import capture_suspended

WHEN = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _course(db: Database) -> str:
    data = catalog.CourseInput(
        name="少儿美术",
        category="non_subject",
        subject="美术",
        stage="other",
        minutes_per_lesson=60,
        lessons_per_package=Decimal(20),
        price_fen=200000,
    )
    return catalog.add_course(db, SYSTEM_ACTOR, data).course_id


def _material(db: Database, course: str, tmp_path: Path, name: str, data: bytes) -> str:
    source = tmp_path / name
    source.write_bytes(data)
    return add_material(db, SYSTEM_ACTOR, MaterialInput(course, name), source).sha256


def test_a_backup_keeps_the_files_and_a_restore_brings_them_back(desk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    db = Database.open(desk)
    try:
        course = _course(db)
        first = _material(db, course, tmp_path, "a.pdf", b"handout A" * 100)
        backup = make_backup(db, folder, now=WHEN)
        later = _material(db, course, tmp_path, "b.pdf", b"handout B" * 100)
        store = materials_root(db)
    finally:
        db.close()
    assert blob_path(folder / BACKUP_MATERIALS, first).read_bytes() == b"handout A" * 100
    manifest = json.loads(backup.path.with_name(backup.path.name + MANIFEST_SUFFIX).read_text())
    assert manifest == [first]
    shutil.rmtree(store)  # the desk's files are lost with its disk
    result = restore(desk, backup.path, now=WHEN + timedelta(hours=1))
    assert result.materials_restored == 1 and result.materials_missing == ()
    assert blob_path(store, first).read_bytes() == b"handout A" * 100
    assert not blob_path(store, later).exists()  # added after the backup: not in it


def test_the_same_file_is_kept_once_for_many_backups(desk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    db = Database.open(desk)
    try:
        sha = _material(db, _course(db), tmp_path, "a.pdf", b"same")
        for day in range(3):
            make_backup(db, folder, now=WHEN + timedelta(days=day))
    finally:
        db.close()
    assert len(list_backups(folder, desk)) == 3
    assert [p for p in (folder / BACKUP_MATERIALS).rglob("*") if p.is_file()] == [
        blob_path(folder / BACKUP_MATERIALS, sha)
    ]


def test_a_restore_says_which_files_the_backup_folder_lacks(desk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    db = Database.open(desk)
    try:
        sha = _material(db, _course(db), tmp_path, "a.pdf", b"only here")
        backup = make_backup(db, folder, now=WHEN)
        store = materials_root(db)
    finally:
        db.close()
    elsewhere = tmp_path / "copied"
    elsewhere.mkdir()
    moved = elsewhere / backup.path.name
    shutil.copyfile(backup.path, moved)  # the backup file alone, without its folder's materials
    shutil.rmtree(store)
    result = restore(desk, moved, now=WHEN + timedelta(hours=1))
    assert result.materials_missing == (sha,) and result.materials_restored == 0


def test_rotation_drops_files_no_remaining_backup_lists(desk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    db = Database.open(desk)
    try:
        old = _material(db, _course(db), tmp_path, "old.pdf", b"old handout")
        make_backup(db, folder, now=WHEN)
        with db.transaction() as session:  # the file is no longer referred to by this desk
            conn = session.connection()
            with capture_suspended(conn):
                conn.exec_driver_sql("DELETE FROM material")
                conn.exec_driver_sql("DELETE FROM material_file")
        days = [7, 14, 21, 28, *range(35, 42)]  # four weekly and seven daily backups outlive the first
        for day in days:
            make_backup(db, folder, now=WHEN + timedelta(days=day))
    finally:
        db.close()
    assert len(list_backups(folder, desk)) == 11
    assert not blob_path(folder / BACKUP_MATERIALS, old).exists()
    assert len(list(folder.glob(f"*{MANIFEST_SUFFIX}"))) == 11
