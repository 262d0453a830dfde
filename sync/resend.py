"""Re-send what the platform lost: the recovery of a desk from a platform restored from an older backup.

A platform restored from a backup has forgotten rows it had acknowledged: the desk deleted those ops from
its outbox long ago, so nothing would ever push them again, and the desk's pull cursor points past
changes the platform will number anew. The desk notices this three ways (docs/sync.md, "A platform
restored from a backup"):

* the platform's data generation (``epoch`` in ``/v1/meta`` and the ``X-Platform-Epoch`` header of every
  answer) differs from the one this desk last compared with;
* the change feed answers ``reset_required`` with reason ``cursor_ahead`` (the cursor is past its head)
  or ``cursor_unknown`` (the change at the cursor is not the one this desk saw there: the platform has
  numbered new changes with the seqs it lost);
* a push answers ``seq_gap`` asking for a seq this device already had acknowledged.

Then ``resend_lost_rows`` compares every local synced row with the platform's (one pass over the
snapshot's row versions) and, in one local transaction:

* queues an op for each row the platform lacks (``insert``) or holds at an older version (``update``, or
  ``delete`` for a local tombstone, with the platform's version as the base), and sets the row's local
  version to the platform's so the answer writes the new one back;
* re-bases the first pending op of each row on the platform's version (an ``update`` of a row the
  platform lacks becomes an ``insert``; a ``delete`` of one it lacks is dropped: there is nothing to
  delete);
* clears the pull cursor: after the push, the cycle downloads a snapshot (rows with pending ops are kept,
  see ``sync.snapshot``), so rows, totals and platform inbox match the platform again.

Rows the platform holds at the same or a newer version are left to that snapshot. Ledger rows are never
re-sent when the platform has them (append-only). Anything that must make a desk re-check — a desk
restored from its own backup, say — calls ``request_resend`` in its transaction; the next cycle does the
rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Connection

from app.db import Database
from localdb.capture import OUTBOX_COLUMNS, capture_suspended, outbox_expressions
from localdb.models import metadata
from localdb.schema import APPEND_ONLY_TABLES, SYNCED_TABLES
from sync import state
from sync.client import ApiClient

log = logging.getLogger("sync.resend")
#: The entities a desk has rows of (platform-made items are not the desk's to re-send).
_SYNCED = frozenset(SYNCED_TABLES)
#: (entity, entity id) → (version, deleted) of every row the platform holds.
ServerRows = dict[tuple[str, str], tuple[int, bool]]


@dataclass
class ResendResult:
    compared: int = 0  # local rows compared with the platform's
    queued: int = 0  # ops queued for rows the platform lacks or holds at an older version
    rebased: int = 0  # pending ops re-based on the platform's versions (or dropped)


def request_resend(conn: Connection) -> None:
    """Mark, in the caller's transaction, that the next sync cycle must compare and re-send."""
    state.put(conn, state.RESEND, 1)


def resend_requested(conn: Connection) -> bool:
    return state.get(conn, state.RESEND) is not None


def server_rows(client: ApiClient, limit: int = 5000) -> ServerRows:
    """The version and tombstone flag of every synced row the platform holds (paging its snapshot)."""
    rows: ServerRows = {}
    cursor = 0
    while True:
        page = client.snapshot(cursor, limit)
        for item in page["rows"]:
            entity = item.get("entity") if isinstance(item, dict) else None
            version = item.get("version") if isinstance(item, dict) else None
            if entity in _SYNCED and isinstance(version, int):
                rows[(str(entity), str(item.get("entity_id")))] = (version, bool(item.get("deleted")))
        cursor = int(page["next_cursor"])
        if not page["has_more"]:
            return rows


def resend_lost_rows(db: Database, client: ApiClient, *, limit: int = 5000) -> ResendResult:
    """Compare with the platform now and queue what it lacks; the caller pushes, then downloads a
    snapshot (the cursor is cleared). Clears the request mark and remembers the platform's epoch."""
    remote = server_rows(client, limit)
    result = ResendResult()
    with db.transaction() as session:
        conn = session.connection()
        with capture_suspended(conn):
            result.rebased = _rebase_pending(conn, remote)
            pending = _pending_rows(conn)
            for table in SYNCED_TABLES:
                plan = _plan(conn, table, remote, pending, result)
                result.queued += _queue(conn, table, plan)
        state.put(conn, state.CURSOR, None)
        state.put(conn, state.CURSOR_CHECK, None)
        state.put(conn, state.RESEND, None)
        state.put(conn, state.ACKED_SEQ, 0)  # the platform's count restarts where its backup left off
        if client.epoch:
            state.put(conn, state.EPOCH, client.epoch)
    log.warning(
        "platform lost rows: %d compared, %d re-sent, %d pending ops re-based",
        result.compared,
        result.queued,
        result.rebased,
    )
    return result


def _pending_rows(conn: Connection) -> set[tuple[str, str]]:
    return {(str(e), str(i)) for e, i in conn.exec_driver_sql("SELECT entity, entity_id FROM sync_outbox")}


def _rebase_pending(conn: Connection, remote: ServerRows) -> int:
    """The first pending op of each row, made to fit the platform's version of that row."""
    firsts = conn.exec_driver_sql(
        "SELECT o.seq, o.entity, o.entity_id, o.op, o.base_version FROM sync_outbox o"
        " JOIN (SELECT min(seq) AS seq FROM sync_outbox GROUP BY entity, entity_id) f ON f.seq = o.seq"
    ).all()
    changed = 0
    for seq, entity, entity_id, op, base in firsts:
        if entity not in _SYNCED:
            continue
        known = remote.get((entity, entity_id))
        if known is None and op == "delete":
            conn.exec_driver_sql("DELETE FROM sync_outbox_seq WHERE outbox_seq = ?", (seq,))
            conn.exec_driver_sql("DELETE FROM sync_outbox WHERE seq = ?", (seq,))
        elif known is None and op == "update":
            conn.exec_driver_sql(
                "UPDATE sync_outbox SET op = 'insert', base_version = NULL WHERE seq = ?", (seq,)
            )
        elif known is not None and op != "insert" and base != known[0]:
            conn.exec_driver_sql("UPDATE sync_outbox SET base_version = ? WHERE seq = ?", (known[0], seq))
        else:
            continue
        changed += 1
    return changed


def _plan(
    conn: Connection,
    table: str,
    remote: ServerRows,
    pending: set[tuple[str, str]],
    result: ResendResult,
) -> list[tuple[str, str, int | None]]:
    """``(id, op, base_version)`` of the rows of ``table`` to re-send (rows with pending ops excluded)."""
    gone = "deleted_at IS NOT NULL" if "deleted_at" in metadata.tables[table].c else "0"
    plan: list[tuple[str, str, int | None]] = []
    for row_id, version, deleted in conn.exec_driver_sql(f"SELECT id, version, {gone} FROM {table}"):
        result.compared += 1
        if (table, row_id) in pending:
            continue
        known = remote.get((table, row_id))
        if known is None:
            if not deleted:  # a tombstone the platform never had: nothing to tell it
                plan.append((row_id, "insert", None))
        elif table not in APPEND_ONLY_TABLES and known[0] < int(version or 0):
            plan.append((row_id, "delete" if deleted else "update", known[0]))
    return plan


def _queue(conn: Connection, table: str, plan: list[tuple[str, str, int | None]]) -> int:
    """Write the planned ops with the capture triggers' own payload SQL, and set the local versions."""
    if not plan:
        return 0
    conn.exec_driver_sql(
        "CREATE TEMP TABLE IF NOT EXISTS resend_plan (entity_id TEXT PRIMARY KEY, op TEXT, base_version INT)"
    )
    conn.exec_driver_sql("DELETE FROM temp.resend_plan")
    conn.exec_driver_sql("INSERT INTO temp.resend_plan VALUES (?, ?, ?)", plan)
    values = outbox_expressions(metadata.tables[table], "p.op", "r", "p.base_version")
    conn.exec_driver_sql(
        f"INSERT INTO sync_outbox ({', '.join(OUTBOX_COLUMNS)}) SELECT {', '.join(values)}"
        f" FROM {table} AS r JOIN temp.resend_plan AS p ON p.entity_id = r.id ORDER BY p.rowid"
    )
    conn.exec_driver_sql(
        f"UPDATE {table} SET version = ? WHERE id = ?", [(base or 0, row_id) for row_id, _, base in plan]
    )
    conn.exec_driver_sql("DELETE FROM temp.resend_plan")
    return len(plan)
