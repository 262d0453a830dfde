"""Balances are ledger entries minus charged attendance, read in one query for a whole roll call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, event, insert, text

from localdb.balances import Balance, contract_balance, contract_balances, student_balances, students_balances
from localdb.ids import attendance_id, new_id
from localdb.models import metadata
from tests.localdb.rows import Ctx, values_for


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_ledger(conn: Connection, ctx: Ctx, kind: str, units: str, fen: int) -> None:
    values = values_for("ledger_entry", ctx) | {"kind": kind, "units_x100": Decimal(units), "amount_fen": fen}
    conn.execute(insert(metadata.tables["ledger_entry"]).values(values))


def test_seeded_contract_balance(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        # seed: purchase 20 units / 3000.00 yuan, one charged attendance of 1.5 units / 225.00 yuan
        assert contract_balance(conn, ctx["contract"]) == (Decimal("18.5"), 277500)


def test_gift_refund_and_uncharged_attendance(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        add_ledger(conn, ctx, "gift", "2", 0)
        add_ledger(conn, ctx, "refund", "-5", -75000)
        conn.execute(text("UPDATE attendance SET charged = 0"))
        assert contract_balance(conn, ctx["contract"]) == Balance(Decimal("17"), 225000)


def test_contract_without_movements_is_zero(engine: Engine, ctx: Ctx) -> None:
    other = values_for("contract", ctx)
    with engine.begin() as conn:
        conn.execute(insert(metadata.tables["contract"]).values(other))
        assert contract_balances(conn, [other["id"], ctx["contract"]])[other["id"]] == (Decimal(0), 0)
        assert contract_balances(conn, []) == {}


def test_roll_call_of_40_students_reads_balances_in_one_query(engine: Engine, ctx: Ctx) -> None:
    students = []
    with engine.begin() as conn:
        for _ in range(40):
            student = values_for("student", ctx)
            conn.execute(insert(metadata.tables["student"]).values(student))
            sub = dict(ctx, student=student["id"], attendance_student=student["id"])
            contract = values_for("contract", sub)
            conn.execute(insert(metadata.tables["contract"]).values(contract))
            sub["contract"] = contract["id"]
            add_ledger(conn, sub, "purchase", "10", 150000)
            att = values_for("attendance", sub)
            conn.execute(insert(metadata.tables["attendance"]).values(att))
            students.append(student["id"])
    with engine.connect() as conn, counting(engine) as statements:
        result = students_balances(conn, students)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 2
    assert len(result) == 40
    for sid in students:
        (balance,) = result[sid]
        assert (balance.units_left, balance.fen_left) == (Decimal("8.5"), 127500)


def test_student_balances_lists_every_contract(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        (only,) = student_balances(conn, ctx["student"])
        assert only.contract_id == ctx["contract"] and only.units_left == Decimal("18.5")
        assert student_balances(conn, ctx["attendance_student"]) == []


events = st.lists(
    st.one_of(
        st.tuples(st.just("ledger"), st.integers(-3000, 3000), st.integers(-500000, 500000)),
        st.tuples(st.just("attend"), st.integers(0, 300), st.booleans()),
    ),
    max_size=15,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events)
def test_balance_is_ledger_minus_charged_attendance(engine: Engine, ctx: Ctx, seq: list[Any]) -> None:
    with engine.connect() as conn, conn.begin() as tx:
        conn.execute(text("DELETE FROM makeup_entitlement"))
        conn.execute(text("DELETE FROM attendance"))
        units, fen = 2000, 300000  # the seeded purchase
        for item in seq:
            if item[0] == "ledger":
                add_ledger(conn, ctx, "adjust", str(Decimal(item[1]) / 100), item[2])
                units, fen = units + item[1], fen + item[2]
            else:
                session = values_for("lesson_session", ctx)
                conn.execute(insert(metadata.tables["lesson_session"]).values(session))
                row = values_for("attendance", dict(ctx, lesson_session=session["id"]))
                row |= {"id": attendance_id(session["id"], new_id()), "charged": item[2]}
                row |= {"units_x100": Decimal(item[1]) / 100, "amount_fen": item[1] * 150}
                conn.execute(insert(metadata.tables["attendance"]).values(row))
                if item[2]:
                    units, fen = units - item[1], fen - item[1] * 150
        assert contract_balance(conn, ctx["contract"]) == (Decimal(units) / 100, fen)
        tx.rollback()
