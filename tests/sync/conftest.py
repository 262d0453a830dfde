"""Fixtures of the sync tests: a live reference server per test and migrated client databases."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.db import Database
from localdb.engine import open_engine, upgrade_to_head
from tests.sync.server import LiveServer


@pytest.fixture(scope="session")
def client_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sync-template") / "template.db"
    engine = open_engine(path)
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path).start()
    yield live
    live.stop()


@pytest.fixture
def make_db(client_template: Path, tmp_path: Path) -> Iterator[Callable[[str], Database]]:
    opened: list[Database] = []

    def make(name: str) -> Database:
        path = tmp_path / f"{name}.db"
        shutil.copyfile(client_template, path)
        db = Database.open(path, migrate=False)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()
