"""Checks of a database file around opening it: is it an InstDesk database, of a schema we know, sound.

SQLite happily turns any path into a database: a 0-byte file becomes an empty one, a folder or a missing
folder fails deep inside the driver, a file from a newer InstDesk fails inside Alembic. These checks run
first and raise ``localdb.errors`` exceptions the layers above turn into one plain message
(docs/file-safety.md). ``quick_check`` is SQLite's own page-level check (``PRAGMA quick_check``), run on a
connection of the engine so it reads the file exactly as the application does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from localdb.engine import HEAD_REVISION, alembic_config, stored_revision
from localdb.errors import CannotOpenDatabase, NewerSchema, NotInstDeskDatabase, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
#: the smallest SQLite (and SQLCipher) page size: every database file is a whole number of pages
MIN_PAGE_SIZE = 512
#: reasons carried as ``detail`` of the exceptions, so the layer above can word each case
IS_DIRECTORY, NO_FOLDER, EMPTY_FILE, NOT_SQLITE, FOREIGN = (
    "directory",
    "no_folder",
    "empty",
    "not_sqlite",
    "foreign",
)
#: how many problems ``quick_check`` reports at most (the first ones say enough)
QUICK_CHECK_LIMIT = 5


def check_path(path: str | Path) -> None:
    """Refuse a path that is a folder, lies in a missing folder, or is an existing non-SQLite file (one
    without SQLite's header that could not be an encrypted database either).

    A path that does not exist yet is fine: opening it creates a new database.
    """
    if str(path) == ":memory:":
        return
    file = Path(path)
    if file.is_dir():
        raise CannotOpenDatabase(detail=IS_DIRECTORY)
    if not file.exists():
        if not file.parent.is_dir():
            raise CannotOpenDatabase(detail=NO_FOLDER)
        return
    if file.stat().st_size == 0:
        raise NotInstDeskDatabase(detail=EMPTY_FILE)
    try:
        with file.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError as exc:  # no permission to read it: SQLite could not open it either
        raise CannotOpenDatabase(detail=str(exc)) from exc
    if head != SQLITE_HEADER and file.stat().st_size % MIN_PAGE_SIZE:
        # Without SQLite's header it may still be an SQLCipher (encrypted) database, which is whole pages:
        # a size that is no multiple of the smallest page cannot be one (the key decides the rest)
        raise NotInstDeskDatabase(detail=NOT_SQLITE)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1"
        ).first()
    return found is not None


def known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this program's migrations (loads Alembic's script directory)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def check_schema(engine: Engine) -> None:
    """Refuse another program's SQLite file (tables but no Alembic revision) and a newer InstDesk's.

    A database without tables is a new one; one at an older known revision will be migrated.
    """
    revision = stored_revision(engine)
    if revision is None:
        if _has_tables(engine):
            raise NotInstDeskDatabase(detail=FOREIGN)
        return
    if revision != HEAD_REVISION and not known_revision(revision):
        raise NewerSchema(revision)


def quick_check(engine: Engine) -> list[str]:
    """SQLite's ``PRAGMA quick_check``: the problems found (empty when the file is sound).

    A file so damaged that the check itself fails reports the driver's message as its problem.
    """
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA quick_check({QUICK_CHECK_LIMIT})").fetchall()
    except (sqlite3.DatabaseError, DBAPIError, StorageError) as exc:
        return [str(getattr(exc, "detail", None) or exc)]
    return [str(r[0]) for r in rows if str(r[0]) != "ok"]
