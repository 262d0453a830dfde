"""Platform-only rows (消课 confirmations, refund requests, complaints, reviews, escrow) → ``platform_inbox``.

They have no desk table: the desk reads them, answers some through the API (refund requests), and the
deadlines they carry (5 working days for a refund request) are shown from the ``deadline`` column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Connection

from sync.mapping import inbox_columns
from sync.wire import JsonObject

#: The columns ``inbox_params`` gives values for, in order.
INBOX_COLUMNS = (
    "entity", "entity_id", "version", "status", "related_id", "amount_fen", "deadline", "deleted", "payload"
)  # fmt: skip
_INSERT = (
    f"INSERT INTO platform_inbox ({', '.join(INBOX_COLUMNS)}) VALUES ({', '.join('?' * len(INBOX_COLUMNS))})"
)
_UPSERT = (
    _INSERT + " ON CONFLICT(entity, entity_id) DO UPDATE SET version = excluded.version,"
    " status = excluded.status, related_id = excluded.related_id, amount_fen = excluded.amount_fen,"
    " deadline = excluded.deadline, deleted = excluded.deleted, payload = excluded.payload"
    " WHERE excluded.version >= platform_inbox.version"
)


def inbox_params(
    entity: str, entity_id: str, version: int, deleted: bool, payload: JsonObject
) -> tuple[Any, ...]:
    """The parameters of one upsert; ``MappingError`` when a copied-out field is malformed."""
    cols = inbox_columns(entity, payload)
    return (
        entity,
        entity_id,
        version,
        cols["status"],
        cols["related_id"],
        cols["amount_fen"],
        cols["deadline"],
        int(deleted),
        orjson.dumps(payload).decode(),
    )


def store_inbox(conn: Connection, params: Iterable[tuple[Any, ...]]) -> int:
    """Upsert rows (a newer version wins); returns how many were given."""
    rows = list(params)
    if rows:
        conn.exec_driver_sql(_UPSERT, rows)
    return len(rows)


def clear_inbox(conn: Connection) -> list[tuple[Any, ...]]:
    """Before a snapshot swap: the snapshot holds every platform row again. Returns the desk's own marks
    (``handled_at, entity, entity_id`` of the items it had handled) for ``restore_handled``."""
    marks = conn.exec_driver_sql(
        "SELECT handled_at, entity, entity_id FROM platform_inbox WHERE handled_at IS NOT NULL"
    ).all()
    conn.exec_driver_sql("DELETE FROM platform_inbox")
    return [tuple(mark) for mark in marks]


def restore_handled(conn: Connection, marks: list[tuple[Any, ...]]) -> None:
    """After the swap: items the desk had handled stay handled (a reset must not bring them back)."""
    if marks:
        conn.exec_driver_sql(
            "UPDATE platform_inbox SET handled_at = ? WHERE entity = ? AND entity_id = ?", marks
        )
