"""Reconciliation: local totals and row counts against the server's (``instdesk check --server``).

Totals come from ``GET /v1/stats`` (lessons consumed, units, 课消 amount, payments, refunds); row counts
per entity from paging the snapshot, since the platform has no count endpoint. Only meaningful when the
outbox is empty and the desk has just pulled, which ``check`` does first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection

from app.db import Database
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES
from localdb.types import units_from_x100
from sync.client import ApiClient
from sync.errors import BadReply

TOTAL_KEYS = ("lessons_consumed", "units_consumed", "consumption_fen", "payments_fen", "refunds_fen")


@dataclass(frozen=True)
class Difference:
    what: str
    local: Any
    server: Any


def _one(conn: Connection, sql: str) -> int:
    return int(conn.exec_driver_sql(sql).scalar() or 0)


def local_totals(conn: Connection) -> dict[str, Any]:
    charged = "FROM attendance WHERE charged = 1"
    return {
        "lessons_consumed": _one(conn, f"SELECT count(*) {charged}"),
        "units_consumed": units_from_x100(_one(conn, f"SELECT coalesce(sum(units_x100), 0) {charged}")),
        "consumption_fen": _one(conn, f"SELECT coalesce(sum(amount_fen), 0) {charged}"),
        "payments_fen": _one(conn, "SELECT coalesce(sum(amount_fen), 0) FROM payment"),
        "refunds_fen": _one(conn, "SELECT coalesce(sum(amount_fen), 0) FROM refund"),
    }


def local_counts(conn: Connection) -> dict[str, int]:
    out = {}
    for table in SYNCED_TABLES:
        live = " WHERE deleted_at IS NULL" if "deleted_at" in metadata.tables[table].c else ""
        out[table] = _one(conn, f"SELECT count(*) FROM {table}{live}")
    return out


def server_counts(client: ApiClient, limit: int = 5000) -> dict[str, int]:
    counts = dict.fromkeys(SYNCED_TABLES, 0)
    cursor = 0
    while True:
        page = client.snapshot(cursor, limit)
        for row in page["rows"]:
            if isinstance(row, dict) and row.get("entity") in counts and not row.get("deleted"):
                counts[row["entity"]] += 1
        cursor = int(page["next_cursor"])
        if not page["has_more"]:
            return counts


def _server_value(stats: dict[str, Any], key: str) -> Any:
    value = stats.get(key)
    try:
        return Decimal(str(value)) if key == "units_consumed" else int(value)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise BadReply(f"stats.{key}") from exc


def compare(db: Database, client: ApiClient) -> list[Difference]:
    """Every total and entity count that differs between this desk and the server."""
    stats = client.stats()
    with db.reading() as session:
        conn = session.connection()
        totals, counts = local_totals(conn), local_counts(conn)
    diffs = [
        Difference(key, totals[key], _server_value(stats, key))
        for key in TOTAL_KEYS
        if totals[key] != _server_value(stats, key)
    ]
    remote = server_counts(client)
    diffs += [Difference(f"rows.{t}", counts[t], remote[t]) for t in SYNCED_TABLES if counts[t] != remote[t]]
    return diffs
