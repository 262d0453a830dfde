"""Full download: a new desk's first sync, and recovery when the cursor is older than retention (410).

Pages of ``/v1/sync/snapshot`` are staged in a temporary SQLite file (not memory: 200,000 rows must fit
in a small client), then swapped in ONE local transaction: local rows the server does not have are
removed, every staged row is applied, the platform inbox is reloaded and the cursor is set to the
snapshot's ``as_of_seq`` (changes after it come through the feed; applying them again is harmless).
Rows with pending local ops are kept, and so is the outbox: nothing the desk did offline is lost.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection

from app.db import Database
from localdb import summaries
from localdb.capture import capture_suspended
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES
from sync import state
from sync.apply import ORDER, Applier, Incoming, pending_ids
from sync.client import ApiClient, field
from sync.errors import BadReply
from sync.inbox import clear_inbox

PAGE = 5000
CHUNK = 5000


@dataclass
class SnapshotResult:
    rows: int = 0
    applied: int = 0
    removed: int = 0
    problems: int = 0
    as_of_seq: int = 0


def _row(item: Any) -> tuple[int, str, str, int, int, bytes]:
    """A snapshot row for staging; the exact JSON types take a fast path, anything else is checked."""
    if (
        type(item) is dict
        and type(payload := item.get("payload")) is dict
        and type(entity := item.get("entity")) is str
        and type(entity_id := item.get("entity_id")) is str
        and type(version := item.get("version")) is int
        and type(deleted := item.get("deleted")) is bool
        and type(item.get("row_id")) is int
    ):
        return (ORDER.get(entity, -1), entity, entity_id, version, int(deleted), orjson.dumps(payload))
    return _checked_row(item)


def _checked_row(item: Any) -> tuple[int, str, str, int, int, bytes]:
    payload = item.get("payload") if isinstance(item, dict) else None
    if not isinstance(payload, dict):
        raise BadReply("payload")
    entity = field(item, "entity", str)
    field(item, "row_id", int)
    return (ORDER.get(entity, -1), entity, field(item, "entity_id", str), field(item, "version", int),
            int(field(item, "deleted", bool)), orjson.dumps(payload))  # fmt: skip


class Staging:
    """A throwaway SQLite file holding the downloaded rows until the swap."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="instdesk-staging-"))
        self.conn = sqlite3.connect(self.dir / "staging.db")
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute(
            "CREATE TABLE staging_rows (ord INTEGER, entity TEXT, entity_id TEXT, version INTEGER,"
            " deleted INTEGER, payload BLOB)"
        )

    def add(self, rows: list[tuple[int, str, str, int, int, bytes]]) -> None:
        self.conn.executemany("INSERT INTO staging_rows VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.conn.commit()

    def ids(self, entity: str) -> set[str]:
        return {
            r[0] for r in self.conn.execute("SELECT entity_id FROM staging_rows WHERE entity = ?", (entity,))
        }

    def chunks(self) -> Iterator[list[Incoming]]:
        cur = self.conn.execute(
            "SELECT entity, entity_id, version, deleted, payload FROM staging_rows ORDER BY ord, rowid"
        )
        while batch := cur.fetchmany(CHUNK):
            yield [Incoming(e, i, v, bool(d), orjson.loads(p)) for e, i, v, d, p in batch]

    def close(self) -> None:
        self.conn.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def _referenced_guard(table: str) -> str:
    """SQL that is true when no row of any child table points at ``table``'s row ``id``."""
    guards = []
    for child in metadata.tables.values():
        if child.name not in SYNCED_TABLES:
            continue
        for fk in child.foreign_keys:
            if fk.column.table.name == table:
                guards.append(
                    f"NOT EXISTS (SELECT 1 FROM {child.name} c WHERE c.{fk.parent.name} = {table}.id)"
                )
    return " AND ".join(guards) if guards else "1"


def remove_unknown(conn: Connection, staging: Staging) -> int:
    """Delete local rows the snapshot lacks (children first), keeping those with pending ops or children."""
    removed = 0
    for table in reversed(SYNCED_TABLES):
        local = {str(r[0]) for r in conn.exec_driver_sql(f"SELECT id FROM {table}")}
        gone = sorted(local - staging.ids(table))
        keep = pending_ids(conn, table, gone) if gone else set()
        gone = [i for i in gone if i not in keep]
        guard = _referenced_guard(table)
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            marks = ",".join("?" * len(chunk))
            res = conn.exec_driver_sql(f"DELETE FROM {table} WHERE id IN ({marks}) AND {guard}", tuple(chunk))
            removed += max(res.rowcount, 0)
    return removed


class SnapshotLoader:
    """Downloads the whole institution and swaps it in; ``progress(rows)`` while downloading."""

    def __init__(
        self,
        db: Database,
        client: ApiClient,
        *,
        limit: int = PAGE,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.limit = limit
        self.progress = progress
        self.result = SnapshotResult()

    def run(self) -> SnapshotResult:
        staging = Staging()
        try:
            self._download(staging)
            self._swap(staging)
        finally:
            staging.close()
        return self.result

    def _download(self, staging: Staging) -> None:
        cursor, as_of = 0, None
        while True:
            body = self.client.snapshot(cursor, self.limit)
            rows = [_row(item) for item in body["rows"]]
            as_of = int(body["as_of_seq"]) if as_of is None else as_of
            if int(body["next_cursor"]) < cursor or (body["has_more"] and not rows):
                raise BadReply("next_cursor")
            staging.add(rows)
            self.result.rows += len(rows)
            cursor = int(body["next_cursor"])
            if self.progress is not None:
                self.progress(self.result.rows)
            if not body["has_more"]:
                self.result.as_of_seq = as_of
                return

    def _swap(self, staging: Staging) -> None:
        with self.db.transaction() as session:
            conn = session.connection()
            # The summary triggers would fire on every applied row: drop them for the swap, then reinstall
            # and rebuild set-based, all in this transaction (a rollback restores them).
            triggers = bool(summaries.installed_triggers(conn))
            if triggers:
                summaries.uninstall(conn)
            with capture_suspended(conn):
                clear_inbox(conn)
                self.result.removed = remove_unknown(conn, staging)
                applier = Applier(conn, authoritative=True)
                for chunk in staging.chunks():
                    applier.apply(chunk)
                self.result.applied = applier.result.applied + applier.result.inbox
                self.result.problems = applier.result.problems
                state.put(conn, state.CURSOR, self.result.as_of_seq)
            if triggers:
                summaries.install(conn)
                summaries.rebuild(conn)
