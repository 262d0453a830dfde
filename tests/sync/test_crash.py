"""A syncing desk killed with SIGKILL at random points, restarted and synced: nothing lost or doubled."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import keyring
import pytest

from app.db import Database
from localdb.schema import SYNCED_TABLES
from sync import state
from sync.engine import SyncEngine
from tests.sync.file_keyring import FileKeyring
from tests.sync.helpers import (
    add_row,
    counts,
    engine_for,
    local_totals,
    outbox,
    problems,
    seed_rows,
    server_totals,
)
from tests.sync.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]


def _spawn(db_path: Path, url: str, keyring_file: Path, seed: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.sync.crash_child", str(db_path), url, str(keyring_file), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )


def _cursor_not_ahead(db: Database, server: LiveServer) -> None:
    """Every change at or below the local cursor is in the local db (or overridden by a pending op)."""
    with db.reading() as session:
        conn = session.connection()
        cursor = state.get_int(conn, state.CURSOR)
        pending = {
            (str(e), str(i)) for e, i in conn.exec_driver_sql("SELECT entity, entity_id FROM sync_outbox")
        }
    with server.engine.connect() as sconn:
        seen = sconn.exec_driver_sql(
            "SELECT entity, entity_id, max(version) FROM change WHERE server_seq <= ?"
            " GROUP BY entity, entity_id",
            (cursor,),
        ).all()
        last = sconn.exec_driver_sql("SELECT max(server_seq) FROM change").scalar() or 0
    assert cursor <= last
    with db.reading() as session:
        conn = session.connection()
        for entity, entity_id, version in seen:
            if (entity, entity_id) in pending:
                continue
            params: tuple[str, ...]
            if entity in SYNCED_TABLES:
                sql, params = f"SELECT version FROM {entity} WHERE id = ?", (entity_id,)
            else:
                sql = "SELECT version FROM platform_inbox WHERE entity = ? AND entity_id = ?"
                params = (entity, entity_id)
            local = conn.exec_driver_sql(sql, params).scalar()
            assert local is not None and local >= version, (entity, entity_id)


def _crash_loop(server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path, kills: int) -> None:
    rng = random.Random(1234 + kills)
    keyring_file = tmp_path / "keyring.json"
    keyring.set_keyring(FileKeyring(keyring_file))
    a, other = make_db("a"), make_db("other")
    ea = engine_for(a, server, "crash-desk")
    eo = engine_for(other, server, "other-desk")
    ctx = seed_rows(a)
    ea.sync_once()
    eo.sync_once()
    a_path = Path(str(a.engine.url.database))
    a.close()
    for i in range(kills):
        child = _spawn(a_path, server.url, keyring_file, i)
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 1.5))  # a random point of its write/sync loop
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        add_row(other, "student", ctx)  # the other desk keeps working, so pulls have something to apply
        eo.sync_once()
        reopened = Database.open(a_path, migrate=False)
        try:
            _cursor_not_ahead(reopened, server)
        finally:
            reopened.close()
    final = Database.open(a_path, migrate=False)
    try:
        engine = SyncEngine(final, server.url)
        for _ in range(3):
            engine.sync_once()
        eo.sync_once()
        assert outbox(final) == 0 and problems(final) == []
        assert local_totals(final) == server_totals(server)
        assert counts(final) == counts(other)
        with server.engine.connect() as sconn:
            by_entity: dict[str, int] = dict(
                sconn.exec_driver_sql("SELECT entity, count(*) FROM entity_row GROUP BY entity").all()
            )
            top = sconn.exec_driver_sql(
                "SELECT max(version) FROM entity_row WHERE entity IN ('student', 'attendance', 'payment')"
            ).scalar()
        by_entity = {k: v for k, v in by_entity.items() if k in SYNCED_TABLES}
        assert {k: v for k, v in counts(final).items() if v} == by_entity  # no duplicates, nothing missing
        assert top == 1  # every insert applied exactly once
        assert counts(final)["attendance"] >= kills // 2  # the children did work before they were killed
    finally:
        final.close()


def test_sigkill_at_random_points_loses_and_doubles_nothing(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    _crash_loop(server, make_db, tmp_path, kills=20)


@pytest.mark.slow
def test_sigkill_many_times(server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path) -> None:
    _crash_loop(server, make_db, tmp_path, kills=100)
