"""Reconciliation: local totals and row counts against the server's (``instdesk check --server``).

Totals come from ``GET /v1/stats`` (lessons consumed, units, 课消 amount, payments, refunds); row counts
per entity, and the platform inbox items (complaints, refund requests, confirmations...) by id and
version, from paging the snapshot, since the platform has no count endpoint. Only meaningful when the
outbox is empty and the desk has just pulled, which ``check`` does first.
"""

from __future__ import annotations

from collections.abc import Mapping
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


#: platform inbox items by entity: {entity: {(entity id, version)}}
Inbox = dict[str, set[tuple[str, int]]]


def local_inbox(conn: Connection) -> Inbox:
    items: Inbox = {}
    for entity, entity_id, version in conn.exec_driver_sql(
        "SELECT entity, entity_id, version FROM platform_inbox WHERE deleted = 0"
    ):
        items.setdefault(str(entity), set()).add((str(entity_id), int(version)))
    return items


def server_rows(client: ApiClient, limit: int = 5000) -> tuple[dict[str, int], Inbox]:
    """Live rows per synced table, and the platform's own items (what a desk keeps in its inbox)."""
    counts = dict.fromkeys(SYNCED_TABLES, 0)
    inbox: Inbox = {}
    cursor = 0
    while True:
        page = client.snapshot(cursor, limit)
        for row in page["rows"]:
            if not isinstance(row, dict) or row.get("deleted"):
                continue
            entity = row.get("entity")
            if entity in counts:
                counts[entity] += 1
            elif isinstance(entity, str) and isinstance(row.get("version"), int):
                inbox.setdefault(entity, set()).add((str(row.get("entity_id")), row["version"]))
        cursor = int(page["next_cursor"])
        if not page["has_more"]:
            return counts, inbox


def inbox_differences(local: Inbox, remote: Inbox) -> list[Difference]:
    """One difference per entity whose items (by id and version) differ; shown as the two counts."""
    diffs = []
    for entity in sorted(set(local) | set(remote)):
        mine, theirs = local.get(entity, set()), remote.get(entity, set())
        if mine != theirs:
            diffs.append(Difference(f"inbox.{entity}", len(mine), len(theirs)))
    return diffs


def _server_value(stats: Mapping[str, Any], key: str) -> Any:
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
        totals, counts, inbox = local_totals(conn), local_counts(conn), local_inbox(conn)
    diffs = [
        Difference(key, totals[key], _server_value(stats, key))
        for key in TOTAL_KEYS
        if totals[key] != _server_value(stats, key)
    ]
    remote, remote_inbox = server_rows(client)
    diffs += [Difference(f"rows.{t}", counts[t], remote[t]) for t in SYNCED_TABLES if counts[t] != remote[t]]
    return diffs + inbox_differences(inbox, remote_inbox)
