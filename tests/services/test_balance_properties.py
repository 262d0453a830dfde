"""Property: any sequence of sales, roll calls, undos, reversals, adjustments and refunds on one desk keeps
every contract's balance equal to its ledger entries minus its charged attendance, never overdraws, and
leaves ``localdb.invariants.check_all`` clean.

The expected balance is recomputed here with plain SQL, independently of ``localdb.balances`` and of the
services' own read model, and compared with both after every step.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from app.db import Database
from app.errors import InstDeskError
from app.services import ledger, refunds, rollcall
from app.views import students as students_view
from localdb.invariants import check_all
from localdb.models import Contract, KlassMember, LedgerEntry, LessonSession
from tests.services.factory import DESK, MANAGER, World, enroll

STATUSES = ("present", "late", "leave", "absent", "trial")

students = st.integers(0, 2)
sale = st.tuples(
    st.just("sale"),
    students,
    st.integers(1, 8).map(Decimal),
    st.sampled_from([Decimal(0), Decimal(1), Decimal("0.5")]),
    st.integers(1, 300_000),
)
roll = st.tuples(
    st.just("roll"), st.integers(0, 4), st.dictionaries(students, st.sampled_from(STATUSES), min_size=1)
)
undo = st.tuples(st.just("undo"), st.integers(0, 4), st.one_of(st.none(), students))
reverse = st.tuples(st.just("reverse"), st.integers(0, 50))
adjust = st.tuples(st.just("adjust"), students, st.integers(-2, 2).map(Decimal), st.integers(-5_000, 5_000))
refund = st.tuples(st.just("refund"), students)
operations = st.lists(st.one_of(sale, roll, undo, reverse, adjust, refund), min_size=1, max_size=12)


def expected_balances(db: Database) -> dict[str, tuple[Decimal, int]]:
    sql = text(
        """
        SELECT c.id AS id,
          COALESCE((SELECT SUM(units_x100) FROM ledger_entry l WHERE l.contract_id = c.id), 0)
          - COALESCE((SELECT SUM(units_x100) FROM attendance a WHERE a.contract_id = c.id AND a.charged), 0)
          AS units,
          COALESCE((SELECT SUM(amount_fen) FROM ledger_entry l WHERE l.contract_id = c.id), 0)
          - COALESCE((SELECT SUM(amount_fen) FROM attendance a WHERE a.contract_id = c.id AND a.charged), 0)
        FROM contract c
        """
    )
    with db.engine.connect() as conn:
        return {cid: (Decimal(u).scaleb(-2), int(f)) for cid, u, f in conn.execute(sql)}


def check(db: Database, world: World) -> None:
    expected = expected_balances(db)
    seen: dict[str, tuple[Decimal, int]] = {}
    for sid in world.students:
        for line in students_view.student_profile(db, MANAGER, sid).contracts:
            seen[line.contract_id] = (line.units_left, line.fen_left)
    assert seen == expected
    for units, fen in expected.values():
        assert units >= 0 and fen >= 0, "one desk must never overdraw"
    with db.engine.connect() as conn:
        report = check_all(conn)
    assert report.ok and not report.overdrawn, report


def apply(db: Database, world: World, lessons: list[str], op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind == "sale":
        _, who, units, gift, fee = op
        enroll(world, world.students[who], units=units, gift=gift, fee_fen=fee)
    elif kind == "roll":
        with db.reading() as session:  # mostly mark members, so most roll calls get to charge something
            members = set(
                session.scalars(select(KlassMember.student_id).where(KlassMember.left_on.is_(None)))
            )
        marks = {
            world.students[i]: s for i, s in op[2].items() if s == "trial" or world.students[i] in members
        }
        if marks:
            rollcall.roll_call(db, DESK, lessons[op[1]], marks)
    elif kind == "undo":
        who = None if op[2] is None else [world.students[op[2]]]
        rollcall.undo_roll_call(db, DESK, lessons[op[1]], who)
    elif kind == "reverse":
        with db.reading() as session:
            ids = list(
                session.scalars(select(LedgerEntry.id).order_by(LedgerEntry.created_at, LedgerEntry.id))
            )
        if ids:
            ledger.reverse_entry(db, MANAGER, ids[op[1] % len(ids)], "录错")
    elif kind in ("adjust", "refund"):
        with db.reading() as session:
            contract = session.scalar(
                select(Contract.id)
                .where(Contract.student_id == world.students[op[1]], Contract.status == "active")
                .order_by(Contract.signed_at)
            )
        if contract is None:
            return
        if kind == "adjust":
            ledger.adjust(db, MANAGER, contract, op[2], op[3], "调整")
        else:
            refunds.execute_refund(db, MANAGER, contract, "退费")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_balances_equal_ledger_minus_charged_attendance(
    world_template: tuple[Path, World], ops: list[tuple[Any, ...]]
) -> None:
    source, template = world_template
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.db"
        shutil.copyfile(source, path)
        db = Database.open(path, migrate=False)
        try:
            world = dataclasses.replace(template, db=db)
            with db.reading() as session:
                lessons = list(
                    session.scalars(select(LessonSession.id).order_by(LessonSession.date, LessonSession.id))
                )
            for op in ops:
                try:
                    apply(db, world, lessons, op)
                    event(f"{op[0]} done")
                except InstDeskError as exc:  # a refused step must leave everything as it was
                    event(f"{op[0]} refused: {exc.code}")
                check(db, world)
        finally:
            db.close()
