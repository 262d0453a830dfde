"""SQLCipher: the encrypted variant of the local database file, and the raw connections both variants share.

An encrypted file is opened through the ``sqlcipher3`` driver (SQLite with SQLCipher 4 built in, a
self-contained wheel) with a 32-byte raw key (``PRAGMA key = "x'…'"``): a raw key skips SQLCipher's
passphrase derivation (256,000 PBKDF2 rounds, ~0.1 s per connection). A plain file keeps Python's own
``sqlite3``. Where the key comes from is not this module's business (``app/dbkey.py`` keeps it in the OS
keyring); here a key is just ``bytes`` or ``None`` (plain). See docs/encryption.md.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from sqlalchemy import Connection

KEY_BYTES = 32
#: the first 16 bytes of every plain SQLite database file; an SQLCipher file starts with random salt
PLAIN_HEADER = b"SQLite format 3\x00"
FILE_MODE = 0o600


def cipher_module() -> ModuleType:
    """``sqlcipher3.dbapi2`` with SQLCipher's own stderr logging switched off (a wrong key is reported by
    the caller as a coded error, not as ``ERROR CORE hmac check failed`` lines on the terminal)."""
    import sqlcipher3.dbapi2 as module  # type: ignore[import-untyped]

    if not getattr(module, "_instdesk_quiet", False):
        probe = module.connect(":memory:")
        probe.execute("PRAGMA cipher_log_level = NONE")  # process-wide setting
        probe.close()
        module._instdesk_quiet = True
    return cast(ModuleType, module)


def cipher_version() -> str:
    with opened(":memory:", b"\0" * KEY_BYTES) as conn:
        return str(conn.execute("PRAGMA cipher_version").fetchone()[0])


def driver_errors() -> tuple[type[Exception], ...]:
    """The driver error classes of both variants (``sqlcipher3``'s do not derive from ``sqlite3``'s)."""
    return (sqlite3.Error, cipher_module().Error)


def is_driver_error(exc: BaseException) -> bool:
    return isinstance(exc, driver_errors())


def key_pragma(key: bytes, schema: str = "main") -> str:
    prefix = "" if schema == "main" else f"{schema}."
    return f"PRAGMA {prefix}key = \"x'{key.hex()}'\""


def key_clause(key: bytes | None) -> str:
    """The ``KEY`` clause of ``ATTACH`` for a file of the given variant (``KEY ''`` attaches a plain file)."""
    return "KEY ''" if key is None else f"KEY \"x'{key.hex()}'\""


def sqlalchemy_url_password(key: bytes) -> str:
    """The key as the ``sqlite+pysqlcipher`` dialect's URL password: the dialect runs
    ``pragma key="<password>"``, which SQLCipher reads as a raw key when it is ``x'<hex>'``."""
    return f"x'{key.hex()}'"


def is_encrypted_file(path: str | Path) -> bool:
    """Whether ``path`` holds an SQLCipher database: a non-empty file without SQLite's plain header."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(PLAIN_HEADER))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return bool(head) and head != PLAIN_HEADER


def connect(path: str | Path, key: bytes | None, **kwargs: Any) -> sqlite3.Connection:
    """A raw DB-API connection to ``path``: ``sqlite3`` for a plain file, ``sqlcipher3`` keyed for an
    encrypted one. Both have the same API; the SQLCipher one is typed as ``sqlite3.Connection``."""
    kwargs.setdefault("isolation_level", None)
    if key is None:
        return cast(sqlite3.Connection, sqlite3.connect(path, **kwargs))
    conn = cast(sqlite3.Connection, cipher_module().connect(str(path), **kwargs))
    conn.execute(key_pragma(key))
    return conn


def driver_connection(conn: Connection) -> sqlite3.Connection:
    """The DB-API connection under a SQLAlchemy connection, of either variant."""
    raw = conn.connection.driver_connection
    if not isinstance(raw, sqlite3.Connection) and not isinstance(raw, cipher_module().Connection):
        raise TypeError(f"not an SQLite connection: {type(raw).__name__}")
    return cast(sqlite3.Connection, raw)


def create_private_file(path: str | Path) -> bool:
    """Create ``path`` empty with mode 0600 if it does not exist; True if it was created.

    SQLite gives the ``-wal`` and ``-shm`` files the mode of the database file, so they are 0600 too.
    """
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


@contextmanager
def opened(path: str | Path, key: bytes | None, **kwargs: Any) -> Iterator[sqlite3.Connection]:
    """``connect`` that closes the connection at the end of the block."""
    conn = connect(path, key, **kwargs)
    try:
        yield conn
    finally:
        conn.close()


def read_only_uri(path: str | Path) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro"


def export_encrypted(plain: str | Path, target: str | Path, key: bytes) -> None:
    """Write an encrypted copy of the plain database ``plain`` to the new file ``target`` (mode 0600)
    with ``sqlcipher_export`` (schema, rows, triggers; the ``user_version`` is copied by hand)."""
    create_private_file(target)
    conn = cast(sqlite3.Connection, cipher_module().connect(str(plain), isolation_level=None))
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted {key_clause(key)}", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
