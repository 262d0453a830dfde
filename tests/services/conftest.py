"""Fixtures for the use-case tests: a fresh migrated SQLite file per test and a small institution.

The schema is migrated once per run into a template file that each test copies (migrating per test
would dominate the run time); ``world`` builds, through the services themselves, the people, courses and
classes most tests need.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database
from tests.services.factory import World, build_world, math_sessions


@pytest.fixture
def blank_db(migrated_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A migrated database with nothing in it (not even the institution)."""
    path = tmp_path / "instdesk.db"
    shutil.copyfile(migrated_template, path)
    db = Database.open(path, migrate=False)
    yield db
    db.close()


@pytest.fixture
def world(blank_db: Database) -> World:
    """An institution (desk 'A1') with staff, two courses, two classes and three students."""
    return build_world(blank_db)


@pytest.fixture
def db(world: World) -> Database:
    return world.db


@pytest.fixture(scope="session")
def world_template(migrated_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """A built world with five weekly math lessons, in a file that property examples copy."""
    path = tmp_path_factory.mktemp("world-template") / "world.db"
    shutil.copyfile(migrated_template, path)
    db = Database.open(path, migrate=False)
    world = build_world(db)
    math_sessions(world, weeks=5)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path, world
