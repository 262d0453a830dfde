"""Database fixtures shared by the reports, io, cli and demo tests: a migrated file per test, fast.

Migrating once per session and copying the file keeps each test's database private without paying for
Alembic every time.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database
from localdb.engine import open_engine


@pytest.fixture
def db_file(migrated_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "instdesk.sqlite3"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def db(db_file: Path) -> Iterator[Database]:
    database = Database(open_engine(db_file))
    yield database
    database.close()
