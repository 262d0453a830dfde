"""设置 → 备份 on a real database: back up now, change the folder, restore (checked first; the app
closes afterwards), the encryption line; and the daily schedule run through ``Op``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.backup import list_backups
from app.db import Database
from tests.ui.seed import Seed
from ui.backup_schedule import BackupSchedule
from ui.context import AppContext
from ui.dialogs.settings_dialog import SettingsDialog
from ui.messages import Level, Message


def _as_manager(ctx: AppContext, seed: Seed) -> AppContext:
    ctx.actor = seed.manager
    return ctx


LIVE_STUDENTS = "SELECT count(*) FROM student WHERE deleted_at IS NULL"


def _live_students(db_path: Path) -> int:
    db = Database.open(db_path, migrate=False)
    try:
        with db.reading() as session:
            return int(session.connection().exec_driver_sql(LIVE_STUDENTS).scalar() or 0)
    finally:
        db.close()


def test_backup_box_is_for_managers_only(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    front = SettingsDialog(ctx)
    qtbot.addWidget(front)
    assert front.backup is None
    manager = SettingsDialog(_as_manager(ctx, seed))
    qtbot.addWidget(manager)
    assert manager.backup is not None
    assert manager.backup.last.text() == "尚无备份"
    assert manager.backup.encryption.text() == "已加密（密钥保存在系统密钥环中）"


def test_backup_now_then_restore_closes_the_app_on_the_restored_file(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    dialog = SettingsDialog(_as_manager(ctx, seed))
    qtbot.addWidget(dialog)
    box = dialog.backup
    assert box is not None
    box.set_folder(tmp_path / "usb")
    assert box.folder.text() == str(tmp_path / "usb")
    box.backup_now()
    assert shown[-1].text.startswith("已备份并校验")
    [made] = list_backups(tmp_path / "usb", seed.db.path or Path())
    assert "共 1 份" in box.last.text()
    db_path = seed.db.path
    assert db_path is not None
    students = _live_students(db_path)
    assert students > 0
    with seed.db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE student SET deleted_at = '2026-01-01 00:00:00'")
    quits: list[bool] = []
    box.quit_app = lambda: quits.append(True)

    box.restore_from(made.path)

    assert quits == [True] and seed.db.closed
    assert "已从备份恢复" in shown[-1].text
    assert list(db_path.parent.glob("instdesk-before-restore-*.sqlite3"))
    assert _live_students(db_path) == students


def test_a_damaged_backup_is_refused_and_the_app_keeps_running(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    dialog = SettingsDialog(_as_manager(ctx, seed))
    qtbot.addWidget(dialog)
    box = dialog.backup
    assert box is not None
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    box.quit_app = lambda: (_ for _ in ()).throw(AssertionError("must not quit"))
    box.restore_from(bad)
    assert shown[-1].level is Level.ERROR or shown[-1].level is Level.WARNING
    assert not seed.db.closed
    with seed.db.reading() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM student").scalar()


def test_the_schedule_backs_up_once_a_day(ctx: AppContext, seed: Seed, shown: list[Message]) -> None:
    clock = [datetime(2026, 3, 2, 9, tzinfo=UTC)]
    schedule = BackupSchedule(ctx, now=lambda: clock[0])
    future = schedule.check()
    assert future is not None and future.result() is not None
    assert schedule.last_made is not None
    first = schedule.last_made
    clock[0] += timedelta(hours=5)
    assert schedule.check() is not None and schedule.last_made is first  # not due yet
    clock[0] += timedelta(hours=20)
    schedule.check()
    assert schedule.last_made is not first
    db_path = seed.db.path
    assert db_path is not None
    assert len(list_backups(db_path.parent / "backups", db_path)) == 2
    assert shown == []
