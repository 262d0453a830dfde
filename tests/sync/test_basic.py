"""Two desks of one institution: what one pushes the other pulls; versions and the outbox settle."""

from __future__ import annotations

from collections.abc import Callable

from app.db import Database
from localdb.schema import SYNCED_TABLES
from tests.sync.helpers import (
    counts,
    engine_for,
    local_totals,
    outbox,
    problems,
    rows,
    scalar,
    seed_rows,
    server_totals,
)
from tests.sync.server import LiveServer


def test_a_new_desk_downloads_what_another_desk_pushed(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    ea = engine_for(a, server, "desk-a")
    seed_rows(a)
    queued = outbox(a)
    report = ea.sync_once()
    assert queued > 0 and report.pushed == queued
    assert outbox(a) == 0
    assert problems(a) == []
    assert scalar(a, "SELECT min(version) FROM student") == 1
    eb = engine_for(b, server, "desk-b")
    eb.sync_once()
    assert counts(b) == counts(a)
    for table in SYNCED_TABLES:
        assert rows(b, table) == rows(a, table), table
    assert problems(b) == []
    assert local_totals(a) == server_totals(server) == local_totals(b)
    assert outbox(b) == 0


def test_edits_of_one_row_spread_over_many_batches_apply_in_order_without_conflicts(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    """The next batch is claimed while one is on the wire: it must stop before another edit of a row
    whose earlier edit is still unanswered (that edit's base version is only known from the answer)."""
    a, b = make_db("a"), make_db("b")
    ea = engine_for(a, server, "desk-a", batch=2)
    ctx = seed_rows(a)
    ea.sync_once()
    student = ctx["student"]
    before = scalar(a, f"SELECT version FROM student WHERE id = '{student}'")
    for i in range(7):
        with a.transaction() as session:
            conn = session.connection()
            conn.exec_driver_sql("UPDATE student SET name = ? WHERE id = ?", (f"改名{i}", student))
            conn.exec_driver_sql("UPDATE campus SET name = ?", (f"校区{i}",))
    report = ea.sync_once()
    assert report.pushed == 14 and report.conflicts == 0
    assert problems(a) == [] and outbox(a) == 0
    assert scalar(a, f"SELECT version FROM student WHERE id = '{student}'") == before + 7
    engine_for(b, server, "desk-b").sync_once()
    assert rows(b, "student") == rows(a, "student")
    assert rows(b, "campus") == rows(a, "campus")
