"""The core's handle on the local database: one engine, short transactions, storage errors translated.

Use cases take a ``Database`` and run their work in ``db.transaction()``; a failure rolls the whole
use case back, so nothing half-done is ever saved. The desk code (prefix of receipt and contract
numbers) and audit records live here too because every writing use case needs them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.dbkey import Encryption, KeyChoice, key_for
from app.errors import InstDeskError, StorageError
from app.permissions import Actor
from localdb import errors as dberrors
from localdb.checkpoint import WalCheckpointer
from localdb.cipher import driver_connection, driver_errors, is_encrypted_file
from localdb.engine import open_engine, session_factory, upgrade_if_needed
from localdb.models import AuditLog, LocalSetting

DESK_CODE_KEY = "desk_code"
# Rows ANALYZE samples per index: approximate statistics in ~20 ms on a million-row file (a full ANALYZE
# reads every index, seconds); enough for the planner to prefer a student index over a course index.
ANALYSIS_LIMIT = 400
# Tables whose plans go wrong without statistics (roll call's packages query scanned a whole course's
# contracts, 40 ms instead of 1 ms, on the 50k-student benchmark database).
_PLANNED_TABLES = ("contract", "attendance", "ledger_entry", "klass_member", "lesson_session", "student")
log = logging.getLogger("app.db")

InstDeskError.register(
    {
        "storage.full": "磁盘空间已满，数据未保存。请清理磁盘空间后重试。",
        "storage.locked": "数据库正被其他程序占用，请稍后重试。",
        "storage.read_only": "数据库文件为只读，无法保存。请检查文件及所在文件夹的写入权限。",
        "storage.corrupt": "数据库文件已损坏或不是 InstDesk 数据库。请从备份恢复。",
        "storage.error": "数据库无法写入:{detail}",
        "desk.not_configured": "本机尚未设置前台编号,请先运行 instdesk init。",
    }
)

_STORAGE_CODES: dict[type[dberrors.StorageError], str] = {
    dberrors.StorageFull: "storage.full",
    dberrors.DatabaseLocked: "storage.locked",
    dberrors.ReadOnlyDatabase: "storage.read_only",
    dberrors.CorruptDatabase: "storage.corrupt",
}


def storage_error(exc: dberrors.StorageError) -> StorageError:
    """The core's coded error for a storage failure of ``localdb``."""
    code = _STORAGE_CODES.get(type(exc), "storage.error")
    return StorageError(code, detail=str(exc))


class KeyFromKeyring:
    """``Database.open``'s default: take the key by what the file is (``app.dbkey.key_for``)."""


FROM_KEYRING = KeyFromKeyring()


class Database:
    """One local database file: its engine, a session factory, and the desk's identity."""

    def __init__(
        self, engine: Engine, key: bytes | None = None, encryption: Encryption = Encryption.PLAIN
    ) -> None:
        self.engine = engine
        self.key = key  # the SQLCipher key of an encrypted file (app/dbkey.py), None for a plain one
        self.encryption = encryption
        self.path: Path | None = None
        self._sessions: sessionmaker[Session] = session_factory(engine)
        self._checkpointer: WalCheckpointer | None = None
        self.closed = False

    @classmethod
    def open(
        cls, path: str | Path, *, migrate: bool = True, key: bytes | None | KeyFromKeyring = FROM_KEYRING
    ) -> Database:
        """Open (and by default migrate to the newest schema) the database at ``path``.

        The migration runs only when the stored revision differs from the head (a cheap check): a full
        upgrade checks every foreign key, seconds on a million-row database. The key of an encrypted file
        comes from the OS keyring unless given (``key=None``: plain; bytes: that SQLCipher key).
        """
        choice = _key_choice(path, key)
        try:
            engine = open_engine(path, key=choice.key)
            if migrate:
                upgrade_if_needed(engine)
                ensure_statistics(engine)
        except dberrors.StorageError as exc:
            raise _open_error(path, choice, exc) from exc
        db = cls(engine, choice.key, choice.encryption)
        if str(path) != ":memory:":
            db.path = Path(path)
            db._checkpointer = WalCheckpointer(path, key=choice.key).start()
            weakref.finalize(db, db._checkpointer.stop)  # a Database dropped without close()
        return db

    def close(self) -> None:
        """Close the file (again: nothing; the app closes it before a restore and once more on exit)."""
        if self.closed:
            return
        self.closed = True
        if self._checkpointer is not None:
            self._checkpointer.stop()
        optimize(self.engine)
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any exception."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except dberrors.StorageError as exc:
            raise storage_error(exc) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads (one snapshot); never commits."""
        try:
            with self._sessions() as session:
                yield session
        except dberrors.StorageError as exc:
            raise storage_error(exc) from exc

    def desk_code(self) -> str:
        with self.reading() as session:
            code = get_setting(session, DESK_CODE_KEY)
        if not code:
            raise InstDeskError("desk.not_configured")
        return code


def _key_choice(path: str | Path, key: bytes | None | KeyFromKeyring) -> KeyChoice:
    if isinstance(key, KeyFromKeyring):
        return KeyChoice(None, Encryption.PLAIN) if str(path) == ":memory:" else key_for(path)
    return KeyChoice(key, Encryption.PLAIN if key is None else Encryption.ENCRYPTED)


def _open_error(path: str | Path, choice: KeyChoice, exc: dberrors.StorageError) -> InstDeskError:
    """A key that does not decrypt the file reads as "not a database": say it is the key."""
    if choice.key is not None and isinstance(exc, dberrors.CorruptDatabase) and is_encrypted_file(path):
        return InstDeskError("dbkey.wrong", path=str(path))
    return storage_error(exc)


def _stale_statistics(raw: sqlite3.Connection) -> list[str]:
    """The big tables with rows but no statistics, or with ten times the rows their statistics saw."""
    has_stats = raw.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).fetchone()
    present = {str(r[0]) for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    stale = []
    for table in _PLANNED_TABLES:
        if table not in present:
            continue
        rows = raw.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0] or 0  # O(log n) estimate
        stat = (
            raw.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)).fetchone()
            if has_stats
            else None
        )
        seen = int(str(stat[0]).split()[0]) if stat else 0
        if rows and (stat is None or rows > 10 * max(seen, 100)):
            stale.append(table)
    return stale


def ensure_statistics(engine: Engine) -> bool:
    """Give the query planner statistics for the big tables that have rows but none yet, or that grew
    tenfold since (an approximate ANALYZE of those tables); True if it ran. Best effort: a read-only or
    busy file just keeps its plans."""
    try:
        with engine.connect() as conn:
            raw = driver_connection(conn)
            missing = _stale_statistics(raw)
            if not missing:
                return False
            raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            for table in missing:
                raw.execute(f'ANALYZE "{table}"')
            return True
    except _best_effort_errors() as exc:
        log.info("no planner statistics (%s)", exc)
        return False


def _best_effort_errors() -> tuple[type[Exception], ...]:
    return (*driver_errors(), DBAPIError, dberrors.StorageError)


def optimize(engine: Engine) -> None:
    """``PRAGMA optimize`` before closing (SQLite's advice): re-analyzes tables that grew a lot."""
    try:
        with engine.connect() as conn:
            raw = driver_connection(conn)
            raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            raw.execute("PRAGMA optimize")
    except _best_effort_errors() as exc:
        log.info("PRAGMA optimize skipped (%s)", exc)


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))


def put_setting(session: Session, key: str, value: str | None) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


def audit(
    session: Session,
    actor: Actor,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    **detail: Any,
) -> None:
    """Record who did what, in the same transaction as the change (never identity numbers)."""
    session.add(
        AuditLog(
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None,
        )
    )
