"""Migration 0010: ``attendance.undone`` is backfilled from the note an undo wrote before, uncaptured."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import Connection, Engine, text

from localdb.codes import LEGACY_UNDONE_NOTE
from localdb.engine import alembic_config, upgrade_to_head
from localdb.ids import attendance_id
from localdb.schema import SCHEMA_VERSION
from tests.localdb.rows import Ctx

BEFORE = "0009_attendance_owing_index"


def _to(conn: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = conn
    command.downgrade(config, revision)


def test_upgrade_marks_the_rows_an_undo_noted_and_nothing_is_queued(engine: Engine, ctx: Ctx) -> None:
    undone = ctx["attendance"]
    with engine.begin() as conn:
        _to(conn, BEFORE)
        columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(attendance)")]
        assert "undone" not in columns
        conn.exec_driver_sql(
            "UPDATE attendance SET charged = 0, note = ? WHERE id = ?", (LEGACY_UNDONE_NOTE, undone)
        )
        live = attendance_id(ctx["lesson_session"], ctx["attendance_student"])
        conn.exec_driver_sql(
            "INSERT INTO attendance (id, session_id, student_id, status, charged, units_x100, amount_fen, "
            "marked_at, note, version, created_at, updated_at) VALUES (?, ?, ?, 'late', 1, 150, 22500, "
            "'2026-09-01 10:00:00.000000', '迟到10分钟', 0, '2026-09-01 10:00:00.000000', "
            "'2026-09-01 10:00:00.000000')",
            (live, ctx["lesson_session"], ctx["attendance_student"]),
        )
        conn.exec_driver_sql("DELETE FROM sync_outbox")
    upgrade_to_head(engine)
    with engine.begin() as conn:
        flags = {str(r[0]): int(r[1]) for r in conn.exec_driver_sql("SELECT id, undone FROM attendance")}
        assert flags == {undone: 1, live: 0}
        assert conn.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() == 0
        conn.execute(text("UPDATE attendance SET undone = 0, note = NULL WHERE id = :id"), {"id": undone})
        payload, version = conn.exec_driver_sql("SELECT payload, schema_version FROM sync_outbox").one()
    assert json.loads(payload)["undone"] == 0 and version == SCHEMA_VERSION  # 3, or later (0012: 4)


def test_downgrade_drops_the_column_and_upgrade_adds_it_again(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        _to(conn, BEFORE)
        assert conn.exec_driver_sql("SELECT count(*) FROM attendance").scalar() == 1
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT undone FROM attendance").scalar() == 0
