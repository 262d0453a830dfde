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
    report = ea.sync_once()
    assert report.pushed == outbox_before(a) or report.pushed > 0
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


def outbox_before(db: Database) -> int:
    return 0
