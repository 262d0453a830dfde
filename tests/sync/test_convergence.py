"""Two or three desks of one institution work offline and sync in any order: they converge.

A hypothesis state machine: desks add students, rename them (versioned master data: offline edits of the
same student conflict and the loser becomes a sync problem), mark and unmark attendance (deterministic
ids, last write wins), take payments (append-only), and sync at random. At the end every desk syncs
until quiet: all desks hold the same rows and the server's totals equal every desk's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy.orm import Session

from app.db import Database
from app.validators import make_uscc
from localdb.ids import attendance_id
from localdb.schema import SYNCED_TABLES
from platform_server.accounts import create_institution
from platform_server.db import make_sessionmaker
from platform_server.security import Passwords
from sync.engine import SyncEngine
from tests.sync.helpers import add_row, local_totals, outbox, rows, seed_rows
from tests.sync.server import PASSWORD, LiveServer

_numbers = itertools.count(1)


def _new_institution(server: LiveServer) -> tuple[str, str]:
    uscc = make_uscc(f"9135010000{next(_numbers):07d}")
    with make_sessionmaker(server.engine)() as session:
        inst = create_institution(session, Passwords(1, 8), server.clock, uscc, "连锁校区", PASSWORD)
        session.commit()
        return uscc, inst.id


def _server_totals(server: LiveServer, institution_id: str) -> dict[str, int]:
    from platform_server.scope import InstitutionScope
    from platform_server.stats import compute_stats

    with Session(server.engine) as session:
        stats = compute_stats(session, InstitutionScope(institution_id, None), None, None)
    return {k: int(stats[k]) for k in ("lessons_consumed", "consumption_fen", "payments_fen", "refunds_fen")}


def _mark(db: Database, session_id: str, student_id: str, contract_id: str, charged: bool) -> None:
    with db.transaction() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO attendance (id, session_id, student_id, status, charged, units_x100, amount_fen,"
            " contract_id, marked_at) VALUES (?, ?, ?, 'present', ?, 100, ?, ?, '2026-03-04 10:00:00.000000')"
            " ON CONFLICT(id) DO UPDATE SET charged = excluded.charged, amount_fen = excluded.amount_fen,"
            " status = CASE WHEN excluded.charged = 1 THEN 'present' ELSE 'leave' END",
            (
                attendance_id(session_id, student_id),
                session_id,
                student_id,
                int(charged),
                15000 if charged else 0,
                contract_id,
            ),
        )


class Desks(RuleBasedStateMachine):
    def __init__(self, server: LiveServer, make_db: Callable[[str], Database], desks: int) -> None:
        super().__init__()
        self.server = server
        self.uscc, self.institution_id = _new_institution(server)
        self.dbs = [make_db(f"desk{next(_numbers)}") for _ in range(desks)]
        self.engines = []
        for i, db in enumerate(self.dbs):
            engine = SyncEngine(db, server.url)
            engine.login(self.uscc, PASSWORD, f"desk-{i}")
            self.engines.append(engine)
        self.ctx = seed_rows(self.dbs[0])
        self.engines[0].sync_once()
        for engine in self.engines[1:]:
            engine.sync_once()
        self.students = [self.ctx["student"], self.ctx["attendance_student"]]
        self.sessions = [self.ctx["lesson_session"]]

    @initialize()
    def start(self) -> None:
        pass

    desk = st.integers(min_value=0, max_value=2)

    def _db(self, desk: int) -> Database:
        return self.dbs[desk % len(self.dbs)]

    @rule(desk=desk)
    def add_student(self, desk: int) -> None:
        self.students.append(add_row(self._db(desk), "student", self.ctx))

    @rule(desk=desk)
    def add_session(self, desk: int) -> None:
        self.sessions.append(add_row(self._db(desk), "lesson_session", self.ctx))

    @rule(desk=desk, pick=st.integers(min_value=0), name=st.sampled_from(["甲", "乙", "丙"]))
    def rename_student(self, desk: int, pick: int, name: str) -> None:
        db = self._db(desk)
        student = self.students[pick % len(self.students)]
        with db.transaction() as s:
            s.connection().exec_driver_sql("UPDATE student SET name = ? WHERE id = ?", (name, student))

    @rule(desk=desk, s=st.integers(min_value=0), p=st.integers(min_value=0), charged=st.booleans())
    def mark(self, desk: int, s: int, p: int, charged: bool) -> None:
        db = self._db(desk)
        session, student = self.sessions[s % len(self.sessions)], self.students[p % len(self.students)]
        with db.reading() as s2:
            conn = s2.connection()
            exists = conn.exec_driver_sql("SELECT 1 FROM student WHERE id = ?", (student,)).first()
            has_session = conn.exec_driver_sql(
                "SELECT 1 FROM lesson_session WHERE id = ?", (session,)
            ).first()
        if exists and has_session:  # a desk can only mark what it has seen
            _mark(db, session, student, self.ctx["contract"], charged)

    @rule(desk=desk)
    def pay(self, desk: int) -> None:
        add_row(self._db(desk), "payment", self.ctx)

    @rule(desk=desk)
    def sync(self, desk: int) -> None:
        self.engines[desk % len(self.engines)].sync_once()

    @invariant()
    def nothing_stuck(self) -> None:
        for engine in self.engines:
            assert engine.status.snapshot().last_error_code is None

    def teardown(self) -> None:
        for _ in range(2):
            for engine in self.engines:
                engine.sync_once()
        first = self.dbs[0]
        totals = _server_totals(self.server, self.institution_id)
        for db in self.dbs:
            assert outbox(db) == 0
            assert local_totals(db) == totals
            for table in SYNCED_TABLES:
                assert rows(db, table) == rows(first, table), table
        for engine in self.engines:
            engine.close()


def test_desks_working_offline_converge(server: LiveServer, make_db: Callable[[str], Database]) -> None:
    run_state_machine_as_test(
        lambda: Desks(server, make_db, desks=3),  # type: ignore[arg-type]
        settings=settings(
            max_examples=10, stateful_step_count=20, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
