"""A desk restored from a backup syncs with the real platform server and converges.

The backup holds ops the platform has since acknowledged, a ``next_seq`` from before, and misses what the
desk synced afterwards. After the restore the desk re-sends its outbox (answered ``duplicate`` by op id),
its new ops get seqs after the platform's (not ones the platform already used: those were rejected and
lost before ``sync/restored.py``), and the pull brings back what the backup missed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from app.backup import make_backup, restore
from app.db import Database
from localdb.cipher import is_encrypted_file
from localdb.schema import SYNCED_TABLES
from sync.engine import SyncEngine
from tests.localdb.rows import Ctx
from tests.sync.helpers import (
    add_row,
    engine_for,
    local_totals,
    outbox,
    problems,
    rows,
    scalar,
    seed_rows,
    server_totals,
)
from tests.sync.server import LiveServer


def _rename(db: Database, student: str, name: str) -> None:
    with db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE student SET name = ? WHERE id = ?", (name, student))


def _synced_then_more(db: Database, engine: SyncEngine, ctx: Ctx) -> tuple[str, str]:
    """After the backup: push one student, then add and rename more and push again."""
    engine.sync_once()
    later = add_row(db, "student", ctx)
    _rename(db, ctx["student"], "备份后改名")
    add_row(db, "payment", ctx)
    report = engine.sync_once()
    assert report.rejected == 0 and outbox(db) == 0
    return later, ctx["student"]


def test_a_restored_desk_resends_and_converges(
    server: LiveServer, make_db: Callable[[str], Database], migrated_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "desk-a.sqlite3"
    shutil.copyfile(migrated_template, path)
    a = Database.open(path)
    ea = engine_for(a, server, "desk-a")
    ctx = seed_rows(a)
    ea.sync_once()
    pending_at_backup = add_row(a, "student", ctx)  # in the backup's outbox, acknowledged later
    backup = make_backup(a)
    later, renamed = _synced_then_more(a, ea, ctx)
    ea.close()
    a.close()

    restore(path, backup.path)
    a = Database.open(path)
    assert scalar(a, f"SELECT count(*) FROM student WHERE id = '{later}'") == 0
    assert outbox(a) > 0  # what was pending at the backup, already acknowledged by the platform
    after_restore = add_row(a, "student", ctx)  # a new op: its seq must not be one the platform used
    ea = SyncEngine(a, server.url)
    first = ea.sync_once()
    ea.sync_once()

    assert first.rejected == 0 and first.conflicts == 0
    assert first.duplicates >= 1  # the re-sent op of ``pending_at_backup``
    assert outbox(a) == 0 and problems(a) == []
    assert scalar(a, f"SELECT count(*) FROM student WHERE id = '{later}'") == 1  # pulled back
    assert scalar(a, f"SELECT name FROM student WHERE id = '{renamed}'") == "备份后改名"
    b = Database.open(tmp_path / "desk-b.sqlite3")  # a new, encrypted desk joins: snapshot via staging
    assert b.key is not None
    engine_for(b, server, "desk-b").sync_once()
    assert (
        scalar(b, f"SELECT count(*) FROM student WHERE id IN ('{after_restore}', '{pending_at_backup}')") == 2
    )
    for table in SYNCED_TABLES:
        assert rows(b, table) == rows(a, table), table
    assert local_totals(a) == server_totals(server) == local_totals(b)
    ea.close()
    a.close()
    b.close()


def test_restore_of_an_encrypted_desk_keeps_it_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = Database.open(path)  # new file, a keyring that can keep the key: encrypted
    backup = make_backup(db)
    db.close()
    restore(path, backup.path)
    assert is_encrypted_file(path) and is_encrypted_file(backup.path)
