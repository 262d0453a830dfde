"""The background WAL checkpointer: commits stay small, the WAL is copied off the write path."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.db import Database
from localdb.checkpoint import WalCheckpointer
from localdb.engine import WAL_BACKSTOP_PAGES


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_committed_pages_are_copied_by_the_thread_and_close_stops_it(db_path: Path) -> None:
    db = Database.open(db_path)
    checkpointer = db._checkpointer
    assert checkpointer is not None
    with db.transaction() as session:
        conn = session.connection()
        setting = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        assert setting == WAL_BACKSTOP_PAGES  # the connection's own checkpoint is only a backstop
        conn.exec_driver_sql("CREATE TABLE scratch (n INTEGER, filler TEXT)")
    for n in range(20):
        with db.transaction() as session:
            session.connection().exec_driver_sql("INSERT INTO scratch VALUES (?, ?)", (n, "x" * 5000))
    assert _wait_for(lambda: checkpointer.checkpointed_frames > 0)
    db.close()
    assert not checkpointer._thread.is_alive()
    raw = Database.open(db_path)  # the file is whole: every committed row is there
    with raw.reading() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM scratch").scalar() == 20
    raw.close()


def test_a_missing_file_is_never_created_and_stop_is_idempotent(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    checkpointer = WalCheckpointer(missing, interval=0.01).start()
    time.sleep(0.1)
    checkpointer.stop()
    checkpointer.stop()
    assert not missing.exists()
    assert not checkpointer._thread.is_alive()
