"""Pragmas on every connection; storage failures become plain, actionable errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text

from localdb.engine import open_engine, session_factory, translate_error
from localdb.errors import CorruptDatabase, DatabaseLocked, ReadOnlyDatabase, StorageFull
from localdb.models import Campus, metadata
from tests.localdb.rows import Ctx


def test_pragmas_are_set_on_every_connection(engine: Engine) -> None:
    for _ in range(2):
        with engine.connect() as conn:
            pragmas = {
                p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "cache_size")
            }
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 2,
            "foreign_keys": 1,
            "busy_timeout": 5000,
            "cache_size": -65536,
        }


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
        conn.execute(text("INSERT INTO room (id, campus_id, name) VALUES ('r', 'missing', 'x')"))


def test_session_factory_keeps_objects_readable_after_commit(engine: Engine, ctx: Ctx) -> None:
    with session_factory(engine)() as session, session.begin():
        campus = session.get_one(Campus, ctx["campus"])
    assert campus.name == "本部"


def test_disk_full_becomes_storage_full(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        conn.commit()
        with pytest.raises(StorageFull) as info, conn.begin():
            for i in range(200):
                conn.execute(insert(metadata.tables["local_setting"]).values(key=f"k{i}", value="x" * 4000))
    assert "磁盘空间已满" in str(info.value)
    assert isinstance(info.value.__cause__, Exception)


def test_locked_database_becomes_database_locked(engine: Engine, db_path: Path) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=50")
            conn.commit()
            with pytest.raises(DatabaseLocked, match="占用"), conn.begin():
                conn.execute(text("INSERT INTO local_setting (key, value) VALUES ('a', 'b')"))
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_read_only_database_is_translated(db_path: Path) -> None:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.OperationalError) as info:
            conn.execute("INSERT INTO local_setting (key, value) VALUES ('a', 'b')")
    finally:
        conn.close()
    assert isinstance(translate_error(info.value), ReadOnlyDatabase)


def test_not_a_database_is_translated(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite" * 500)
    engine = open_engine(path)
    try:
        with pytest.raises(CorruptDatabase), engine.connect():
            pass
    finally:
        engine.dispose()


def test_other_errors_are_left_alone() -> None:
    assert translate_error(ValueError("x")) is None
    assert translate_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None


def test_writer_engine_takes_the_write_lock_up_front(db_path: Path) -> None:
    writer = open_engine(db_path, begin_immediate=True)
    try:
        with writer.begin():
            other = sqlite3.connect(db_path, timeout=0.05)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
    finally:
        writer.dispose()
