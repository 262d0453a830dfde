"""Encryption at rest: SQLCipher files keyed from the OS keyring, created 0600; ``instdesk encrypt``;
what happens without a usable keyring."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail, null

from app.backup import list_backups, make_backup
from app.db import Database
from app.dbkey import KEY_ENTRY, SERVICE, Encryption
from app.errors import InstDeskError
from localdb.cipher import is_encrypted_file
from tests.backup.conftest import ID_NUMBER, USCC, add_student, ok, student_names
from tests.cli.runner import run
from tests.conftest import MemoryKeyring


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _plain_desk(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database made by an earlier version (plain), with a student and a backup."""
    Database.open(path, key=None).close()
    ok(run(capsys, path, "init", "--name", "示例培训学校", "--uscc", USCC, "--desk", "A1"))
    add_student(capsys, path, "张三", ID_NUMBER)


def test_a_new_database_is_encrypted_private_and_holds_no_id_number_in_clear(desk: Path) -> None:
    db = Database.open(desk)
    try:
        assert db.encryption is Encryption.ENCRYPTED
        with db.transaction() as session:  # something in the WAL while it is open
            session.connection().exec_driver_sql("UPDATE student SET name = '张三'")
        files = [p for p in desk.parent.iterdir() if p.name.startswith(desk.name)]
        assert {p.name for p in files} >= {desk.name, f"{desk.name}-wal", f"{desk.name}-shm"}
        assert all(_mode(p) == 0o600 for p in files), [(p.name, oct(_mode(p))) for p in files]
        for part in files:
            assert ID_NUMBER.encode() not in part.read_bytes()  # nor in the outbox payloads
    finally:
        db.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(desk).execute("SELECT count(*) FROM student").fetchone()


def test_without_a_usable_keyring_a_new_database_is_plain_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    path = tmp_path / "ci.sqlite3"
    result = ok(run(capsys, path, "init", "--name", "示例培训学校", "--uscc", USCC, "--desk", "A1"))
    assert "没有可用的系统密钥环" in result.err and "未加密" in result.err
    assert not is_encrypted_file(path) and _mode(path) == 0o600
    assert "密钥环" not in ok(run(capsys, path, "check")).err  # said once, when created
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]  # silently stores nothing: must not be trusted either
    assert Database.open(tmp_path / "null.sqlite3").encryption is Encryption.PLAIN_NO_KEYRING
    assert not any(p.suffix == ".key" for p in tmp_path.iterdir())


def test_an_encrypted_database_without_its_key_is_refused_plainly(
    desk: Path, capsys: pytest.CaptureFixture[str], memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.store.pop((SERVICE, KEY_ENTRY))  # another computer, or the keyring was cleared
    missing = run(capsys, desk, "check")
    assert missing.code == 1 and "已加密" in missing.err and "没有它的密钥" in missing.err
    memory_keyring.store[(SERVICE, KEY_ENTRY)] = "11" * 32
    wrong = run(capsys, desk, "check")
    assert wrong.code == 1 and "密钥" in wrong.err and "不符" in wrong.err
    assert "Traceback" not in missing.err + wrong.err


def test_encrypt_migrates_a_plain_database_and_its_backups_in_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    path = tmp_path / "old" / "instdesk.sqlite3"
    path.parent.mkdir()
    _plain_desk(path, capsys)
    ok(run(capsys, path, "backup"))
    assert not is_encrypted_file(path)

    result = ok(run(capsys, path, "encrypt"))

    assert "已加密" in result.out
    assert is_encrypted_file(path) and _mode(path) == 0o600
    [backup] = list_backups(path.parent / "backups", path)
    assert is_encrypted_file(backup.path) and str(backup.path) in result.out
    leftovers = sorted(p.name for p in path.parent.iterdir())
    assert leftovers == ["backups", "instdesk.sqlite3"]  # nothing plain left beside it
    assert ID_NUMBER.encode() not in path.read_bytes() + backup.path.read_bytes()
    assert student_names(capsys, path) == ["张三"]
    assert ok(run(capsys, path, "check")).code == 0
    again = run(capsys, path, "encrypt")
    assert again.code == 1 and "已经加密" in again.err


def test_encrypt_changes_nothing_without_a_keyring_or_while_the_database_is_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    path = tmp_path / "instdesk.sqlite3"
    _plain_desk(path, capsys)
    db = Database.open(path)
    try:
        busy = run(capsys, path, "encrypt")
        assert busy.code == 1 and "正被其他程序" in busy.err
    finally:
        db.close()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    refused = run(capsys, path, "encrypt")
    assert refused.code == 1 and "没有可用的系统密钥环" in refused.err
    assert not is_encrypted_file(path)
    assert {p.name for p in tmp_path.iterdir()} <= {
        "instdesk.sqlite3",
        "instdesk.sqlite3-wal",
        "instdesk.sqlite3-shm",
    }
    assert student_names(capsys, path) == ["张三"]


def test_a_backup_of_an_encrypted_database_opens_only_with_the_key(desk: Path, tmp_path: Path) -> None:
    db = Database.open(desk)
    try:
        made = make_backup(db, tmp_path / "b")
    finally:
        db.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made.path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    copy = Database.open(made.path, migrate=False)
    try:
        assert copy.encryption is Encryption.ENCRYPTED
    finally:
        copy.close()


class _LockedKeyring(MemoryKeyring):
    """A keyring whose unlock prompt was dismissed: every access fails."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("dismissed")


def test_a_failing_keyring_creates_plain_and_refuses_to_open_encrypted(desk: Path, tmp_path: Path) -> None:
    keyring.set_keyring(_LockedKeyring())
    assert Database.open(tmp_path / "new.sqlite3").encryption is Encryption.PLAIN_NO_KEYRING
    with pytest.raises(InstDeskError) as caught:
        Database.open(desk)
    assert caught.value.code == "dbkey.keyring_failed"
