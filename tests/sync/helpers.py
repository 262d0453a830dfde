"""Small helpers shared by the sync tests: engines on a live server, row counts, totals."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import insert

from app.db import Database
from localdb.capture import capture_suspended
from localdb.ids import new_id
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES
from sync.engine import SyncEngine
from tests.localdb.rows import Ctx, seed, values_for
from tests.sync.server import PASSWORD, USCC, LiveServer


def engine_for(
    db: Database, server: LiveServer, name: str, transport: httpx.BaseTransport | None = None, **kw: Any
) -> SyncEngine:
    """A logged-in engine for ``db`` (a new device called ``name``)."""
    engine = SyncEngine(db, server.url, transport=transport, **kw)
    engine.login(USCC, PASSWORD, name)
    return engine


def server_entities() -> frozenset[str]:
    """The synced tables the reference server accepts (it may lag behind the client's schema)."""
    from platform_server.push import APPEND_ONLY, LAST_WRITE_WINS, MASTER

    return frozenset(MASTER | APPEND_ONLY | LAST_WRITE_WINS)


def seed_rows(db: Database) -> Ctx:
    """One row of every synced table the server knows (the others are removed, capture off)."""
    known = server_entities()
    with db.transaction() as session:
        conn = session.connection()
        ctx = seed(conn)
        with capture_suspended(conn):
            for table in reversed(SYNCED_TABLES):
                if table not in known:
                    conn.exec_driver_sql(f"DELETE FROM {table}")
                    conn.exec_driver_sql("DELETE FROM sync_outbox WHERE entity = ?", (table,))
        return ctx


#: unique text columns: the sample rows number them per process, which collides across desk processes
UNIQUE_TEXT = {"student": "card_code", "payment": "receipt_no", "contract": "contract_no"}


def add_row(db: Database, table: str, ctx: Ctx, **overrides: Any) -> str:
    values = {**values_for(table, ctx), **overrides}
    if table in UNIQUE_TEXT and UNIQUE_TEXT[table] not in overrides:
        values[UNIQUE_TEXT[table]] = f"U-{new_id()}"
    with db.transaction() as session:
        session.connection().execute(insert(metadata.tables[table]).values(values))
    return str(values["id"])


def counts(db: Database) -> dict[str, int]:
    """Live rows per synced table (tombstones excluded)."""
    out = {}
    with db.reading() as session:
        conn = session.connection()
        for table in SYNCED_TABLES:
            cond = " WHERE deleted_at IS NULL" if "deleted_at" in metadata.tables[table].c else ""
            out[table] = int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}{cond}").scalar() or 0)
    return out


def rows(db: Database, table: str) -> dict[str, tuple[Any, ...]]:
    """Every row of ``table`` by id, without the columns that legitimately differ between desks."""
    skip = {"version", "updated_at", "created_at"}
    cols = [c.name for c in metadata.tables[table].columns if c.name not in skip]
    with db.reading() as session:
        result = session.connection().exec_driver_sql(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id")
        return {str(r[0]): tuple(r) for r in result}


def scalar(db: Database, sql: str) -> Any:
    with db.reading() as session:
        return session.connection().exec_driver_sql(sql).scalar()


def outbox(db: Database) -> int:
    return int(scalar(db, "SELECT count(*) FROM sync_outbox") or 0)


def problems(db: Database) -> list[tuple[Any, ...]]:
    with db.reading() as session:
        return list(
            session.connection().exec_driver_sql("SELECT entity, entity_id, kind, reason FROM sync_problem")
        )


def local_totals(db: Database) -> dict[str, int]:
    """The local side of the server's stats: charged lessons, consumption, payments, refunds."""
    return {
        "lessons_consumed": int(scalar(db, "SELECT count(*) FROM attendance WHERE charged = 1") or 0),
        "consumption_fen": int(
            scalar(db, "SELECT coalesce(sum(amount_fen),0) FROM attendance WHERE charged=1") or 0
        ),
        "payments_fen": int(scalar(db, "SELECT coalesce(sum(amount_fen), 0) FROM payment") or 0),
        "refunds_fen": int(scalar(db, "SELECT coalesce(sum(amount_fen), 0) FROM refund") or 0),
    }


def server_totals(server: LiveServer) -> dict[str, int]:
    stats = server.stats()
    return {k: int(stats[k]) for k in ("lessons_consumed", "consumption_fen", "payments_fen", "refunds_fen")}
