"""The core's handle on the local database: one engine, short transactions, storage errors translated.

Use cases take a ``Database`` and run their work in ``db.transaction()``; a failure rolls the whole
use case back, so nothing half-done is ever saved. Hot paths that write with prebuilt SQL on the driver's
own connection (roll call, the snapshot swap) use ``db.immediate()`` / ``db.write_transaction()``, the one
write primitive: ``BEGIN IMMEDIATE`` on a pooled connection. Every way in (``transaction``, ``reading``,
``connection``, ``immediate``) translates storage failures the same way (``translating``): a driver error,
bare or wrapped by SQLAlchemy, or a ``localdb`` storage error becomes a coded ``app.errors.StorageError``.
The desk code (prefix of receipt and contract numbers) and the audit writer live here too because every
writing use case needs them.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.dbkey import Encryption, KeyChoice, key_for
from app.errors import InstDeskError, StorageError
from app.permissions import Actor
from localdb import errors as dberrors
from localdb import fileguard
from localdb.checkpoint import WalCheckpointer
from localdb.cipher import driver_connection, driver_errors, is_encrypted_file
from localdb.engine import IMMEDIATE, open_engine, session_factory, translate_error, upgrade_if_needed
from localdb.fileguard import quick_check
from localdb.models import LocalSetting
from localdb.types import format_utc, utc_now

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
        "storage.read_only": "数据库文件 {path} 为只读，无法保存。请检查文件及所在文件夹的写入权限。",
        "storage.corrupt": (
            "数据库文件 {path} 已损坏。请关闭 InstDesk，用最近的备份替换该文件"
            "（instdesk restore 备份文件，或把备份复制为该文件）后重新打开。"
        ),
        "storage.corrupt_refused": (
            "数据库文件 {path} 已损坏（完整性检查未通过），为免损失扩大已禁止写入。"
            "请关闭 InstDesk，用最近的备份替换该文件（instdesk restore 备份文件，或把备份复制为该文件）"
            "后重新打开。"
        ),
        "storage.cannot_open": "无法打开数据库文件 {path}：请检查文件夹是否存在以及读写权限。",
        "storage.is_directory": "{path} 是一个文件夹，不是数据库文件。请指定数据库文件的路径。",
        "storage.no_folder": "数据库所在的文件夹 {folder} 不存在。请先创建该文件夹或换一个路径。",
        "storage.empty_file": (
            "{path} 是一个空文件（0 字节），不是 InstDesk 数据库，未打开。"
            "如果它本应是数据库，请从备份恢复；否则请删除它或换一个路径。"
        ),
        "storage.not_instdesk": "{path} 不是 InstDesk 数据库文件，未打开。请检查路径。",
        "storage.newer_schema": (
            "数据库 {path} 由更新版本的 InstDesk 创建（结构版本 {revision}），本程序无法打开。"
            "请升级 InstDesk 后再打开。"
        ),
        "storage.error": "数据库无法写入:{detail}",
        "desk.not_configured": "本机尚未设置前台编号,请先运行 instdesk init。",
    }
)

_STORAGE_CODES: dict[type[dberrors.StorageError], str] = {
    dberrors.StorageFull: "storage.full",
    dberrors.DatabaseLocked: "storage.locked",
    dberrors.ReadOnlyDatabase: "storage.read_only",
    dberrors.CorruptDatabase: "storage.corrupt",
    dberrors.CannotOpenDatabase: "storage.cannot_open",
    dberrors.NotInstDeskDatabase: "storage.not_instdesk",
    dberrors.NewerSchema: "storage.newer_schema",
}
#: file-check reasons (``localdb.fileguard``) with a message of their own
_REASON_CODES = {
    fileguard.IS_DIRECTORY: "storage.is_directory",
    fileguard.NO_FOLDER: "storage.no_folder",
    fileguard.EMPTY_FILE: "storage.empty_file",
}
#: files at most this big are checked (``PRAGMA quick_check``) before opening finishes; bigger ones in
#: the background (a quick check reads every page: ~1 s per few hundred MB)
CHECK_NOW_MAX_BYTES = 64 * 1024 * 1024
#: how long closing waits for a background check still running (the app should close promptly)
CLOSE_WAIT_SECONDS = 2.0


def storage_error(exc: dberrors.StorageError, path: str | Path | None = None) -> StorageError:
    """The core's coded error for a storage failure of ``localdb`` (``path``: the database file)."""
    code = _REASON_CODES.get(exc.detail or "") or _STORAGE_CODES.get(type(exc), "storage.error")
    shown = str(path) if path is not None else "（当前数据库）"
    folder = str(Path(path).parent) if path is not None else ""
    revision = getattr(exc, "revision", "")
    return StorageError(code, detail=str(exc.detail or exc), path=shown, folder=folder, revision=revision)


def storage_failure(exc: BaseException, path: str | Path | None = None) -> StorageError | None:
    """The coded error for a storage failure: a ``localdb`` storage error, or a driver error (either
    variant, bare from the raw connection or wrapped by SQLAlchemy) that is one; None for anything else."""
    if isinstance(exc, dberrors.StorageError):
        return storage_error(exc, path)
    found = translate_error(exc)
    return None if found is None else storage_error(found, path)


@contextmanager
def translating(path: str | Path | None = None) -> Iterator[None]:
    """Storage failures in the block come out as ``app.errors.StorageError`` (the one translation);
    everything else passes through unchanged."""
    try:
        yield
    except Exception as exc:
        failure = storage_failure(exc, path)
        if failure is None:
            raise
        raise failure from exc


class IntegrityGuard:
    """The outcome of ``PRAGMA quick_check`` on the open file; writes are refused once it found damage.

    Small files are checked while opening; big ones on a background thread, so start-up stays quick and
    writes are refused from the moment the damage is known (docs/file-safety.md).
    """

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._thread: threading.Thread | None = None

    def run(self, engine: Engine) -> None:
        self.problems = quick_check(engine)
        if self.problems:
            log.error("database failed its integrity check: %s", "; ".join(self.problems))

    def start(self, engine: Engine, *, background: bool) -> None:
        if not background:
            self.run(engine)
            return
        self._thread = threading.Thread(target=self.run, args=(engine,), name="quick-check", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background check to finish (``timeout`` seconds at most)."""
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def _check_before_open(path: str | Path) -> None:
    """Refuse a folder, a missing folder or a file that is not a database, before SQLite touches it."""
    try:
        fileguard.check_path(path)
    except dberrors.StorageError as exc:
        raise storage_error(exc, path) from exc


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
        self.integrity = IntegrityGuard()

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        migrate: bool = True,
        verify: bool = False,
        key: bytes | None | KeyFromKeyring = FROM_KEYRING,
    ) -> Database:
        """Open (and by default migrate to the newest schema) the database at ``path``.

        The migration runs only when the stored revision differs from the head (a cheap check): a full
        upgrade checks every foreign key, seconds on a million-row database. The key of an encrypted file
        comes from the OS keyring unless given (``key=None``: plain; bytes: that SQLCipher key). A folder,
        an empty or foreign file and a newer InstDesk's database are refused first. ``verify`` runs
        ``PRAGMA quick_check`` (in the background for big files); a damaged file then refuses writes.
        """
        _check_before_open(path)
        choice = _key_choice(path, key)
        try:
            engine = open_engine(path, key=choice.key)
            fileguard.check_schema(engine)
            db = cls(engine, choice.key, choice.encryption)
            if verify and str(path) != ":memory:":  # before anything below writes to the file
                db.integrity.start(engine, background=Path(path).stat().st_size > CHECK_NOW_MAX_BYTES)
            if migrate and not db.integrity.problems:
                upgrade_if_needed(engine)
                ensure_statistics(engine)
        except dberrors.StorageError as exc:
            raise _open_error(path, choice, exc) from exc
        except OSError as exc:  # creating the (private) file failed: a read-only or vanished folder
            raise storage_error(dberrors.CannotOpenDatabase(detail=str(exc)), path) from exc
        if str(path) != ":memory:":
            db.path = Path(path)
            db._checkpointer = WalCheckpointer(path, key=choice.key).start()
            weakref.finalize(db, db._checkpointer.stop)  # a Database dropped without close()
        return db

    def require_sound(self) -> None:
        """Refuse to write to a file whose integrity check found damage (it would spread)."""
        if self.integrity.problems:
            raise StorageError(
                "storage.corrupt_refused",
                path=str(self.path or self.engine.url.database),
                detail="; ".join(self.integrity.problems),
            )

    def close(self) -> None:
        """Close the file (again: nothing; the app closes it before a restore and once more on exit)."""
        if self.closed:
            return
        self.closed = True
        self.integrity.wait(CLOSE_WAIT_SECONDS)  # a long check of a big file is abandoned, not awaited
        if self._checkpointer is not None:
            self._checkpointer.stop()
        if not self.integrity.problems and not self.integrity.running:  # no statistics into a damaged file
            optimize(self.engine)
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any exception."""
        self.require_sound()
        with translating(self.path), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads (one snapshot); never commits."""
        with translating(self.path), self._sessions() as session:
            yield session

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A pooled connection outside any transaction, for what cannot run inside one (``ATTACH``,
        ``PRAGMA``s, the backup API); ``driver_connection(conn)`` is its DB-API connection."""
        with translating(self.path), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def immediate(self, conn: Connection | None = None) -> Iterator[Connection]:
        """The write primitive: one ``BEGIN IMMEDIATE`` transaction on ``conn`` (default: a pooled
        connection), committed on success and rolled back on any exception.

        The write lock is taken up front, so a concurrent writer makes this wait (busy timeout) instead of
        failing mid-transaction on a stale snapshot. Statements may go through SQLAlchemy or straight to the
        driver (``driver_connection(conn)``, the hot paths): both run in this transaction and both have
        their storage failures translated. A file that failed its integrity check refuses the write."""
        self.require_sound()
        with translating(self.path), ExitStack() as stack:
            if conn is None:
                conn = stack.enter_context(self.engine.connect())
            with conn.execution_options(**{IMMEDIATE: True}).begin():
                yield conn

    @contextmanager
    def write_transaction(self) -> Iterator[sqlite3.Connection]:
        """``immediate()`` handing out the driver's own connection, for prebuilt SQL on hot paths."""
        with self.immediate() as conn:
            yield driver_connection(conn)

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
    return storage_error(exc, path)


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


_AUDIT = (
    "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def audit(
    target: Session | sqlite3.Connection,
    actor: Actor,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    *,
    at: str | None = None,
    **detail: Any,
) -> None:
    """Record who did what, in the same transaction as the change (never identity numbers).

    ``target``: the use case's session, or the driver connection of ``write_transaction``; ``at``: the
    instant as stored (``format_utc``) when the caller already has it, else now."""
    text = json.dumps(detail, ensure_ascii=False, default=str, sort_keys=True) if detail else None
    params = (at or format_utc(utc_now()), actor.user_id, actor.username, action, entity, entity_id, text)
    if isinstance(target, Session):
        target.connection().exec_driver_sql(_AUDIT, params)
    else:
        target.execute(_AUDIT, params)
