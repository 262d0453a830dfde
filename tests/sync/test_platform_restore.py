"""A platform restored from an older backup (issue 11 item 2): desks notice and re-send what it lost.

The platform's SQLite file is replaced by a copy taken earlier, as an operator restoring a backup would.
Whichever way a desk notices — a push asking for a seq it had acknowledged, a cursor past the platform's
head, or a new platform epoch (``instdesk-platform new-epoch``) — it re-sends its rows, downloads the
platform's state, and ``check --server`` (rows, totals and inbox items) is clean again on every desk.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.db import Database
from localdb.schema import SYNCED_TABLES
from platform_server.db import make_engine, make_sessionmaker
from platform_server.security import new_epoch
from sync.check import compare
from sync.engine import SyncEngine
from tests.localdb.rows import Ctx
from tests.sync.helpers import add_row, counts, engine_for, outbox, problems, rows, seed_rows
from tests.sync.server import LiveServer


def _backup(server: LiveServer, target: Path) -> None:
    src = sqlite3.connect(server.settings.db_url.removeprefix("sqlite:///"))
    dst = sqlite3.connect(target)
    src.backup(dst)
    dst.close()
    src.close()


def _restore(server: LiveServer, backup: Path, directory: Path, *, epoch: bool) -> LiveServer:
    """Stop the platform, put the backup in place of its database, optionally start a new epoch (as the
    README's restore procedure says), and start it again on the same port."""
    port = server.port
    server.stop()
    path = Path(server.settings.db_url.removeprefix("sqlite:///"))
    # A new file, not the old one overwritten: a connection of the stopped server that is closed late
    # checkpoints its WAL into the file it has open, which must not be the restored one.
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)
    if epoch:
        engine = make_engine(server.settings.db_url)
        with make_sessionmaker(engine)() as session:
            new_epoch(session)
        engine.dispose()
    return LiveServer(directory, port=port).start()


def _work(db: Database, ctx: Ctx, n: int) -> None:
    for _ in range(n):
        student = add_row(db, "student", ctx)
        session = add_row(db, "lesson_session", ctx)
        add_row(db, "attendance", {**ctx, "lesson_session": session, "attendance_student": student})
        add_row(db, "payment", {**ctx, "student": student})


def _complaint(server: LiveServer) -> None:
    parent = f"/v1/parent/institutions/{server.institution_id}"
    server.call("POST", f"{parent}/complaints", json={"subject": "排课", "text": "老师迟到"})


def _clean(server: LiveServer, *desks: tuple[Database, SyncEngine]) -> None:
    first = desks[0][0]
    for db, engine in desks:
        assert outbox(db) == 0 and problems(db) == []
        assert compare(db, engine.api()) == []
        for table in SYNCED_TABLES:
            assert rows(db, table) == rows(first, table), table
    with server.engine.connect() as conn:
        students = conn.exec_driver_sql(
            "SELECT count(*) FROM entity_row WHERE entity = 'student' AND deleted = 0"
        ).scalar()
    assert students == counts(first)["student"]


def _two_desks(
    server: LiveServer, make_db: Callable[[str], Database]
) -> tuple[Database, SyncEngine, Database, SyncEngine, Ctx]:
    a, b = make_db("a"), make_db("b")
    ctx = seed_rows(a)
    ea = engine_for(a, server, "a")
    ea.sync_once()
    eb = engine_for(b, server, "b")
    eb.sync_once()
    return a, ea, b, eb, ctx


def test_desks_resend_after_a_restore_that_kept_the_epoch(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    a, ea, b, eb, ctx = _two_desks(server, make_db)
    _backup(server, tmp_path / "backup.sqlite3")
    _work(a, ctx, 6)
    ea.sync_once()
    _work(b, ctx, 4)
    eb.sync_once()
    _complaint(server)
    ea.sync_once()
    _work(b, ctx, 2)  # rows only b and the lost platform ever had
    eb.sync_once()
    restored = _restore(server, tmp_path / "backup.sqlite3", tmp_path, epoch=False)
    try:
        _work(a, ctx, 1)  # a pending op: the push finds the platform asking for an acknowledged seq
        report_a = ea.sync_once()
        # b has nothing to push; a's re-sent rows took the seqs b had seen, so b's cursor is no longer past
        # the head: the feed answers that the change at b's cursor is not the one b saw there
        report_b = eb.sync_once()
        assert report_a.resent > 0 and report_b.reset and report_b.resent == 8
        ea.sync_once()  # b's re-sent rows
        _clean(restored, (a, ea), (b, eb))
        _work(b, ctx, 2)  # and life goes on: new rows flow both ways
        eb.sync_once()
        ea.sync_once()
        _clean(restored, (a, ea), (b, eb))
    finally:
        restored.stop()


def test_a_new_epoch_makes_every_desk_resend_even_when_the_head_moved_on(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    a, ea, b, eb, ctx = _two_desks(server, make_db)
    _backup(server, tmp_path / "backup.sqlite3")
    _work(a, ctx, 3)
    ea.sync_once()
    _complaint(server)
    ea.sync_once()
    eb.sync_once()
    _work(a, ctx, 2)  # rows only a and the lost platform ever had
    ea.sync_once()
    restored = _restore(server, tmp_path / "backup.sqlite3", tmp_path, epoch=True)
    try:
        before = {d.what for d in compare(a, ea.api())}  # what `check --server` says before recovery
        assert {"rows.student", "inbox.complaint"} <= before
        report_b = eb.sync_once()
        assert report_b.resent > 0
        _work(b, ctx, 12)  # the platform's head passes a's old cursor: only the epoch tells a
        eb.sync_once()
        report_a = ea.sync_once()
        assert report_a.resent == 8
        eb.sync_once()
        _clean(restored, (a, ea), (b, eb))
    finally:
        restored.stop()
