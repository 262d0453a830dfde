"""Online backups of the local database and restoring one; see docs/backup.md.

A backup is a consistent copy taken with SQLite's backup API while the desk keeps working (one read
snapshot; writers are not blocked in WAL mode). It is written under a temporary name, checked (``PRAGMA
quick_check`` and the InstDesk tables), then renamed, so a backup file that exists is a good one. Backups of
an encrypted database are encrypted with the same key (the SQLCipher backup copies encrypted pages).
Rotation keeps the newest backup of each of the last 7 days that have one and, before those, of each of 4
ISO weeks; anything else named like a backup of this database in the folder is deleted, nothing else is.

Restoring checks the backup the same way, refuses while another program has the database open, moves the
current file aside (``<name>-before-restore-<time>.sqlite3``, never deleted) and puts a copy of the backup
in its place. After a restore the sync engine re-sends what the platform has not acknowledged (same op ids:
the platform answers ``duplicate``) and pulls back what this desk synced after the backup was taken.

Training-material files live outside the database (``app.material_store``), so a backup takes them along:
every file the copied database refers to is copied (hash checked) into ``materials/`` inside the backup
folder — content-addressed, so each file is stored there once however many backups refer to it — and a
manifest ``<backup name>.materials.json`` lists them. Rotation deletes a backup's manifest with it and
then the files no remaining manifest lists. Restoring copies the restored database's files back into the
store beside the database (docs/backup.md, docs/materials.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from app.db import Database, get_setting, put_setting
from app.dbkey import load_key
from app.errors import InstDeskError
from app.material_store import blob_path, copy_blob
from localdb.cipher import connect, create_private_file, driver_connection, driver_errors, is_encrypted_file

BACKUP_DIR_KEY = "backup_dir"
#: set in a restored database (UTC ISO time): the next sync asks the platform where this device's numbering
#: stands before sending (sync/restored.py), then clears it
RESTORED_AT_KEY = "restored_at"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
#: a backup is due when the newest one is older than this (the app checks every hour)
BACKUP_INTERVAL = timedelta(days=1)
#: tables every InstDesk database has (the Alembic version and the desk's own settings and outbox)
_MARKER_TABLES = frozenset({"alembic_version", "local_setting", "sync_outbox", "student"})
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)\.backup\.sqlite3$")

InstDeskError.register(
    {
        "backup.unreadable": "备份文件 {path} 无法读取：{detail}",
        "backup.damaged": "备份文件 {path} 已损坏（完整性检查未通过：{detail}）",
        "backup.not_instdesk": "文件 {path} 不是 InstDesk 数据库",
        "backup.no_key": "备份文件 {path} 已加密，但系统密钥环中没有它的密钥",
        "backup.in_use": "数据库 {path} 正被其他程序（InstDesk 或同步）使用，请先关闭后再恢复",
        "backup.no_database": "数据库 {path} 不存在，没有可备份的数据",
        "backup.write_failed": "无法写入备份到 {path}：{detail}",
    }
)


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    aside: Path  # where the database that was replaced now is
    materials_restored: int = 0  # material files copied back into the store
    materials_missing: tuple[str, ...] = ()  # files the backup refers to but its folder lacks


#: the content-addressed store of material files inside a backup folder
BACKUP_MATERIALS = "materials"
MANIFEST_SUFFIX = ".materials.json"


def default_backup_dir(db_path: Path) -> Path:
    return db_path.resolve().parent / "backups"


def database_path(db: Database) -> Path:
    if db.path is None:
        raise InstDeskError("backup.no_database", path=":memory:")
    return db.path


def backup_dir(db: Database) -> Path:
    """The folder chosen in 设置 (stored in the database), else ``backups/`` beside the database."""
    with db.reading() as session:
        chosen = get_setting(session, BACKUP_DIR_KEY)
    return Path(chosen) if chosen else default_backup_dir(database_path(db))


def set_backup_dir(db: Database, directory: Path | None) -> None:
    with db.transaction() as session:
        put_setting(session, BACKUP_DIR_KEY, str(directory) if directory else None)


def backup_name(db_path: Path, taken_at: datetime) -> str:
    return f"{db_path.stem}-{taken_at.astimezone(UTC).strftime(_STAMP)}.backup.sqlite3"


def list_backups(directory: Path, db_path: Path) -> list[BackupFile]:
    """The backups of ``db_path`` in ``directory``, newest first."""
    if not directory.is_dir():
        return []
    found = []
    for entry in directory.iterdir():
        match = _NAME.match(entry.name)
        if match and match["stem"] == db_path.stem and entry.is_file():
            taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(entry, taken))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def last_backup(directory: Path, db_path: Path) -> BackupFile | None:
    backups = list_backups(directory, db_path)
    return backups[0] if backups else None


def is_due(directory: Path, db_path: Path, now: datetime) -> bool:
    newest = last_backup(directory, db_path)
    return newest is None or now - newest.taken_at >= BACKUP_INTERVAL


@dataclass(frozen=True)
class BackupOverview:
    """What 设置 → 备份 shows."""

    folder: Path
    last: BackupFile | None
    count: int
    encrypted: bool


def overview(db: Database) -> BackupOverview:
    folder = backup_dir(db)
    backups = list_backups(folder, database_path(db))
    return BackupOverview(folder, backups[0] if backups else None, len(backups), db.key is not None)


def backup_if_due(db: Database, now: datetime | None = None) -> BackupFile | None:
    """The scheduled backup: made when the newest one is a day old or there is none; else None."""
    moment = now or datetime.now(UTC)
    if not is_due(backup_dir(db), database_path(db), moment):
        return None
    return make_backup(db, now=moment)


# --- checking a file ---------------------------------------------------------------------------------


def _key_to_read(path: Path) -> bytes | None:
    if not is_encrypted_file(path):
        return None
    key = load_key()
    if key is None:
        raise InstDeskError("backup.no_key", path=str(path))
    return key


def verify_database_file(path: Path, key: bytes | None = None) -> None:
    """Refuse ``path`` unless it opens (encrypted: with ``key``, else the keyring's), passes ``PRAGMA
    quick_check`` and has InstDesk's tables. Read-only: the file is not changed."""
    if not path.is_file():
        raise InstDeskError("backup.unreadable", path=str(path), detail="文件不存在")
    use_key = key if key is not None and is_encrypted_file(path) else _key_to_read(path)
    try:
        conn = connect(f"{path.resolve().as_uri()}?mode=ro", use_key, uri=True)
        try:
            problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
            tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except driver_errors() as exc:
        if "not a database" in str(exc) and use_key is not None:
            raise InstDeskError("dbkey.wrong", path=str(path)) from exc
        raise InstDeskError("backup.unreadable", path=str(path), detail=str(exc)) from exc
    if problems != ["ok"]:
        raise InstDeskError("backup.damaged", path=str(path), detail="; ".join(problems[:3]))
    if not _MARKER_TABLES <= tables:
        raise InstDeskError("backup.not_instdesk", path=str(path))


# --- making a backup --------------------------------------------------------------------------------


def make_backup(db: Database, directory: Path | None = None, now: datetime | None = None) -> BackupFile:
    """Copy the open database ``db`` into ``directory`` (default: ``backup_dir``), check the copy, rotate."""
    db_path = database_path(db)
    taken_at = (now or datetime.now(UTC)).replace(microsecond=0)
    target_dir = directory or backup_dir(db)
    final = target_dir / backup_name(db_path, taken_at)
    partial = target_dir / f".{final.name}.partial"
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _copy_online(db, partial)
        verify_database_file(partial, db.key)
        _back_up_materials(db, partial, final)
        _fsync(partial)
        os.replace(partial, final)
    except OSError as exc:
        _discard(partial)
        raise InstDeskError("backup.write_failed", path=str(final), detail=str(exc)) from exc
    except BaseException:
        _discard(partial)
        raise
    rotate(target_dir, db_path, taken_at)
    return BackupFile(final, taken_at)


def live_materials_dir(db_path: Path) -> Path:
    """The material store of the database at ``db_path`` (``app.services.materials.materials_root``)."""
    return db_path.resolve().parent / "materials"


def referenced_files(path: Path, key: bytes | None) -> list[str]:
    """The material files a database file refers to (every stored file and every material's file)."""
    conn = connect(f"{path.resolve().as_uri()}?mode=ro", key, uri=True)
    try:
        tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"material", "material_file"} <= tables:
            return []  # a backup made before materials existed
        rows = conn.execute("SELECT sha256 FROM material_file UNION SELECT sha256 FROM material ORDER BY 1")
        return [str(r[0]) for r in rows]
    finally:
        conn.close()


def _back_up_materials(db: Database, copy: Path, final: Path) -> None:
    """Copy the files the database copy refers to into the backup folder's store; write the manifest.
    A file missing from the desk's own store is left out of the manifest (there is nothing to keep)."""
    hashes = referenced_files(copy, db.key)
    source, target = live_materials_dir(database_path(db)), final.parent / BACKUP_MATERIALS
    kept = [sha for sha in hashes if copy_blob(source, target, sha)]
    manifest = final.with_name(final.name + MANIFEST_SUFFIX)
    partial = manifest.with_name(f".{manifest.name}.partial")
    partial.write_text(json.dumps(kept), encoding="utf-8")
    _fsync(partial)
    os.replace(partial, manifest)


def _manifest(backup: Path) -> Path:
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _prune_materials(directory: Path, db_path: Path) -> None:
    """Delete files of the backup folder's store that no remaining backup's manifest lists."""
    store = directory / BACKUP_MATERIALS
    if not store.is_dir():
        return
    wanted: set[str] = set()
    for entry in directory.glob(f"*{MANIFEST_SUFFIX}"):
        try:
            wanted.update(json.loads(entry.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return  # an unreadable manifest: keep every file rather than lose one a backup needs
    for path in store.glob("??/*"):
        sha = path.parent.name + path.name
        if path.is_file() and sha not in wanted and not path.name.startswith("."):
            path.unlink(missing_ok=True)


def _discard(partial: Path) -> None:
    try:
        partial.unlink(missing_ok=True)
    except OSError:
        pass  # the folder itself is the problem: nothing was written


def _copy_online(db: Database, target: Path) -> None:
    """SQLite's backup API from a pooled connection into ``target``, in one step (one read snapshot)."""
    create_private_file(target)
    dest = connect(target, db.key)
    try:
        with db.connection() as conn:
            try:  # the copy's failures are the backup's (its file, its disk), not the database's
                driver_connection(conn).backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside it
            except driver_errors() as exc:
                raise InstDeskError("backup.write_failed", path=str(target), detail=str(exc)) from exc
    finally:
        dest.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rotate(directory: Path, db_path: Path, today: datetime) -> list[Path]:
    """Delete the backups that neither the daily nor the weekly rule keeps; returns the deleted files."""
    backups = list_backups(directory, db_path)
    keep = _kept(backups)
    deleted = []
    for backup in backups:
        if backup.path not in keep:
            backup.path.unlink(missing_ok=True)
            _manifest(backup.path).unlink(missing_ok=True)
            deleted.append(backup.path)
    if deleted:
        _prune_materials(directory, db_path)
    return deleted


def _kept(backups: Iterable[BackupFile]) -> set[Path]:
    """``backups`` newest first: the newest backup of each of the last ``KEEP_DAILY`` days that have one,
    then, among the older ones, the newest of each of ``KEEP_WEEKLY`` ISO weeks."""
    days: dict[date, Path] = {}
    weeks: dict[tuple[int, int], Path] = {}
    for backup in backups:
        day = backup.taken_at.date()
        if len(days) < KEEP_DAILY or day in days:
            days.setdefault(day, backup.path)
            continue
        year, week, _ = day.isocalendar()
        if len(weeks) < KEEP_WEEKLY or (year, week) in weeks:
            weeks.setdefault((year, week), backup.path)
    return set(days.values()) | set(weeks.values())


# --- restoring --------------------------------------------------------------------------------------


def restore(db_path: Path, backup: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the (closed) database at ``db_path`` by a copy of ``backup``; the current file is kept
    aside. Refused before anything changes if the backup does not check out or the database is in use."""
    backup = backup.resolve()
    verify_database_file(backup)
    restored, missing = _restore_materials(backup, live_materials_dir(db_path))
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP)
    incoming = db_path.with_name(f".{db_path.name}.restoring")
    aside = db_path.with_name(f"{db_path.stem}-before-restore-{stamp}{db_path.suffix}")
    shutil.copyfile(backup, incoming)
    os.chmod(incoming, 0o600)
    _fsync(incoming)
    try:
        if db_path.exists():
            refuse_if_in_use(db_path)
            _move_aside(db_path, aside)
        os.replace(incoming, db_path)
    finally:
        incoming.unlink(missing_ok=True)
    _mark_restored(db_path, stamp)
    return RestoreResult(backup, aside, restored, missing)


def _restore_materials(backup: Path, store: Path) -> tuple[int, tuple[str, ...]]:
    """Copy the backup's material files into the live store (before the database is replaced, so a
    restored database never points at a file the desk lacks when they are there); returns how many were
    copied and which the backup folder lacked (a database restored from elsewhere without its folder)."""
    copied, missing = 0, []
    source = backup.parent / BACKUP_MATERIALS
    for sha in referenced_files(backup, _key_to_read(backup)):
        if blob_path(store, sha).is_file():
            continue
        if copy_blob(source, store, sha):
            copied += 1
        else:
            missing.append(sha)
    return copied, tuple(missing)


def _mark_restored(db_path: Path, stamp: str) -> None:
    """Open the restored file (migrating a backup of an older version) and leave the mark for sync."""
    db = Database.open(db_path)
    try:
        with db.transaction() as session:
            put_setting(session, RESTORED_AT_KEY, stamp)
    finally:
        db.close()


def _move_aside(db_path: Path, aside: Path) -> None:
    """Move the database with its ``-wal`` and ``-shm`` (a WAL left beside the restored file would be
    replayed into it) to ``aside``."""
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    os.replace(db_path, aside)


def refuse_if_in_use(db_path: Path) -> None:
    """Refused while another connection has the file open: leaving WAL mode needs the only connection.

    A file that does not open at all (damaged, a lost key) is not in use: it is moved aside as it is.
    """
    try:
        conn = connect(db_path, _key_to_read(db_path))
    except InstDeskError:
        return
    try:
        conn.execute("PRAGMA busy_timeout=1000")
        mode = str(conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
    except driver_errors() as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise InstDeskError("backup.in_use", path=str(db_path)) from exc
        return
    finally:
        conn.close()
    if mode != "delete":
        raise InstDeskError("backup.in_use", path=str(db_path))
