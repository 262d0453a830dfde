"""Storage failures on demand, for the tests of ``app.db``'s one error translation.

Two kinds: a real one, another connection holding the write lock (``write_lock_held``: SQLite answers
``SQLITE_BUSY`` once the busy timeout, shortened here, runs out), and an injected one, a driver
connection whose statements containing a given SQL fragment raise ``sqlite3.OperationalError`` with
SQLite's own message and result code (``failing``: "database or disk is full" as a full disk says it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pytest
from sqlalchemy import event

from app.db import Database
from tests.rawdb import raw_connect

DISK_FULL = "database or disk is full"
CANNOT_OPEN = "unable to open database"
CORRUPT = "database disk image is malformed"
SHORT_BUSY_MS = 50
#: SQLite's primary result codes of those messages (sqlite3.h)
_CODES = {DISK_FULL: 13, CANNOT_OPEN: 14, CORRUPT: 11}


class FaultyConnection(sqlite3.Connection):
    """A plain sqlite3 connection that fails the statements containing ``FaultyConnection.fragment``."""

    fragment: ClassVar[str | None] = None
    message: ClassVar[str] = DISK_FULL

    def _check(self, sql: str) -> None:
        if FaultyConnection.fragment is not None and FaultyConnection.fragment in sql:
            error = sqlite3.OperationalError(FaultyConnection.message)
            error.sqlite_errorcode = _CODES.get(FaultyConnection.message, 1)  # as SQLite's own errors carry
            raise error

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return super().executemany(sql, *args)


@contextmanager
def failing(
    monkeypatch: pytest.MonkeyPatch, db: Database, fragment: str, message: str = DISK_FULL
) -> Iterator[None]:
    """Plain-file driver connections opened from now on (``db``'s pool, and files opened with
    ``sqlite3.connect`` such as the snapshot's staging file) fail the statements containing ``fragment``
    within the block."""
    driver = db.engine.dialect.loaded_dbapi  # sqlite3's dbapi2 module for a plain file
    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", FaultyConnection)
        connection: sqlite3.Connection = real_connect(*args, **kwargs)
        return connection

    monkeypatch.setattr(driver, "connect", connect)
    monkeypatch.setattr(sqlite3, "connect", connect)
    db.engine.dispose()  # the pool's connections are opened again, through the factory
    FaultyConnection.fragment, FaultyConnection.message = fragment, message
    try:
        yield
    finally:
        FaultyConnection.fragment = None
        monkeypatch.setattr(driver, "connect", real_connect)
        monkeypatch.setattr(sqlite3, "connect", real_connect)
        db.engine.dispose()


@contextmanager
def write_lock_held(db: Database) -> Iterator[None]:
    """Another connection holds ``db``'s write lock; ``db``'s connections give up after 50 ms."""
    assert db.path is not None

    def short_busy(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout={SHORT_BUSY_MS}")

    event.listen(db.engine, "checkout", short_busy)
    other = raw_connect(db.path)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()
        event.remove(db.engine, "checkout", short_busy)
        db.engine.dispose()  # back to the usual busy timeout
