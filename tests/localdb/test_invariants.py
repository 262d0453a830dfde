"""The invariant queries behind ``instdesk check`` find what they promise to find."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine, exc, insert, text

from localdb.capture import capture_suspended
from localdb.invariants import check_all, trigger_drift
from localdb.models import metadata
from tests.localdb.rows import Ctx, values_for


def reverse_of(ctx: Ctx, target: str, units: str = "-20", fen: int = -300000) -> dict[str, object]:
    return values_for("ledger_entry", ctx) | {
        "kind": "reverse",
        "reverses_id": target,
        "units_x100": Decimal(units),
        "amount_fen": fen,
    }


def test_clean_database_is_ok(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        # the seed's outbox ops were cleared: acknowledge the rows as the sync engine would
        with capture_suspended(conn):
            for table in metadata.tables:
                if "version" in metadata.tables[table].c:
                    conn.execute(text(f"UPDATE {table} SET version = 1"))
        report = check_all(conn)
    assert report.ok, report
    assert report.overdrawn == []


def test_overdrawn_contract_is_listed_but_not_a_failure(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE attendance SET units_x100 = 2500, amount_fen = 400000"))
        report = check_all(conn)
    (over,) = report.overdrawn
    assert (over.contract_id, over.units_left, over.fen_left) == (ctx["contract"], Decimal("-5"), -100000)


def test_reversal_checks(engine: Engine, ctx: Ctx) -> None:
    other = values_for("contract", ctx)
    with engine.begin() as conn:
        conn.execute(insert(metadata.tables["contract"]).values(other))
        good = reverse_of(ctx, ctx["ledger_entry"])
        conn.execute(insert(metadata.tables["ledger_entry"]).values(good))
        stranger = values_for("ledger_entry", dict(ctx, contract=other["id"]))
        conn.execute(insert(metadata.tables["ledger_entry"]).values(stranger))
        wrong = reverse_of(ctx, stranger["id"], units="-1", fen=-1)
        conn.execute(insert(metadata.tables["ledger_entry"]).values(wrong))
        problems = {(b.entry_id, b.problem) for b in check_all(conn).bad_reversals}
    assert problems == {(wrong["id"], "other_contract")}


def test_reversal_that_does_not_cancel_is_reported(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        partial = reverse_of(ctx, ctx["ledger_entry"], units="-10")
        conn.execute(insert(metadata.tables["ledger_entry"]).values(partial))
        assert [b.problem for b in check_all(conn).bad_reversals] == ["not_opposite"]


def test_an_entry_cannot_be_reversed_twice(engine: Engine, ctx: Ctx) -> None:
    with pytest.raises(exc.IntegrityError, match="UNIQUE"), engine.begin() as conn:
        conn.execute(insert(metadata.tables["ledger_entry"]).values(reverse_of(ctx, ctx["ledger_entry"])))
        conn.execute(insert(metadata.tables["ledger_entry"]).values(reverse_of(ctx, ctx["ledger_entry"])))


def test_unacknowledged_row_without_op_is_reported(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        uncaptured = {(u.entity, u.entity_id) for u in check_all(conn).uncaptured}
        assert ("campus", ctx["campus"]) in uncaptured  # the fixture deleted the seed's ops
        conn.execute(text("DELETE FROM sync_outbox"))
        conn.execute(text("UPDATE campus SET name = 'n'"))
        uncaptured = {(u.entity, u.entity_id) for u in check_all(conn).uncaptured}
        assert ("campus", ctx["campus"]) not in uncaptured


def test_trigger_drift_is_detected(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        assert trigger_drift(conn).ok
        conn.exec_driver_sql("DROP TRIGGER sync_student_upd")
        conn.exec_driver_sql("CREATE TRIGGER sync_rogue AFTER INSERT ON campus BEGIN SELECT 1; END")
        conn.exec_driver_sql("UPDATE sync_capture SET enabled = 0")
        drift = trigger_drift(conn)
    assert drift.missing == ("sync_student_upd",)
    assert drift.unexpected == ("sync_rogue",)
    assert drift.capture_off and not drift.ok
