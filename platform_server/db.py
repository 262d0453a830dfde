"""Engine, sessions and the one request-session dependency (docs/sync.md: commit before responding)."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from platform_server.scope import require_scopes


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


# Each connection still checkpoints by itself once the WAL holds this many pages (64 MiB): a backstop
# for when the WalCheckpointer thread falls behind a long burst of writes (SQLite's default is 1000).
WAL_BACKSTOP_PAGES = 16384
CHECKPOINT_INTERVAL_S = 0.1


class WalCheckpointer:
    """Copies the WAL into the database file on its own thread and connection, off the request path.

    With SQLite's default auto-checkpoint, the commit that pushes the WAL past 1000 pages copies them into
    the database file and fsyncs it before the request can answer: ~30 ms of a 500-op push, whose random-key
    index pages fill the WAL every batch. A PASSIVE checkpoint blocks neither readers nor the writer, and
    pages rewritten by several commits in between are copied once. Durability is unchanged by it:
    every commit syncs the WAL (synchronous=FULL), and the checkpoint only moves committed pages.
    """

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL_S) -> None:
        self.path = path
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint", daemon=True)

    def start(self) -> WalCheckpointer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self.stopped.wait(self.interval):
                try:
                    if conn is None:  # mode=rw: never create the file; wait until the engine has
                        uri = f"{Path(self.path).resolve().as_uri()}?mode=rw"
                        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:  # not created yet, or removed: the next round retries
                    continue
        finally:
            if conn is not None:
                conn.close()


def make_engine(url: str) -> Engine:
    """SQLite (WAL, one writer at a time via BEGIN IMMEDIATE) or PostgreSQL by URL."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
        )
        database = engine.url.database
        checkpointer = bool(database) and database != ":memory:" and "mode=memory" not in url

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL, not WAL's usual NORMAL: a client deletes an op as soon as its push is acknowledged,
            # so an acknowledged batch must survive a power loss too, or it would be lost for good.
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA cache_size=-65536")
            if checkpointer:
                cur.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # Take the write lock up front: a deferred transaction that later writes can fail with
            # SQLITE_BUSY_SNAPSHOT instead of waiting.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        if checkpointer:
            assert database is not None
            wal = WalCheckpointer(database).start()
            weakref.finalize(engine, wal.stop)
        return engine
    return create_engine(
        url,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; committed before the response is sent (dependency scope "function")."""
    factory: sessionmaker[Session] = request.app.state.rt.sessionmaker
    session = factory()
    require_scopes(session)  # a tenant query needs the caller's scope or a named unscoped escape
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
