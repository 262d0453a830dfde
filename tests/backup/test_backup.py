"""``instdesk backup`` / ``restore``: consistent online copies, verified, rotated; restore checks first and
keeps the current database aside."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.backup import (
    BackupFile,
    _kept,
    backup_dir,
    is_due,
    list_backups,
    make_backup,
    restore,
    set_backup_dir,
    verify_database_file,
)
from app.db import Database
from app.errors import InstDeskError
from localdb.cipher import is_encrypted_file
from tests.backup.conftest import SECOND_ID, add_student, ok, student_names
from tests.cli.runner import run


def _backups(path: Path) -> list[Path]:
    return [b.path for b in list_backups(path.parent / "backups", path)]


def test_cli_backup_is_verified_and_restore_brings_the_old_state_back(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = ok(run(capsys, desk, "backup")).out
    [made] = _backups(desk)
    assert str(made) in line and "已备份并校验" in line
    add_student(capsys, desk, "李四", SECOND_ID)
    assert student_names(capsys, desk) == ["张三", "李四"]

    restored = ok(run(capsys, desk, "restore", str(made))).out

    assert student_names(capsys, desk) == ["张三"]
    [aside] = desk.parent.glob("instdesk-before-restore-*.sqlite3")
    assert str(aside) in restored
    assert student_names(capsys, aside) == ["张三", "李四"]  # the replaced database is kept, whole
    assert ok(run(capsys, desk, "check")).code == 0


def test_backup_is_taken_while_the_database_is_open_and_being_written(desk: Path, tmp_path: Path) -> None:
    db = Database.open(desk)
    try:
        with db.transaction() as session:  # a committed write still in the WAL
            session.connection().exec_driver_sql("UPDATE student SET name = '张三丰'")
        reader = db.engine.connect()  # another connection in the middle of a read transaction
        reader.exec_driver_sql("SELECT count(*) FROM student").scalar()
        made = make_backup(db, tmp_path / "b")
        reader.close()
    finally:
        db.close()
    verify_database_file(made.path)
    copy = Database.open(made.path, migrate=False)
    try:
        with copy.reading() as session:
            assert session.connection().exec_driver_sql("SELECT name FROM student").scalar() == "张三丰"
    finally:
        copy.close()
    assert not made.path.with_name(made.path.name + "-wal").exists()
    assert os.stat(made.path).st_mode & 0o777 == 0o600


def test_backups_of_an_encrypted_database_stay_encrypted(desk: Path, tmp_path: Path) -> None:
    assert is_encrypted_file(desk)  # the tests' in-memory keyring can keep a key: new files are encrypted
    db = Database.open(desk)
    try:
        made = make_backup(db, tmp_path / "b")
    finally:
        db.close()
    assert is_encrypted_file(made.path)
    assert b"110105" not in made.path.read_bytes()


def test_the_backup_folder_chosen_in_settings_is_used(desk: Path, tmp_path: Path) -> None:
    db = Database.open(desk)
    try:
        assert backup_dir(db) == desk.parent / "backups"
        set_backup_dir(db, tmp_path / "usb")
        made = make_backup(db)
    finally:
        db.close()
    assert made.path.parent == tmp_path / "usb"


def test_rotation_keeps_seven_days_and_four_weeks() -> None:
    start = datetime(2026, 1, 1, 20, tzinfo=UTC)
    # two backups a day for 60 days, newest first
    backups = [
        BackupFile(Path(f"b{d}-{h}"), start + timedelta(days=d, hours=h)) for d in range(60) for h in (0, 1)
    ]
    backups.sort(key=lambda b: b.taken_at, reverse=True)
    kept = sorted((b for b in backups if b.path in _kept(backups)), key=lambda b: b.taken_at, reverse=True)
    days = [b.taken_at.date() for b in kept]
    assert days[:7] == [(start + timedelta(days=59 - i)).date() for i in range(7)]
    assert all(b.taken_at.hour == 21 for b in kept)  # the newest of its day
    assert len(kept) == 7 + 4
    weekly = kept[7:]
    assert len({tuple(b.taken_at.isocalendar())[:2] for b in weekly}) == 4
    assert all(a.taken_at - b.taken_at <= timedelta(days=7) for a, b in zip(kept, kept[1:], strict=False))


def test_scheduled_backups_rotate_the_folder(desk: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    db = Database.open(desk)
    try:
        now = datetime(2026, 3, 1, 9, tzinfo=UTC)
        for day in range(40):
            when = now + timedelta(days=day)
            assert is_due(folder, desk, when)
            make_backup(db, folder, now=when)
            assert not is_due(folder, desk, when + timedelta(hours=23))
    finally:
        db.close()
    assert len(list_backups(folder, desk)) == 7 + 4
    (folder / "notes.txt").write_text("not a backup")
    assert (folder / "notes.txt").exists()


def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(run(capsys, desk, "backup"))
    [made] = _backups(desk)
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(made.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = os.urandom(4096)
    damaged.write_bytes(bytes(data))
    foreign = tmp_path / "foreign.sqlite3"
    import sqlite3

    sqlite3.connect(foreign).execute("CREATE TABLE t (a)").connection.close()
    before = desk.read_bytes()
    for bad in (damaged, foreign, tmp_path / "missing.sqlite3"):
        result = run(capsys, desk, "restore", str(bad))
        assert result.code == 1 and result.err.startswith("错误：") and "Traceback" not in result.err
    assert "不是 InstDesk 数据库" in run(capsys, desk, "restore", str(foreign)).err
    assert desk.read_bytes() == before
    assert not list(desk.parent.glob("*before-restore*"))


def test_restore_is_refused_while_the_database_is_open(desk: Path) -> None:
    made = desk.parent / "copy.sqlite3"
    db = Database.open(desk)
    try:
        shutil.copy(_backup_of(db), made)
        with pytest.raises(InstDeskError) as caught:
            restore(desk, made)
        assert caught.value.code == "backup.in_use"
        with db.reading() as session:  # still the same, working database
            assert session.connection().exec_driver_sql("SELECT count(*) FROM student").scalar() == 1
    finally:
        db.close()


def _backup_of(db: Database) -> Path:
    return make_backup(db).path


def test_a_corrupt_database_is_set_aside_and_replaced_by_the_backup(
    desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(run(capsys, desk, "backup"))
    [made] = _backups(desk)
    desk.write_bytes(b"\x00" * 4096 + os.urandom(8192))  # the disk ate it
    ok(run(capsys, desk, "restore", str(made)))
    assert student_names(capsys, desk) == ["张三"]
    assert len(list(desk.parent.glob("instdesk-before-restore-*"))) == 1


def test_backup_into_an_unwritable_folder_says_so(desk: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    db = Database.open(desk)
    try:
        with pytest.raises(InstDeskError) as caught:
            make_backup(db, blocked / "sub")
    finally:
        db.close()
    assert caught.value.code == "backup.write_failed"
