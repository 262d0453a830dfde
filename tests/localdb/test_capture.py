"""Every synced change, through ORM, Core or raw SQL, yields exactly one outbox op; others yield none."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, exc, insert, select, text, update

from localdb.capture import capture_enabled, capture_suspended
from localdb.models import metadata
from localdb.schema import APPEND_ONLY_TABLES, SCHEMA_VERSION, SYNCED_TABLES, TOMBSTONE_TABLES
from tests.localdb.paths import PATHS, Writer, raw_value
from tests.localdb.rows import Ctx, values_for

MUTABLE = [t for t in SYNCED_TABLES if t not in APPEND_ONLY_TABLES]
UPDATES: dict[str, tuple[str, Any]] = {
    "policy_profile": ("name", "福建"),
    "institution": ("name", "新名称"),
    "campus": ("name", "分校"),
    "room": ("capacity", 30),
    "staff": ("phone", "13900000000"),
    "course": ("name", "少儿书法"),
    "student": ("school", "鼓楼一小"),
    "guardian": ("phone", "13700000000"),
    "klass": ("name", "改名班"),
    "material": ("title", "新讲义"),
    "schedule_rule": ("end_time", "19:30"),
    "lesson_session": ("status", "cancelled"),
    "contract": ("adviser", "王顾问"),
    "klass_member": ("left_on", date(2026, 6, 1)),
    "attendance": ("status", "leave"),
    "makeup_entitlement": ("status", "used"),
    "payment": ("note", "改备注"),
    "ledger_entry": ("reason", "改原因"),
    "refund": ("reason", "改原因"),
    "owed_payment": ("note", "改备注"),
    "receivable_entry": ("amount_fen", 1),
}
DELETED = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


def outbox(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM sync_outbox ORDER BY seq")).mappings().all()
    return [dict(r) | {"payload": json.loads(r["payload"])} for r in rows]


def set_version(engine: Engine, table: str, row_id: str, version: int) -> None:
    t = metadata.tables[table]
    with engine.begin() as conn, capture_suspended(conn):
        conn.execute(update(t).where(t.c.id == row_id).values(version=version))


def fresh_row(engine: Engine, table: str, ctx: Ctx) -> str:
    """Insert a row nothing references, then forget its op."""
    values = values_for(table, ctx)
    with engine.begin() as conn:
        conn.execute(insert(metadata.tables[table]).values(values))
        conn.execute(text("DELETE FROM sync_outbox"))
    return str(values["id"])


def assert_one_op(
    engine: Engine, table: str, row_id: str, op: str, base_version: int | None
) -> dict[str, Any]:
    ops = outbox(engine)
    assert len(ops) == 1, ops
    (found,) = ops
    assert (found["entity"], found["entity_id"], found["op"]) == (table, row_id, op)
    assert found["base_version"] == base_version
    assert found["state"] == "pending" and found["attempts"] == 0
    assert found["schema_version"] == SCHEMA_VERSION
    assert set(found["payload"]) == set(metadata.tables[table].c.keys())
    assert found["payload"]["id"] == row_id
    return found


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_insert_yields_one_op(engine: Engine, db_path: Path, ctx: Ctx, table: str, path: str) -> None:
    values = values_for(table, ctx)
    Writer(path, engine, db_path).insert(table, values)
    found = assert_one_op(engine, table, values["id"], "insert", None)
    for column, value in values.items():
        assert found["payload"][column] == raw_value(table, column, value), column
    assert found["payload"]["version"] == 0


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("table", MUTABLE)
def test_update_yields_one_op(engine: Engine, db_path: Path, ctx: Ctx, table: str, path: str) -> None:
    set_version(engine, table, ctx[table], 3)
    column, value = UPDATES[table]
    Writer(path, engine, db_path).update(table, ctx[table], column, value)
    found = assert_one_op(engine, table, ctx[table], "update", 3)
    assert found["payload"][column] == raw_value(table, column, value)
    assert found["payload"]["version"] == 3


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("table", sorted(TOMBSTONE_TABLES))
def test_soft_delete_is_a_delete_op(engine: Engine, db_path: Path, ctx: Ctx, table: str, path: str) -> None:
    set_version(engine, table, ctx[table], 2)
    Writer(path, engine, db_path).update(table, ctx[table], "deleted_at", DELETED)
    found = assert_one_op(engine, table, ctx[table], "delete", 2)
    assert found["payload"]["deleted_at"] == "2026-04-01 08:00:00.000000"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("table", MUTABLE)
def test_hard_delete_yields_one_op(engine: Engine, db_path: Path, ctx: Ctx, table: str, path: str) -> None:
    row_id = fresh_row(engine, table, ctx)
    set_version(engine, table, row_id, 5)
    Writer(path, engine, db_path).delete(table, row_id)
    found = assert_one_op(engine, table, row_id, "delete", 5)
    assert found["payload"]["version"] == 5


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("table", sorted(APPEND_ONLY_TABLES))
def test_append_only_refuses_update_and_delete(
    engine: Engine, db_path: Path, ctx: Ctx, table: str, path: str
) -> None:
    column, value = UPDATES[table]
    writer = Writer(path, engine, db_path)
    with pytest.raises((exc.IntegrityError, sqlite3.IntegrityError), match="只能追加"):
        writer.update(table, ctx[table], column, value)
    with pytest.raises((exc.IntegrityError, sqlite3.IntegrityError), match="只能追加"):
        writer.delete(table, ctx[table])
    assert outbox(engine) == []


def test_rolled_back_transaction_yields_nothing(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        with conn.begin() as tx:
            conn.execute(insert(metadata.tables["student"]).values(values_for("student", ctx)))
            conn.execute(text("UPDATE campus SET name = 'x'"))
            assert conn.execute(text("SELECT count(*) FROM sync_outbox")).scalar() == 2
            tx.rollback()
    assert outbox(engine) == []


def test_changes_inside_capture_suspended_yield_nothing(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        with capture_suspended(conn):
            assert not capture_enabled(conn)
            conn.execute(insert(metadata.tables["student"]).values(values_for("student", ctx)))
            conn.execute(text("UPDATE campus SET name = 'pulled', version = 7"))
            conn.execute(text("UPDATE payment SET version = 9"))
            conn.execute(text("DELETE FROM klass_member"))
        assert capture_enabled(conn)
    assert outbox(engine) == []
    with engine.connect() as conn:
        assert capture_enabled(conn)


def test_version_only_update_is_not_an_op_even_with_capture_on(engine: Engine, ctx: Ctx) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE student SET version = version + 1"))
    assert outbox(engine) == []


def test_capture_flag_is_transactional(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        with conn.begin() as tx:
            conn.execute(text("UPDATE sync_capture SET enabled = 0"))
            tx.rollback()
        assert conn.execute(select(metadata.tables["sync_capture"].c.enabled)).scalar() == 1


def test_payload_round_trips_units_and_money(engine: Engine, ctx: Ctx) -> None:
    values = values_for("attendance", ctx)
    with engine.begin() as conn:
        conn.execute(insert(metadata.tables["attendance"]).values(values))
    (op,) = outbox(engine)
    payload = op["payload"]
    assert payload["units_x100"] == 150 and isinstance(payload["units_x100"], int)
    assert payload["amount_fen"] == 22500 and isinstance(payload["amount_fen"], int)
    assert payload["charged"] == 1
    assert payload["marked_at"] == "2026-03-02 10:30:00.000000"
    assert payload == json.loads(json.dumps(payload))


def test_op_ids_are_unique_time_ordered_uuid7_and_seq_increases(engine: Engine, ctx: Ctx) -> None:
    before_ms = int(time.time() * 1000)
    with engine.begin() as conn:
        for _ in range(50):
            conn.execute(text("UPDATE campus SET name = name || 'x'"))
    after_ms = int(time.time() * 1000)
    ops = outbox(engine)
    ids = [o["op_id"] for o in ops]
    assert len(set(ids)) == 50
    for op_id in ids:
        parsed = uuid.UUID(op_id)
        assert str(parsed) == op_id and parsed.version == 7 and op_id[19] in "89ab"
        # the first 48 bits are the Unix time in ms (julianday may round by one ms)
        assert before_ms - 1 <= parsed.int >> 80 <= after_ms + 1
    assert [o["seq"] for o in ops] == sorted(o["seq"] for o in ops)
