"""The statistics summaries (``localdb.summaries``): triggers keep them equal to a recomputation.

Random bounded sequences of roll calls, re-marks, undos, deletes, make-up entitlements granted, used,
cancelled and deleted, payments, refunds, session moves and contract class changes — some applied with
capture suspended, as pulled changes are — must leave ``summaries.verify`` empty (``session_tally.leaves``
included); a tampered summary or a missing trigger is reported by ``instdesk check``.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, insert, text

from localdb import summaries
from localdb.capture import capture_suspended
from localdb.engine import open_engine
from localdb.ids import attendance_id
from localdb.invariants import check_all
from localdb.models import metadata
from tests.localdb.rows import Ctx, seed, values_for

STATUSES = ("present", "late", "leave", "absent", "trial", "makeup")
DAYS = (date(2026, 2, 27), date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1))


def _add(conn: Connection, table: str, ctx: Ctx, **over: Any) -> str:
    values = {**values_for(table, ctx), **over}
    conn.execute(insert(metadata.tables[table]).values(values))
    return str(values["id"])


def _world(conn: Connection) -> dict[str, list[str]]:
    """Three sessions on different days, three students, three contracts (two classes and none)."""
    ctx = seed(conn)
    klass2 = _add(conn, "klass", ctx, name="二班")
    sessions = [ctx["lesson_session"]] + [_add(conn, "lesson_session", ctx, date=d) for d in DAYS[1:3]]
    students = [ctx["student"], ctx["attendance_student"], _add(conn, "student", ctx)]
    contracts = [
        ctx["contract"],
        _add(conn, "contract", ctx, klass_id=klass2),
        _add(conn, "contract", ctx, klass_id=None),
    ]
    return {
        "sessions": sessions,
        "students": students,
        "contracts": contracts,
        "klasses": [ctx["klass"], klass2],
    }


def _at(day: int, minute: int) -> datetime:
    """Instants around local midnight (UTC 16:00), to exercise the Asia/Shanghai day of payments."""
    base = datetime.combine(DAYS[day], datetime.min.time(), tzinfo=UTC) + timedelta(hours=16)
    return base + timedelta(minutes=minute)


idx = st.integers(0, 2)
mark = st.tuples(
    st.just("mark"),
    idx,
    idx,
    st.sampled_from(STATUSES),
    st.booleans(),
    st.integers(0, 50_000),
    st.integers(0, 3),
)
undo = st.tuples(st.just("undo"), idx, idx)
drop = st.tuples(st.just("delete"), idx, idx)
pay = st.tuples(st.just("pay"), idx, st.integers(1, 400_000), st.integers(0, 4), st.sampled_from([-1, 0, 1]))
refund = st.tuples(
    st.just("refund"), idx, st.integers(1, 40_000), st.integers(0, 4), st.sampled_from([-1, 0])
)
move = st.tuples(st.just("move"), idx, st.integers(0, 4))
reclass = st.tuples(st.just("reclass"), idx, st.integers(0, 2))
money_fix = st.tuples(st.just("money_fix"), st.booleans())
# the make-up entitlement of the row (session, student): granted/set to a status, used by another row
entitle = st.tuples(
    st.just("entitle"), idx, idx, st.sampled_from(["open", "used", "cancelled", "expired"]), idx, idx
)
unentitle = st.tuples(st.just("unentitle"), idx, idx)
op = st.tuples(
    st.booleans(),  # applied with capture suspended (a pulled change)
    st.one_of(mark, mark, undo, drop, pay, refund, move, reclass, money_fix, entitle, entitle, unentitle),
)


def _entitlement_id(source: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"entitlement/{source}"))


def _entitle(conn: Connection, w: dict[str, list[str]], step: tuple[Any, ...]) -> None:
    """Grant or re-set the entitlement of an existing attendance row (as a roll call or a pull does)."""
    _, s, p, status, s2, p2 = step
    source = attendance_id(w["sessions"][s], w["students"][p])
    used = attendance_id(w["sessions"][s2], w["students"][p2]) if status == "used" else None
    conn.execute(
        text(
            "INSERT INTO makeup_entitlement (id, student_id, course_id, source_attendance_id, status,"
            " used_attendance_id, version, created_at, updated_at)"
            " SELECT :id, a.student_id, (SELECT id FROM course LIMIT 1), a.id, :st,"
            " (SELECT id FROM attendance WHERE id = :u), 1,"
            " '2026-03-01 02:00:00.000000', '2026-03-01 02:00:00.000000'"
            " FROM attendance AS a WHERE a.id = :src"
            " ON CONFLICT (id) DO UPDATE SET status = excluded.status,"
            " used_attendance_id = excluded.used_attendance_id"
        ),
        {"id": _entitlement_id(source), "src": source, "st": status, "u": used},
    )


def _apply(conn: Connection, w: dict[str, list[str]], step: tuple[Any, ...]) -> None:
    kind = step[0]
    if kind == "mark":  # roll call or re-mark: one row per session × student
        _, s, p, status, charged, fen, c = step
        sid, student = w["sessions"][s], w["students"][p]
        contract = None if c == 3 else w["contracts"][c]
        conn.execute(
            text(
                "INSERT INTO attendance (id, session_id, student_id, status, charged, units_x100, amount_fen,"
                " contract_id, marked_at)"
                " VALUES (:id, :s, :p, :st, :ch, :u, :f, :c, '2026-03-01 02:00:00.000000')"
                " ON CONFLICT (session_id, student_id) DO UPDATE SET status = excluded.status,"
                " charged = excluded.charged, units_x100 = excluded.units_x100,"
                " amount_fen = excluded.amount_fen,"
                " contract_id = excluded.contract_id"
            ),
            {
                "id": attendance_id(sid, student),
                "s": sid,
                "p": student,
                "st": status,
                "ch": charged,
                "u": 150 if charged else 0,
                "f": fen if charged else 0,
                "c": contract,
            },
        )
    elif kind == "undo":
        conn.execute(
            text(
                "UPDATE attendance SET charged = 0, amount_fen = 0, units_x100 = 0, status = 'absent'"
                " WHERE id = :id"
            ),
            {"id": attendance_id(w["sessions"][step[1]], w["students"][step[2]])},
        )
    elif kind == "entitle":
        _entitle(conn, w, step)
    elif kind == "unentitle":
        conn.execute(
            text("DELETE FROM makeup_entitlement WHERE source_attendance_id = :id"),
            {"id": attendance_id(w["sessions"][step[1]], w["students"][step[2]])},
        )
    elif kind == "delete":
        conn.execute(
            text("DELETE FROM makeup_entitlement WHERE source_attendance_id = :id; "),
            {"id": attendance_id(w["sessions"][step[1]], w["students"][step[2]])},
        )
        conn.execute(
            text(
                "UPDATE makeup_entitlement SET status = 'open', used_attendance_id = NULL"
                " WHERE used_attendance_id = :id"
            ),
            {"id": attendance_id(w["sessions"][step[1]], w["students"][step[2]])},
        )
        conn.execute(
            text("DELETE FROM attendance WHERE id = :id"),
            {"id": attendance_id(w["sessions"][step[1]], w["students"][step[2]])},
        )
    elif kind == "pay":
        ctx = {"contract": w["contracts"][step[1]], "student": w["students"][0]}
        _add(conn, "payment", ctx, amount_fen=step[2], paid_at=_at(step[3], step[4]))
    elif kind == "refund":
        ctx = {"contract": w["contracts"][step[1]], "student": w["students"][0]}
        _add(conn, "refund", ctx, amount_fen=step[2], created_at=_at(step[3], step[4]))
    elif kind == "move":
        conn.execute(
            text("UPDATE lesson_session SET date = :d WHERE id = :id"),
            {"d": DAYS[step[2]].isoformat(), "id": w["sessions"][step[1]]},
        )
    elif kind == "reclass":
        klass = None if step[2] == 2 else w["klasses"][step[2]]
        conn.execute(
            text("UPDATE contract SET klass_id = :k WHERE id = :id"),
            {"k": klass, "id": w["contracts"][step[1]]},
        )
    elif kind == "money_fix":
        if step[1]:
            conn.execute(
                text("UPDATE payment SET amount_fen = amount_fen + 1, contract_id = :c"),
                {"c": w["contracts"][2]},
            )
        else:
            conn.execute(text("DELETE FROM payment WHERE rowid = (SELECT MAX(rowid) FROM payment)"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(op, min_size=1, max_size=14))
def test_summaries_equal_recomputation_after_any_sequence(
    migrated_template: Path, steps: list[tuple[bool, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.db"
        shutil.copyfile(migrated_template, path)
        engine = open_engine(path)
        try:
            with engine.begin() as conn:
                w = _world(conn)
            for pulled, step in steps:
                if step[0] == "money_fix" and not pulled:
                    continue  # payments are append-only while capture is on
                with engine.begin() as conn:
                    if pulled:
                        with capture_suspended(conn):
                            _apply(conn, w, step)
                    else:
                        _apply(conn, w, step)
                    assert summaries.verify(conn) == [], step
        finally:
            engine.dispose()


def test_migrated_triggers_equal_generated(engine: Engine) -> None:
    with engine.connect() as conn:
        assert summaries.installed_triggers(conn) == summaries.generate_triggers()


def test_seeded_rows_and_rebuild_agree(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        tally = conn.execute(
            text("SELECT n_rows, expected, attended, units_x100, fen FROM session_tally")
        ).all()
        assert [tuple(r) for r in tally] == [(1, 1, 1, 150, 22500)]
        assert summaries.verify(conn) == []
        before = {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in summaries.TABLES}
        summaries.rebuild(conn)
        after = {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2")).all() for t in summaries.TABLES}
    assert before == after


def test_check_reports_a_tampered_summary_and_rebuild_repairs_it(engine: Engine, ctx: Ctx) -> None:
    def clean(conn: Connection) -> bool:
        report = check_all(conn)
        return report.triggers.ok and not report.summary_mismatches

    with engine.begin() as conn:
        assert clean(conn)
        conn.execute(text("UPDATE money_month SET consumed_fen = consumed_fen + 1"))
        report = check_all(conn)
        assert not report.ok
        assert {m.table for m in report.summary_mismatches} == {"money_month"}
        summaries.rebuild(conn)
        assert clean(conn)
        conn.exec_driver_sql("DROP TRIGGER summary_attendance_upd_money")
        report = check_all(conn)
        assert not report.ok and report.triggers.missing == ("summary_attendance_upd_money",)
        summaries.install(conn)
        assert clean(conn)


def test_summaries_are_never_captured(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM sync_outbox"))
        summaries.rebuild(conn)
        entities = {e for (e,) in conn.execute(text("SELECT DISTINCT entity FROM sync_outbox"))}
    assert not entities & set(summaries.TABLES)


def _leaves(conn: Connection) -> dict[str, int]:
    rows = conn.execute(text("SELECT session_id, leaves FROM session_tally WHERE leaves <> 0"))
    return {str(s): int(n) for s, n in rows}


def _used(conn: Connection) -> dict[str, int]:
    rows = conn.execute(text("SELECT session_id, used FROM session_tally WHERE used <> 0"))
    return {str(s): int(n) for s, n in rows}


def test_tally_leaves_follow_roll_calls_and_entitlements(engine: Engine) -> None:
    """``leaves``: leave rows with a live (not cancelled) entitlement, ``used``: those made up, through a
    roll call's life."""
    with engine.begin() as conn:
        w = _world(conn)
        conn.execute(text("DELETE FROM makeup_entitlement"))  # the seeded one: start without rights
        s0, s1 = w["sessions"][0], w["sessions"][1]
        steps: list[tuple[tuple[Any, ...], dict[str, int]]] = [
            (("mark", 0, 0, "leave", False, 0, 0), {}),  # a leave, no entitlement yet (a pull)
            (("entitle", 0, 0, "open", 0, 0), {s0: 1}),
            (("mark", 0, 1, "leave", False, 0, 0), {s0: 1}),
            (("entitle", 0, 1, "open", 0, 0), {s0: 2}),
            (("mark", 1, 0, "makeup", True, 100, 0), {s0: 2}),
            (("entitle", 0, 0, "used", 1, 0), {s0: 2}),  # made up: still a leave with a right
            (("entitle", 0, 1, "cancelled", 0, 0), {s0: 1}),  # its roll call undone
            (("mark", 0, 1, "absent", False, 0, 0), {s0: 1}),
            (("entitle", 0, 1, "open", 0, 0), {s0: 1}),  # re-opened while the row is no leave
            (("mark", 0, 1, "leave", False, 0, 0), {s0: 2}),  # re-marked a leave
            (("move", 0, 4), {s0: 2}),
            (("unentitle", 0, 1), {s0: 1}),
            (("delete", 0, 0), {}),
            (("entitle", 1, 0, "expired", 0, 0), {}),  # the make-up row is no leave
        ]
        was_used = False
        for step, want in steps:
            _apply(conn, w, step)
            assert _leaves(conn) == want, step
            # (session 0, student 0)'s leave is made up from its "used" step until the row is deleted
            made_up = step[0] == "entitle" and step[1:4] == (0, 0, "used")
            was_used = (made_up or was_used) and step[:3] != ("delete", 0, 0)
            assert _used(conn) == ({s0: 1} if was_used else {}), step
            assert summaries.verify(conn) == [], step
        assert s1 not in _leaves(conn)


def test_check_reports_a_tampered_leave_count_and_rebuild_repairs_it(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE session_tally SET used = used + 1, leaves = leaves + 1"))
        report = check_all(conn)
        assert not report.ok
        assert {m.table for m in report.summary_mismatches} == {"session_tally"}
        summaries.rebuild(conn)
        report = check_all(conn)
        assert report.triggers.ok and not report.summary_mismatches
