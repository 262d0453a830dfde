"""Fixtures of the sync tests: a live reference server per test and migrated client databases."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.db import Database
from tests.sync.server import LiveServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path).start()
    yield live
    live.stop()


@pytest.fixture
def make_db(migrated_template: Path, tmp_path: Path) -> Iterator[Callable[[str], Database]]:
    opened: list[Database] = []

    def make(name: str) -> Database:
        path = tmp_path / f"{name}.db"
        shutil.copyfile(migrated_template, path)
        db = Database.open(path, migrate=False)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.close()
