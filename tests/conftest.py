"""Suite-wide fixtures: offscreen Qt, private data/log directories and an in-memory keyring."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

# Before any Qt import: with no display, Qt would otherwise try xcb and abort the process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
import pytest
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in memory, so tests never touch the user's own."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


#: The local database key of the test "user": one per run, so the database files that session fixtures
#: create (encrypted, as new files are when a keyring can keep the key: app/dbkey.py) open in every test.
DATABASE_KEY = secrets.token_bytes(32)


def _with_database_key(backend: MemoryKeyring) -> MemoryKeyring:
    from app.dbkey import KEY_ENTRY, SERVICE

    backend.store[(SERVICE, KEY_ENTRY)] = DATABASE_KEY.hex()
    return backend


@pytest.fixture(scope="session", autouse=True)
def session_keyring() -> Iterator[MemoryKeyring]:
    """Session fixtures run before the per-test keyring: they get one too, never the user's own."""
    previous = keyring.get_keyring()
    backend = _with_database_key(MemoryKeyring())
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def memory_keyring(session_keyring: MemoryKeyring) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = _with_database_key(MemoryKeyring())
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest schema, migrated once per run; tests copy the file."""
    from localdb.engine import open_engine, upgrade_to_head

    path = tmp_path_factory.mktemp("migrated-template") / "template.sqlite3"
    engine = open_engine(path)
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data and log directories: nothing lands in the user's home."""
    root = tmp_path_factory.mktemp("instdesk-home")
    monkeypatch.setenv("INSTDESK_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("INSTDESK_LOG_DIR", str(root / "log"))
    return root
