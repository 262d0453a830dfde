"""Faults between client and server: after each one the next cycle converges, every op exactly once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.db import Database
from localdb.schema import SYNCED_TABLES
from sync import state
from sync.errors import SyncError
from tests.sync.faults import FaultTransport
from tests.sync.helpers import (
    add_row,
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

PUSH_FAULTS = [
    "reset_before", "timeout_before", "503_before", "drop_after", "timeout_after", "reset_after", "502_after",
    "truncated_after", "bad_json_after", "missing_fields_after",
]  # fmt: skip
PULL_FAULTS = [
    "drop_after",
    "timeout_after",
    "502_after",
    "truncated_after",
    "bad_json_after",
    "reset_before",
]


def _populate(db: Database, lessons: int = 30) -> None:
    ctx = seed_rows(db)
    for _ in range(lessons):
        student = add_row(db, "student", ctx)
        session = add_row(db, "lesson_session", ctx)
        add_row(db, "attendance", {**ctx, "lesson_session": session, "attendance_student": student})


def _converged(server: LiveServer, *dbs: Database) -> None:
    first = dbs[0]
    for db in dbs:
        assert outbox(db) == 0
        assert problems(db) == []
        assert local_totals(db) == server_totals(server)
        assert counts(db) == counts(first)
        for table in SYNCED_TABLES:
            assert rows(db, table) == rows(first, table), table
    # exactly once: every row was inserted once on the server (version 1) and every op recorded once
    assert scalar(first, "SELECT max(version) FROM attendance") == 1
    with server.engine.connect() as conn:
        versions = conn.exec_driver_sql(
            "SELECT count(*), max(version) FROM entity_row WHERE entity = 'attendance'"
        ).one()
        applied = conn.exec_driver_sql("SELECT count(*) FROM applied_op").scalar()
    assert tuple(versions) == (counts(first)["attendance"], 1)
    assert applied == sum(counts(first).values())


@pytest.mark.parametrize("kind", PUSH_FAULTS)
def test_push_fault_then_next_cycle_converges(
    kind: str, server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults, batch=40)
    _populate(a)
    faults.arm("/v1/sync/push", kind, skip=1)  # the second batch fails
    with pytest.raises(SyncError) as err:
        ea.sync_once()
    assert err.value.transient
    assert ea.status.snapshot().last_error_code == err.value.code
    ea.sync_once()
    engine_for(b, server, "b").sync_once()
    _converged(server, a, b)


@pytest.mark.parametrize("kind", PULL_FAULTS)
def test_pull_fault_then_next_cycle_converges(
    kind: str, server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    ea = engine_for(a, server, "a")
    faults = FaultTransport()
    eb = engine_for(b, server, "b", faults, page_limit=20)
    eb.sync_once()  # b has a cursor: what follows comes through the feed
    _populate(a)
    ea.sync_once()
    faults.arm("/v1/sync/changes", kind, skip=2)
    with pytest.raises(SyncError):
        eb.sync_once()
    with b.reading() as session:
        cursor = state.get_int(session.connection(), state.CURSOR)
    assert 0 < cursor  # pages before the fault are kept, with their cursor
    eb.sync_once()
    _converged(server, a, b)


def test_401_mid_batch_refreshes_once_and_resends_the_same_batch(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults, batch=25)
    _populate(a)
    faults.arm("/v1/sync/push", "401_before", skip=2)
    ea.sync_once()
    assert faults.fired == ["401_before"]
    _converged(server, a)


def test_seq_gap_is_renumbered_and_converges(server: LiveServer, make_db: Callable[[str], Database]) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a", batch=30)
    _populate(a, lessons=10)
    ea.sync_once()
    ctx = seed_rows(a)
    add_row(a, "student", ctx)
    with a.transaction() as session:  # as if ops the server never saw had been answered (a restored backup)
        state.put(session.connection(), state.NEXT_SEQ, 500)
    ea.sync_once()
    _converged(server, a)


def test_reset_required_downloads_a_snapshot_and_keeps_the_outbox(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    ea, eb = engine_for(a, server, "a"), engine_for(b, server, "b")
    eb.sync_once()
    _populate(a, lessons=10)
    ea.sync_once()
    server.prune_all()
    ctx = seed_rows(b)  # offline work on b, not yet pushed when the reset happens
    stale = add_row(b, "student", ctx)
    report = eb.sync_once()
    assert report.reset or report.snapshot_rows > 0
    assert scalar(b, f"SELECT count(*) FROM student WHERE id = '{stale}'") == 1
    ea.sync_once()
    _converged(server, a, b)


def test_incompatible_server_is_a_plain_error_not_a_crash(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults)
    _populate(a, lessons=3)
    faults.arm("/v1/meta", "incompatible")
    with pytest.raises(SyncError) as err:
        ea.sync_once()
    assert err.value.code == "sync.incompatible" and not err.value.transient
    assert "升级" in str(err.value)
    assert outbox(a) > 0  # nothing was sent to a server we cannot speak to
    ea.sync_once()
    _converged(server, a)
