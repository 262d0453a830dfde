"""Fixtures for localdb tests: a migrated database per test (copied from one migrated template)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete

from localdb.engine import open_engine
from localdb.models import metadata
from tests.localdb.rows import Ctx, seed


@pytest.fixture
def db_path(migrated_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "instdesk.db"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    engine = open_engine(db_path)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(engine: Engine) -> Ctx:
    """One row of every synced table (parents first); the outbox is emptied afterwards."""
    with engine.begin() as conn:
        ctx = seed(conn)
        conn.execute(delete(metadata.tables["sync_outbox"]))
    return ctx
