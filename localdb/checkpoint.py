"""Copies the WAL into the database file on a thread of its own, off the front desk's write path.

With SQLite's default auto-checkpoint, the commit that takes the WAL past 1,000 pages also copies them into
the database file and syncs it before returning: that roll call takes ~20 ms longer than the others (the
p95 of a 40-student roll call was 27-35 ms with it and 10-14 ms without, on the 50,000-student bench
database). Here a PASSIVE checkpoint runs every ``interval`` seconds on a separate connection; it blocks
neither readers nor the writer, and pages rewritten by several commits in between are copied once. The
connections keep a large auto-checkpoint as a backstop (``engine.WAL_BACKSTOP_PAGES``) for when this
thread falls behind a long burst of writes. Durability is unchanged: every commit syncs the WAL
(synchronous=FULL); a checkpoint only moves committed pages.

(The platform server has the same mechanism in ``platform_server/db.py``: client and server share no code.)
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from localdb.cipher import connect, driver_errors

log = logging.getLogger("localdb.checkpoint")
CHECKPOINT_INTERVAL_S = 0.2


class WalCheckpointer:
    """``start()`` once; ``stop()`` ends the thread and closes its connection (safe to call twice)."""

    def __init__(
        self, path: str | Path, interval: float = CHECKPOINT_INTERVAL_S, key: bytes | None = None
    ) -> None:
        self.path = Path(path)
        self.key = key  # an SQLCipher file's key (localdb/cipher.py)
        self.interval = interval
        self.checkpointed_frames = 0  # frames this thread copied into the database file (tests, logs)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint", daemon=True)

    def start(self) -> WalCheckpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stopped.wait(self.interval):
                try:
                    if conn is None:  # mode=rw: never create the file
                        uri = f"{self.path.resolve().as_uri()}?mode=rw"
                        conn = connect(uri, self.key, uri=True, check_same_thread=False)
                    busy, _log, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    if not busy and copied > 0:
                        self.checkpointed_frames += copied
                except driver_errors() as exc:  # removed, locked or not WAL yet: the next round retries
                    log.debug("checkpoint skipped: %s", exc)
        finally:
            if conn is not None:
                conn.close()
