"""The migrated schema equals the models, including the capture triggers."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from localdb.capture import current_triggers, installed_triggers
from localdb.engine import HEAD_REVISION, alembic_config, current_revision, open_engine, upgrade_to_head
from localdb.models import metadata
from localdb.schema import APPEND_ONLY_TABLES, LOCAL_TABLES, SYNCED_TABLES, TOMBSTONE_TABLES


def test_autogenerate_finds_no_difference(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_migrated_triggers_equal_the_generated_ones(engine: Engine) -> None:
    with engine.connect() as conn:
        assert installed_triggers(conn) == current_triggers()


def test_schema_lists_cover_every_table() -> None:
    assert set(SYNCED_TABLES) | set(LOCAL_TABLES) == set(metadata.tables)
    assert not set(SYNCED_TABLES) & set(LOCAL_TABLES)


def test_upgrade_is_idempotent_and_works_from_a_path(db_path: Path) -> None:
    upgrade_to_head(db_path)
    engine = open_engine(db_path)
    try:
        assert current_revision(engine) == HEAD_REVISION
        with engine.connect() as conn:
            assert conn.execute(text("SELECT enabled FROM sync_capture")).all() == [(1,)]
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
        assert installed_triggers(conn) == {}
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert installed_triggers(conn) == current_triggers()


def test_tombstone_and_append_only_lists_match_the_models() -> None:
    with_tombstone = {t for t in SYNCED_TABLES if "deleted_at" in metadata.tables[t].c}
    assert with_tombstone == TOMBSTONE_TABLES
    assert APPEND_ONLY_TABLES <= set(SYNCED_TABLES) - TOMBSTONE_TABLES


def test_synced_tables_are_in_foreign_key_order() -> None:
    seen: set[str] = set()
    for name in SYNCED_TABLES:
        parents = {fk.column.table.name for fk in metadata.tables[name].foreign_keys} - {name}
        assert parents & set(SYNCED_TABLES) <= seen, name
        seen.add(name)
