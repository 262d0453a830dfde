"""Engine, sessions and migrations of the local SQLite database (docs/architecture.md, Storage).

Every connection gets these pragmas (WAL, synchronous=FULL, foreign keys, busy timeout, a large
page cache). Transactions are begun explicitly with ``BEGIN`` (the sqlite3 module's own implicit
transactions are switched off) so reads inside a transaction see one snapshot and SAVEPOINTs work.
SQLite errors a person can act on (disk full, locked, read-only, corrupt) are raised as
``localdb.errors`` exceptions with a Chinese message instead of driver errors.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from localdb.cipher import create_private_file, driver_connection, is_driver_error, sqlalchemy_url_password
from localdb.errors import (
    CannotOpenDatabase,
    CorruptDatabase,
    DatabaseLocked,
    ReadOnlyDatabase,
    StorageError,
    StorageFull,
)

if TYPE_CHECKING:  # Alembic is imported only when a migration runs (~0.3 s of start-up otherwise)
    from alembic.config import Config

# The newest migration's revision id. Opening a database compares the stored revision with this string
# instead of loading Alembic's script directory (tests/localdb/test_migrations_head.py keeps it equal to
# Alembic's head): add a migration → update this constant.
HEAD_REVISION = "0015_evaluation_tally"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
CACHE_SIZE_KIB = 65536  # 64 MiB page cache: random-key inserts ~2x faster (docs/architecture.md)
BUSY_TIMEOUT_MS = 5000
# Each connection still checkpoints by itself once the WAL holds this many pages (32 MiB): a backstop for
# when the background checkpointer (localdb/checkpoint.py) falls behind; SQLite's default is 1000.
WAL_BACKSTOP_PAGES = 8192

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    f"PRAGMA cache_size=-{CACHE_SIZE_KIB}",
    "PRAGMA temp_store=MEMORY",
    f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}",
)

# Primary SQLite result codes (sqlite3.h) → our exceptions.
_BY_CODE: dict[int, type[StorageError]] = {
    13: StorageFull,  # SQLITE_FULL
    5: DatabaseLocked,  # SQLITE_BUSY
    6: DatabaseLocked,  # SQLITE_LOCKED
    8: ReadOnlyDatabase,  # SQLITE_READONLY
    11: CorruptDatabase,  # SQLITE_CORRUPT
    14: CannotOpenDatabase,  # SQLITE_CANTOPEN
    26: CorruptDatabase,  # SQLITE_NOTADB
}


def translate_error(exc: BaseException) -> StorageError | None:
    """The ``StorageError`` for a sqlite3 error (possibly wrapped by SQLAlchemy), or None if not one."""
    orig = getattr(exc, "orig", exc)
    if not is_driver_error(orig):
        return None
    code = getattr(orig, "sqlite_errorcode", None)
    kind = _BY_CODE.get(code & 0xFF) if isinstance(code, int) else None
    if kind is None:
        kind = _kind_from_message(str(orig))
    return None if kind is None else kind(detail=str(orig))


def _kind_from_message(message: str) -> type[StorageError] | None:
    lowered = message.lower()
    if "disk is full" in lowered:
        return StorageFull
    if "database is locked" in lowered or "database table is locked" in lowered:
        return DatabaseLocked
    if "readonly" in lowered or "read-only" in lowered:
        return ReadOnlyDatabase
    if "not a database" in lowered or "malformed" in lowered:
        return CorruptDatabase
    if "unable to open database file" in lowered:
        return CannotOpenDatabase
    return None


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    try:
        for pragma in PRAGMAS:
            dbapi_connection.execute(pragma)
    except Exception as exc:
        if not is_driver_error(exc):
            raise
        translated = translate_error(exc)
        if translated is None:
            raise
        raise translated from exc


#: execution option of a connection whose next transaction takes the write lock up front (``BEGIN
#: IMMEDIATE``) whatever the engine's default; ``app.db.Database.immediate`` sets it
IMMEDIATE = "instdesk_begin_immediate"


def _begin_with(statement: str) -> Any:
    def on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else statement)

    return on_begin


def _on_error(context: ExceptionContext) -> BaseException | None:
    translated = translate_error(context.original_exception)
    if translated is not None:
        translated.__cause__ = context.original_exception
    return translated


def open_engine(
    path: str | Path, *, echo: bool = False, begin_immediate: bool = False, key: bytes | None = None
) -> Engine:
    """An engine on the SQLite file at ``path`` (created if missing, mode 0600) with the project's pragmas.

    ``begin_immediate=True`` is for the single writer: its transactions take the write lock up front, so
    a concurrent writer makes it wait (busy timeout) instead of failing mid-transaction on a stale snapshot.
    ``key`` opens (or creates) an SQLCipher-encrypted file (``localdb/cipher.py``).
    """
    if str(path) != ":memory:":
        create_private_file(path)
    # LIFO: the database worker keeps reusing its warm connection (each holds up to 64 MiB of page cache)
    # (the pysqlcipher dialect would pick a thread-local pool: keep the same pool as a plain file)
    pool: dict[str, Any] = {} if key is None else {"poolclass": QueuePool}
    engine = create_engine(_url(path, key), echo=echo, pool_use_lifo=True, **pool)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _begin_with("BEGIN IMMEDIATE" if begin_immediate else "BEGIN"))
    event.listen(engine, "handle_error", _on_error)
    return engine


def _url(path: str | Path, key: bytes | None) -> URL:
    if key is None:
        return URL.create("sqlite+pysqlite", database=str(path))
    return URL.create("sqlite+pysqlcipher", password=sqlalchemy_url_password(key), database=str(path))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (workers copy them into plain dataclasses)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations; needs no alembic.ini (works when frozen)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_to_head(engine_or_path: Engine | str | Path) -> None:
    """Migrate the database to the newest schema in one transaction.

    Foreign keys are off during the migration (batch table rebuilds need it) and checked before commit.
    """
    from alembic import command

    engine = engine_or_path if isinstance(engine_or_path, Engine) else open_engine(engine_or_path)
    try:
        with engine.connect() as conn:
            raw = driver_connection(conn)
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    config = alembic_config()
                    config.attributes["connection"] = conn
                    command.upgrade(config, "head")
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")
    finally:
        if engine is not engine_or_path:
            engine.dispose()


def stored_revision(engine: Engine) -> str | None:
    """The revision in ``alembic_version`` read with one plain query (None: no table, or several heads)."""
    with engine.connect() as conn:
        raw = driver_connection(conn)
        exists = raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        rows = raw.execute("SELECT version_num FROM alembic_version").fetchall() if exists else []
    return str(rows[0][0]) if len(rows) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """Whether the database is already at ``HEAD_REVISION`` (cheap: no Alembic, no foreign-key scan)."""
    return stored_revision(engine) == HEAD_REVISION


def upgrade_if_needed(engine: Engine) -> bool:
    """Run ``upgrade_to_head`` only when the stored revision differs from the head; True if it ran.

    A full ``upgrade_to_head`` also checks every foreign key of the database, which takes seconds on a
    million attendance rows, so opening an up-to-date database must not call it.
    """
    if is_at_head(engine):
        return False
    upgrade_to_head(engine)
    return True


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
