"""Poison ops, clock skew, short-lived tokens, platform inbox, keyring and status behaviour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import keyring
import pytest
from keyring.backends import fail

from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.services.inbox import acknowledge
from sync.credentials import SERVICE, TokenStore, usable_keyring
from sync.engine import SyncEngine
from sync.errors import SyncError
from sync.status import SyncStatus
from tests.sync.faults import FaultTransport
from tests.sync.helpers import (
    add_row,
    counts,
    engine_for,
    local_totals,
    outbox,
    problems,
    scalar,
    seed_rows,
    server_totals,
)
from tests.sync.server import PASSWORD, USCC, LiveServer


def test_a_poison_op_becomes_a_problem_and_the_queue_goes_on(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a", batch=10)
    ctx = seed_rows(a)
    for _ in range(12):
        add_row(a, "student", ctx)
    with a.transaction() as session:  # an op the server must refuse (payments are append-only)
        session.connection().exec_driver_sql(
            "INSERT INTO sync_outbox (op_id, entity, entity_id, op, payload, base_version, schema_version)"
            " VALUES ('poison-op', 'payment', ?, 'update', '{}', 1, 1)",
            (ctx["payment"],),
        )
    for _ in range(12):
        add_row(a, "student", ctx)
    report = ea.sync_once()
    assert report.rejected == 1
    assert outbox(a) == 0
    [(entity, _id, kind, reason)] = problems(a)
    assert (entity, kind) == ("payment", "rejected") and "append-only" in reason
    assert ea.status.snapshot().problems == 1
    assert local_totals(a) == server_totals(server)
    assert scalar(a, "SELECT count(*) FROM student WHERE version = 0") == 0


def test_a_clock_a_day_off_is_reported_and_changes_nothing(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    server.advance(days=1)
    ea = engine_for(a, server, "a")
    eb = SyncEngine(b, server.url, now=lambda: dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    eb.login(USCC, PASSWORD, "b")
    seed_rows(a)
    ea.sync_once()
    report = eb.sync_once()
    assert report.clock_skew_seconds is not None and report.clock_skew_seconds > 86_000
    assert eb.status.snapshot().clock_skewed and ea.status.snapshot().clock_skewed
    assert counts(a) == counts(b) and problems(b) == []
    assert local_totals(b) == server_totals(server)


def test_a_30_second_token_lifetime_does_not_stop_a_long_sync(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    server.set_access_ttl(30)
    a = make_db("a")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults, batch=20)
    ctx = seed_rows(a)
    for _ in range(100):
        add_row(a, "student", ctx)

    def time_passes(request: httpx.Request) -> None:
        if request.url.path == "/v1/sync/push":
            server.advance_seconds(20)

    faults.on_request = time_passes
    ea.sync_once()
    assert faults.seen.count("/v1/auth/refresh") >= 3
    assert outbox(a) == 0 and problems(a) == []


def test_platform_events_flow_down_to_the_desk(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a")
    ctx = seed_rows(a)
    with a.transaction() as session:
        session.connection().exec_driver_sql("UPDATE course SET review_status = 'pending'")
    ea.sync_once()
    base = f"/v1/regulator/institutions/{server.institution_id}"
    server.call("POST", f"{base}/courses/{ctx['course']}/review", json={"decision": "approve"})
    server.call("POST", f"{base}/staff/{ctx['staff']}/background-check", json={"result": "failed"})
    parent = f"/v1/parent/institutions/{server.institution_id}"
    order = server.call(
        "POST",
        f"{parent}/purchases",
        json={
            "course_id": ctx["course"],
            "student": {"name": "王小明", "phone": "13900000000"},
            "guardian": {"name": "王父"},
            "units": "20",
            "amount_fen": 400000,
        },
    )
    server.call(
        "POST",
        f"{parent}/refund-requests",
        json={
            "contract_id": order["contract_id"],
            "units": "5",
            "amount_fen": 100000,
            "reason": "搬家",
        },
    )
    server.call("POST", f"{parent}/complaints", json={"subject": "排课", "text": "老师迟到"})
    server.call("POST", f"{parent}/reviews", json={"course_id": ctx["course"], "rating": 5, "text": "好"})
    ea.sync_once()
    assert problems(a) == []
    assert scalar(a, f"SELECT review_status FROM course WHERE id = '{ctx['course']}'") == "approved"
    assert scalar(a, f"SELECT background_check FROM staff WHERE id = '{ctx['staff']}'") == "failed"
    assert scalar(a, f"SELECT total_units_x100 FROM contract WHERE id = '{order['contract_id']}'") == 2000
    assert scalar(a, f"SELECT origin FROM contract WHERE id = '{order['contract_id']}'") == "platform"
    assert scalar(a, f"SELECT units_x100 FROM ledger_entry WHERE id = '{order['ledger_entry_id']}'") == 2000
    assert scalar(a, f"SELECT name_pinyin FROM student WHERE id = '{order['student_id']}'") == "wangxiaoming"
    assert (
        scalar(a, "SELECT count(*) FROM platform_inbox WHERE entity = 'refund_request' AND deadline > ''")
        == 1
    )
    assert scalar(a, "SELECT count(*) FROM platform_inbox WHERE entity IN ('complaint', 'review')") == 2
    assert local_totals(a) == server_totals(server)


def test_a_reset_keeps_what_the_desk_had_handled_in_its_inbox(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a")
    ctx = seed_rows(a)
    ea.sync_once()
    parent = f"/v1/parent/institutions/{server.institution_id}"
    server.call("POST", f"{parent}/complaints", json={"subject": "排课", "text": "老师迟到"})
    server.call("POST", f"{parent}/reviews", json={"course_id": ctx["course"], "rating": 5, "text": "好"})
    ea.sync_once()
    complaint = scalar(a, "SELECT entity_id FROM platform_inbox WHERE entity = 'complaint'")
    acknowledge(a, SYSTEM_ACTOR, "complaint", complaint)
    handled_at = scalar(a, "SELECT handled_at FROM platform_inbox WHERE entity = 'complaint'")
    assert handled_at is not None
    server.call("POST", f"{parent}/complaints", json={"subject": "收费", "text": "发票未开"})
    server.prune_all()  # the desk's cursor is now too old: the next sync downloads a snapshot
    report = ea.sync_once()
    assert report.reset and problems(a) == []
    marks = dict(all_rows(a, "SELECT entity_id, handled_at FROM platform_inbox WHERE entity = 'complaint'"))
    assert len(marks) == 2 and marks.pop(complaint) == handled_at
    assert list(marks.values()) == [None]  # the new complaint is still to be handled
    assert scalar(a, "SELECT handled_at FROM platform_inbox WHERE entity = 'review'") is None


def all_rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.reading() as session:
        return [tuple(r) for r in session.connection().exec_driver_sql(sql)]


def test_a_malformed_platform_row_is_a_problem_not_a_crash(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a")
    ctx = seed_rows(a)
    ea.sync_once()
    from platform_server.db import make_sessionmaker
    from platform_server.feed import Emitter
    from platform_server.scope import InstitutionScope

    with make_sessionmaker(server.engine)() as session:
        emitter = Emitter(
            session, InstitutionScope(server.institution_id), server.clock.now(), server.clock.today()
        )
        bad = {"id": "bad-1", "contract_id": ctx["contract"], "student_id": ctx["student"], "units": "1.234"}
        emitter.put(emitter.get("ledger_entry", "bad-1"), "insert", bad, None)
        good = {"id": "good-1", "name": "赵六"}
        emitter.put(emitter.get("student", "good-1"), "insert", good, None)
        emitter.flush()
        session.commit()
    ea.sync_once()
    assert [p[:2] for p in problems(a)] == [("ledger_entry", "bad-1")]
    assert scalar(a, "SELECT name FROM student WHERE id = 'good-1'") == "赵六"


def test_no_usable_keyring_is_a_plain_error_and_nothing_is_written(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    engine = SyncEngine(make_db("a"), server.url)
    with pytest.raises(SyncError) as err:
        engine.login(USCC, PASSWORD, "a")
    assert err.value.code == "sync.keyring_unavailable" and "gnome-keyring" in str(err.value)
    with pytest.raises(SyncError):
        usable_keyring()


def test_tokens_live_in_the_keyring_and_status_is_published(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    seen: list[SyncStatus] = []
    a = make_db("a")
    engine = SyncEngine(a, server.url)
    unsubscribe = engine.status.subscribe(seen.append)
    engine.login(USCC, PASSWORD, "a")
    key = engine.api().tokens.key
    assert key.startswith(f"{server.url}|{USCC}|")
    assert TokenStore(server.url, USCC, key.rsplit("|", 1)[1]).refresh_token() is not None
    assert keyring.get_password(SERVICE, key) is not None
    seed_rows(a)
    engine.sync_once()
    unsubscribe()
    status = engine.status.snapshot()
    assert status.logged_in and status.online and status.last_success and status.pending_ops == 0
    assert any(s.running for s in seen) and any(s.progress for s in seen)
    engine.logout()
    assert keyring.get_password(SERVICE, key) is None
    with pytest.raises(SyncError) as err:
        engine.sync_once()
    assert err.value.code == "sync.login_required"
