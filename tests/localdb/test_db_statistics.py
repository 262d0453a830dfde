"""Planner statistics of ``app.db``: an approximate ANALYZE when the big tables have none or grew tenfold,
nothing otherwise, and never an error on a file that cannot be written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from app.db import Database, ensure_statistics, optimize
from tests.localdb.rows import Ctx


def _analyzed(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
        return {str(r[0]) for r in conn.execute(text("SELECT tbl FROM sqlite_stat1"))} if exists else set()


def test_tables_with_rows_get_statistics_once(engine: Engine, ctx: Ctx) -> None:
    assert ensure_statistics(engine) is True
    assert {"student", "contract", "attendance", "lesson_session"} <= _analyzed(engine)
    assert ensure_statistics(engine) is False  # up to date: nothing to do


def test_an_empty_database_needs_none(engine: Engine) -> None:
    assert ensure_statistics(engine) is False
    assert _analyzed(engine) == set()


def test_a_table_that_grew_tenfold_is_analyzed_again(engine: Engine, ctx: Ctx) -> None:
    ensure_statistics(engine)
    with engine.begin() as conn:  # the statistics saw one contract; pretend it was long ago
        conn.execute(text("UPDATE sqlite_stat1 SET stat = '1 1' WHERE tbl = 'student'"))
        conn.execute(text("UPDATE student SET rowid = 5000 WHERE rowid = (SELECT max(rowid) FROM student)"))
    assert ensure_statistics(engine) is True
    with engine.connect() as conn:
        stat = conn.execute(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'student' LIMIT 1")).scalar()
    assert stat is not None and stat != "1 1"


def test_open_and_close_run_them_and_a_read_only_file_is_no_error(db_path: Path, ctx: Ctx) -> None:
    db = Database.open(db_path)
    assert "contract" in _analyzed(db.engine)
    db.close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TABLE sqlite_stat1")
    readonly = create_engine(f"sqlite+pysqlite:///file:{db_path}?mode=ro&uri=true")
    try:
        assert ensure_statistics(readonly) is False  # cannot write: keeps its plans, no error
        optimize(readonly)
    finally:
        readonly.dispose()
