"""The cheap revision check of ``Database.open``: the head constant equals Alembic's head, an up-to-date
database is opened without running Alembic, and an outdated one is still migrated."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

import localdb.engine as engine_module
from app.db import Database
from localdb.engine import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    is_at_head,
    open_engine,
    stored_revision,
    upgrade_if_needed,
)


def test_head_constant_equals_alembics_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [HEAD_REVISION], "a migration was added: update localdb.engine.HEAD_REVISION"


def test_stored_revision_reads_the_version_table(engine: Engine) -> None:
    assert stored_revision(engine) == current_revision(engine) == HEAD_REVISION
    assert is_at_head(engine)


def test_empty_database_has_no_revision(tmp_path: Path) -> None:
    engine = open_engine(tmp_path / "empty.db")
    try:
        assert stored_revision(engine) is None
        assert not is_at_head(engine)
    finally:
        engine.dispose()


def test_up_to_date_database_skips_the_migration(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_engine: object) -> None:
        raise AssertionError("upgrade_to_head must not run on an up-to-date database")

    monkeypatch.setattr(engine_module, "upgrade_to_head", fail)
    assert upgrade_if_needed(engine) is False


def test_outdated_database_is_migrated(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(engine_module, "upgrade_to_head", calls.append)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert upgrade_if_needed(engine) is True
    assert calls == [engine]


def test_database_open_migrates_a_new_file(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "new.db")
    try:
        assert current_revision(db.engine) == HEAD_REVISION
    finally:
        db.close()
