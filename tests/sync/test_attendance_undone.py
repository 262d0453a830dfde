"""An undone roll call travels as ``attendance.undone``; rows of desks older than that column still work."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import select

from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.services.rollcall import undo_roll_call
from localdb.codes import LEGACY_UNDONE_NOTE
from platform_server.models import ConsumptionConfirmation, EntityRow
from tests.localdb.rows import Ctx
from tests.sync.helpers import engine_for, scalar, seed_rows
from tests.sync.server import LiveServer


def _undone(db: Database, attendance: str) -> tuple[int, int, str | None]:
    with db.reading() as session:
        row = session.connection().exec_driver_sql(
            "SELECT undone, charged, note FROM attendance WHERE id = ?", (attendance,)
        )
        undone, charged, note = row.one()
    return int(undone), int(charged), note


def _server_payload(server: LiveServer, attendance: str) -> dict[str, object]:
    with server.rt.sessionmaker() as session:
        row = session.scalars(
            select(EntityRow).where(EntityRow.entity == "attendance", EntityRow.entity_id == attendance)
        ).one()
        return dict(row.payload)


def _confirmation(server: LiveServer, attendance: str) -> str:
    with server.rt.sessionmaker() as session:
        conf = session.scalars(
            select(ConsumptionConfirmation).where(ConsumptionConfirmation.attendance_id == attendance)
        ).one()
        return conf.status


def _two_desks(server: LiveServer, make_db: Callable[[str], Database]) -> tuple[Database, Database, Ctx]:
    a, b = make_db("a"), make_db("b")
    ctx = seed_rows(a)
    engine_for(a, server, "desk-a").sync_once()
    engine_for(b, server, "desk-b").sync_once()
    return a, b, ctx


def test_an_undo_reaches_the_platform_and_the_other_desk_as_the_undone_column(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b, ctx = _two_desks(server, make_db)
    att = ctx["attendance"]
    assert _undone(b, att)[:2] == (0, 1) and _confirmation(server, att) == "pending"
    student = str(scalar(a, f"SELECT student_id FROM attendance WHERE id = '{att}'"))
    undo_roll_call(a, SYSTEM_ACTOR, ctx["lesson_session"], [student])
    assert _undone(a, att) == (1, 0, LEGACY_UNDONE_NOTE)
    engine_for(a, server, "desk-a2").sync_once()
    payload = _server_payload(server, att)
    assert payload["undone"] is True and payload["charged"] is False
    assert _confirmation(server, att) == "cancelled"  # the parent is no longer asked to confirm it
    engine_for(b, server, "desk-b2").sync_once()
    assert _undone(b, att) == (1, 0, LEGACY_UNDONE_NOTE)


def _push_as_an_older_desk(db: Database, sql: str, attendance: str) -> None:
    """Change the row, then strip ``undone`` from its queued op as a desk before migration 0010 sends it."""
    with db.transaction() as session:
        conn = session.connection()
        conn.exec_driver_sql(sql, (attendance,))
        queued = conn.exec_driver_sql(
            "SELECT seq, payload FROM sync_outbox WHERE entity = 'attendance' AND entity_id = ?",
            (attendance,),
        ).all()
        for seq, text in queued:
            payload = json.loads(text)
            payload.pop("undone")
            conn.exec_driver_sql(
                "UPDATE sync_outbox SET payload = ?, schema_version = 2 WHERE seq = ?",
                (json.dumps(payload), seq),
            )


def test_an_older_desks_undo_is_read_by_its_note_and_its_re_mark_clears_it(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a, b, ctx = _two_desks(server, make_db)
    att = ctx["attendance"]
    _push_as_an_older_desk(
        a,
        "UPDATE attendance SET charged = 0, units_x100 = 0, amount_fen = 0, contract_id = NULL, "
        f"note = '{LEGACY_UNDONE_NOTE}' WHERE id = ?",
        att,
    )
    engine_for(a, server, "desk-a2").sync_once()
    assert "undone" not in _server_payload(server, att)  # accepted as the older desk sent it
    engine_for(b, server, "desk-b2").sync_once()
    assert _undone(b, att) == (1, 0, LEGACY_UNDONE_NOTE)
    _push_as_an_older_desk(
        a,
        "UPDATE attendance SET charged = 1, units_x100 = 150, amount_fen = 22500, "
        f"contract_id = '{ctx['contract']}', note = NULL WHERE id = ?",
        att,
    )
    engine_for(a, server, "desk-a3").sync_once()
    engine_for(b, server, "desk-b3").sync_once()
    assert _undone(b, att) == (0, 1, None)
    assert scalar(b, "SELECT count(*) FROM sync_problem") == 0
