"""Two desks sync many times through a real flaky network (issue 11 item 1).

A TCP proxy on loopback (``tests.sync.proxy``) refuses connections, drops answers after the server acted,
cuts them in half and delays them past the client's timeout, at random but reproducibly. Access tokens
expire every round, so refreshes cross the flaky link too: a refresh whose answer was lost must not log the
desk out. At the end, with the network healthy again, both desks hold the same rows, ``check --server``
finds nothing, and neither desk ever needed its password again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import httpx
import pytest

from app.db import Database
from localdb.schema import SYNCED_TABLES
from sync.check import compare
from sync.engine import SyncEngine
from sync.errors import SyncError
from tests.localdb.rows import Ctx
from tests.sync.helpers import add_row, outbox, problems, rows, seed_rows
from tests.sync.proxy import FlakyProxy, Odds
from tests.sync.server import PASSWORD, USCC, LiveServer

ROUNDS = 25
TIMEOUT = httpx.Timeout(connect=2.0, read=0.45, write=2.0, pool=2.0)


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[FlakyProxy]:
    flaky = FlakyProxy(server.port, Odds(delay=0.3), seed=20261203).start()
    yield flaky
    flaky.stop()


def _desk(db: Database, proxy: FlakyProxy, name: str) -> SyncEngine:
    # Logged in and first synced on a healthy link with a patient client: the password check alone can
    # take longer than the flaky rounds' read timeout on a busy machine.
    engine = SyncEngine(db, proxy.url, timeout=httpx.Timeout(30.0), batch=15)
    engine.login(USCC, PASSWORD, name)
    return engine


def _work(db: Database, ctx: Ctx, mine: list[str], n: int) -> None:
    """A round at one desk: a new student who attends and pays, and a rename of an earlier one."""
    student = add_row(db, "student", ctx, name=f"学员{n}")
    session = add_row(db, "lesson_session", ctx)
    add_row(db, "attendance", {**ctx, "lesson_session": session, "attendance_student": student})
    add_row(db, "payment", {**ctx, "student": student})
    if mine:
        with db.transaction() as s:
            s.connection().exec_driver_sql("UPDATE student SET name = ? WHERE id = ?", (f"改名{n}", mine[-1]))
    mine.append(student)


def _flaky_cycle(engine: SyncEngine, failures: Counter[str]) -> None:
    try:
        engine.sync_once()
    except SyncError as exc:
        assert exc.code != "sync.login_required", "a lost answer logged the desk out"
        assert exc.transient, exc.code
        failures[exc.code] += 1


def test_two_desks_converge_through_a_flaky_network_without_a_logout(
    server: LiveServer, proxy: FlakyProxy, make_db: Callable[[str], Database]
) -> None:
    a, b = make_db("a"), make_db("b")
    ctx = seed_rows(a)
    ea, eb = _desk(a, proxy, "前台A"), _desk(b, proxy, "前台B")
    ea.sync_once()
    eb.sync_once()
    for engine in (ea, eb):
        engine.timeout = engine.api().http.timeout = TIMEOUT
    proxy.faults = True
    failures: Counter[str] = Counter()
    mine: dict[str, list[str]] = {"a": [], "b": []}
    for n in range(ROUNDS):
        server.advance_seconds(server.rt.settings.access_ttl_seconds + 1)  # every round refreshes
        for name, db, engine in (("a", a, ea), ("b", b, eb)):
            _work(db, ctx, mine[name], n)
            _flaky_cycle(engine, failures)
    proxy.faults = False
    for engine in (ea, eb):  # a healthy network: a loaded machine must not time the last cycles out
        engine.api().http.timeout = httpx.Timeout(30.0)
    for _ in range(2):
        ea.sync_once()
        eb.sync_once()
    assert all(proxy.seen[f] > 0 for f in ("refuse", "drop", "cut", "delay")), proxy.seen
    assert sum(failures.values()) > 0, "the network never failed a cycle"
    for db, engine in ((a, ea), (b, eb)):
        assert outbox(db) == 0 and problems(db) == []
        assert compare(db, engine.api()) == []  # what `instdesk check --server` reports
        assert engine.login_state() == "logged_in" and engine.status.snapshot().logged_in
    for table in SYNCED_TABLES:
        assert rows(a, table) == rows(b, table), table
    with server.engine.connect() as conn:  # two logins, never a third: nobody typed the password again
        assert conn.exec_driver_sql("SELECT count(*) FROM device").scalar() == 2
        # refreshes whose answer was lost and that came back: the server had rotated, the desk never knew
        superseded = conn.exec_driver_sql(
            "SELECT count(*) FROM refresh_token WHERE revoked = 1 AND used_at IS NULL"
        ).scalar()
        assert superseded
