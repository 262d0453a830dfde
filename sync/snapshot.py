"""Full download: a new desk's first sync, and recovery when the cursor is older than retention (410).

Pages of ``/v1/sync/snapshot`` are mapped to local column values as they arrive and staged in a temporary
SQLite file (not memory: 400,000 rows must fit in a small client), one staging table per synced table with
that table's columns. Then everything is swapped in ONE local transaction: local rows the server does not
have are removed, every staged row is applied, the platform inbox is reloaded and the cursor is set to the
snapshot's ``as_of_seq`` (changes after it come through the feed; applying them again is harmless). Rows
with pending local ops are kept, and so is the outbox: nothing the desk did offline is lost.

A first sync (410,000 rows) must take seconds, so pages are fetched one ahead while the current one is
mapped, and the swap takes a fast path where it can: a table that is empty when the swap begins and has no
pending ops gets its staged rows in ``INSERT ... SELECT`` statements from the attached staging file (no
version or outbox look-ups, no per-row Python), with its plain indexes built once at the end and the idle
capture triggers set aside. Rows that need the desk to be mapped (a platform-made contract's course), rows
that failed mapping and every row of a table that had rows go through the ``Applier`` like a pulled page,
and so does a batch the database refuses, which finds its bad rows one by one: a bad row becomes a
``sync_problem`` either way.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from app.db import Database, translating
from localdb import capture, summaries
from localdb.capture import capture_suspended
from localdb.cipher import connect, driver_connection, driver_errors, key_clause
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES
from sync import state
from sync.apply import ORDER, Applier, Incoming, local_values, pending_ids
from sync.bulkload import indexes_deferred, triggers_set_aside
from sync.client import ApiClient, field
from sync.errors import BadReply, MappingError
from sync.inbox import INBOX_COLUMNS, clear_inbox, inbox_params, restore_handled, store_inbox
from sync.mapping import spec

PAGE = 5000
#: Staged rows per batch when a table cannot be copied in one statement (a refused row, rows to map): each
#: batch is copied in its own savepoint or, failing that, goes through the Applier.
BATCH = 2000

#: A snapshot row's fields: entity, entity id, version, deleted, payload.
Item = tuple[str, str, int, bool, dict[str, Any]]


@dataclass
class SnapshotResult:
    rows: int = 0
    applied: int = 0
    removed: int = 0
    problems: int = 0
    as_of_seq: int = 0
    as_of_check: str | None = None


def _row(item: Any) -> Item:
    """A snapshot row's fields; the exact JSON types take a fast path, anything else is checked."""
    if (
        type(item) is dict
        and type(payload := item.get("payload")) is dict
        and type(entity := item.get("entity")) is str
        and type(entity_id := item.get("entity_id")) is str
        and type(version := item.get("version")) is int
        and type(deleted := item.get("deleted")) is bool
        and type(item.get("row_id")) is int
    ):
        return (entity, entity_id, version, deleted, payload)
    return _checked_row(item)


def _checked_row(item: Any) -> Item:
    payload = item.get("payload") if isinstance(item, dict) else None
    if not isinstance(payload, dict):
        raise BadReply("payload")
    entity = field(item, "entity", str)
    field(item, "row_id", int)
    return (
        entity,
        field(item, "entity_id", str),
        field(item, "version", int),
        field(item, "deleted", bool),
        payload,
    )


class _NeedsDesk(Exception):
    """Mapping this row reads another row (a platform-made contract's course): the swap maps it."""


def _no_lookup(table: str, row_id: str, column: str) -> Any:
    raise _NeedsDesk(table)


class _Layout:
    """How one synced table's rows are staged: its columns in table order, and the columns a row speaks
    about as a bit mask (a payload may leave some out: an insert then gives them their defaults)."""

    def __init__(self, entity: str) -> None:
        self.entity = entity
        self.columns = tuple(c.name for c in metadata.tables[entity].columns)
        if len(self.columns) > 63:  # masks are SQLite integers (capture allows no more columns either)
            raise ValueError(f"{entity}: too many columns for a staging mask")
        self.bits = {name: 1 << i for i, name in enumerate(self.columns)}
        self.required = sum(self.bits[name] for name in spec(entity).required)
        self.tombstone = spec(entity).tombstone
        self._id = self.columns.index("id")
        self._version = self.columns.index("version")
        self._masks: dict[tuple[str, ...], int] = {}

    def mask(self, values: dict[str, Any]) -> int:
        """The columns of ``values``; rows of one table nearly always list them in one order (cached)."""
        key = tuple(values)
        mask = self._masks.get(key)
        if mask is None:
            mask = self._masks[key] = sum(self.bits.get(name, 0) for name in key)
        return mask

    def picked(self, mask: int) -> tuple[str, ...]:
        return tuple(name for name in self.columns if self.bits[name] & mask)

    def mapped(self, row: Incoming, values: dict[str, Any]) -> tuple[Any, ...]:
        """A staged mapped row: ``_deleted, _mask, _fast, _payload`` and then every column."""
        mask = self.mask(values)
        fast = mask & self.required == self.required and (self.tombstone or not row.deleted)
        return (int(row.deleted), mask, int(fast), None, *map(values.get, self.columns))

    def unmapped(self, row: Incoming) -> tuple[Any, ...]:
        """A staged row the swap maps from its payload (with the desk's rows at hand)."""
        values: list[Any] = [None] * len(self.columns)
        values[self._id], values[self._version] = row.entity_id, row.version
        return (int(row.deleted), 0, 0, orjson.dumps(row.payload), *values)

    def incoming(self, staged: tuple[Any, ...]) -> Incoming:
        """A staged row (``_deleted, _mask, _payload`` and every column) back as an ``Incoming`` row."""
        deleted, mask, payload, *values = staged
        entity_id, version = values[self._id], values[self._version]
        if payload is not None:
            return Incoming(self.entity, entity_id, version, bool(deleted), orjson.loads(payload))
        columns = zip(self.columns, values, strict=True)
        picked = {name: value for name, value in columns if self.bits[name] & mask}
        return Incoming(self.entity, entity_id, version, bool(deleted), {}, picked)


@cache
def _layout(entity: str) -> _Layout:
    return _Layout(entity)


def _staged(row: Incoming) -> tuple[Any, ...]:
    """Map a synced row while downloading; what cannot be mapped without the desk is mapped in the swap."""
    layout = _layout(row.entity)
    try:
        # a required column set to null is left to its NOT NULL constraint (fast batch) or check_required
        values = local_values(row, _no_lookup)
    except (_NeedsDesk, MappingError):
        return layout.unmapped(row)
    return layout.mapped(row, values)


class Staging:
    """A throwaway SQLite file holding the downloaded rows until the swap.

    ``st_<table>`` per synced table (meta columns, then the table's own), ``st_inbox`` with the platform
    inbox's columns and ``st_unmappable`` for platform rows whose inbox columns are malformed (problems).
    """

    def __init__(self, key: bytes | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="instdesk-staging-"))
        self.path = self.dir / "staging.db"
        # encrypted with the database's key (the rows hold ID numbers too)
        self.conn = connect(self.path, key, isolation_level="")
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        for entity in SYNCED_TABLES:
            columns = ", ".join(_layout(entity).columns)
            self.conn.execute(f"CREATE TABLE st_{entity} (_deleted, _mask, _fast, _payload, {columns})")
        self.conn.execute(f"CREATE TABLE st_inbox ({', '.join(INBOX_COLUMNS)})")
        self.conn.execute("CREATE TABLE st_unmappable (entity, entity_id, version, deleted, payload)")

    def add(self, items: list[Item]) -> None:
        synced: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        inbox: list[tuple[Any, ...]] = []
        unmappable: list[tuple[Any, ...]] = []
        for entity, entity_id, version, deleted, payload in items:
            if entity in ORDER:
                synced[entity].append(_staged(Incoming(entity, entity_id, version, deleted, payload)))
                continue
            try:
                inbox.append(inbox_params(entity, entity_id, version, deleted, payload))
            except MappingError:
                unmappable.append((entity, entity_id, version, int(deleted), orjson.dumps(payload)))
        for entity, rows in synced.items():
            marks = ", ".join("?" * (len(_layout(entity).columns) + 4))
            self.conn.executemany(f"INSERT INTO st_{entity} VALUES ({marks})", rows)
        self.conn.executemany(f"INSERT INTO st_inbox VALUES ({', '.join('?' * len(INBOX_COLUMNS))})", inbox)
        self.conn.executemany("INSERT INTO st_unmappable VALUES (?, ?, ?, ?, ?)", unmappable)
        self.conn.commit()

    def ids(self, entity: str) -> set[str]:
        return {r[0] for r in self.conn.execute(f"SELECT id FROM st_{entity}")}

    def span(self, table: str) -> tuple[int, int]:
        """The rowid range ``[start, end)`` of all rows of staging table ``table`` (never deleted from)."""
        last = self.conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        return 1, last + 1

    def batches(self, table: str) -> Iterator[tuple[int, int]]:
        """Rowid ranges ``[start, end)`` of ``BATCH`` rows of staging table ``table``, in download order."""
        first, end = self.span(table)
        for start in range(first, end, BATCH):
            yield start, min(start + BATCH, end)

    def masks(self, entity: str, start: int, end: int) -> dict[int, bool]:
        """Column masks of a batch, each with whether all its rows can be inserted as they are."""
        sql = f"SELECT _mask, min(_fast) FROM st_{entity} WHERE rowid >= ? AND rowid < ? GROUP BY _mask"
        return {int(mask): bool(fast) for mask, fast in self.conn.execute(sql, (start, end))}

    def incoming(self, entity: str, start: int, end: int) -> list[Incoming]:
        layout = _layout(entity)
        sql = (
            f"SELECT _deleted, _mask, _payload, {', '.join(layout.columns)} FROM st_{entity}"
            " WHERE rowid >= ? AND rowid < ? ORDER BY rowid"
        )
        return [layout.incoming(r) for r in self.conn.execute(sql, (start, end))]

    def inbox(self, start: int, end: int) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT * FROM st_inbox WHERE rowid >= ? AND rowid < ?", (start, end)
        ).fetchall()

    def unmappable(self) -> Iterator[list[Incoming]]:
        cur = self.conn.execute("SELECT * FROM st_unmappable ORDER BY rowid")
        while batch := cur.fetchmany(BATCH):
            yield [Incoming(e, i, v, bool(d), orjson.loads(p)) for e, i, v, d, p in batch]

    def close(self) -> None:
        self.conn.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@cache
def _copy_sql(entity: str, mask: int) -> str:
    """Copies a batch's staged rows with column mask ``mask`` (parameters: mask, first and end rowid)."""
    columns = ", ".join(_layout(entity).picked(mask))
    return (
        f"INSERT INTO main.{entity} ({columns}) SELECT {columns} FROM staging.st_{entity}"
        " WHERE _mask = ? AND rowid >= ? AND rowid < ? ORDER BY rowid"
    )


_INBOX_COPY_SQL = (
    f"INSERT INTO main.platform_inbox ({', '.join(INBOX_COLUMNS)}) SELECT {', '.join(INBOX_COLUMNS)}"
    " FROM staging.st_inbox WHERE rowid >= ? AND rowid < ? ORDER BY rowid"
)


@contextmanager
def _attached(db: Database, staging: Staging) -> Iterator[Connection]:
    """A write transaction of ``db`` (``Database.immediate``) on a connection that sees the staging file as
    schema ``staging``.

    Rows then go from staging to their tables in ``INSERT ... SELECT`` statements, without a trip through
    Python. ATTACH and DETACH cannot run inside a transaction, so the connection is held for the whole swap:
    attached before the transaction, detached after its commit or rollback, before it returns to the pool.
    Storage failures (of the database or of the staging file) are translated, and a damaged file refuses the
    write, as everywhere (``app.db``).
    """
    db.require_sound()
    with db.connection() as conn:
        raw = driver_connection(conn)
        raw.execute(f"ATTACH DATABASE ? AS staging {key_clause(db.key)}", (str(staging.path),))
        try:
            with db.immediate(conn):
                yield conn
        finally:
            _detach(conn, raw)


def _detach(conn: Connection, raw: sqlite3.Connection) -> None:
    try:
        raw.execute("DETACH DATABASE staging")
    except driver_errors():
        conn.invalidate()  # never hand a connection with the staging file attached back to the pool


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
        if not local:
            continue  # a new desk: no need to list what the snapshot has
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


def fresh_tables(conn: Connection) -> list[str]:
    """Synced tables without rows or outbox ops: the snapshot's rows go in without looking at the desk."""
    pending = {str(r[0]) for r in conn.exec_driver_sql("SELECT DISTINCT entity FROM sync_outbox")}
    return [
        table
        for table in SYNCED_TABLES
        if table not in pending and conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is None
    ]


class _Writer:
    """Writes the staged rows inside the swap's transaction (capture suspended, its triggers set aside)."""

    def __init__(self, conn: Connection, staging: Staging, fresh: list[str]) -> None:
        self.conn = conn
        self.staging = staging
        self.fresh = frozenset(fresh)
        self.applier = Applier(conn, authoritative=True)
        self.inserted = 0
        self.inbox = 0

    def run(self) -> None:
        self._inbox()
        for rows in self.staging.unmappable():
            self.applier.apply(rows)
        for entity in SYNCED_TABLES:
            self._table(entity)

    def _inbox(self) -> None:
        """The inbox was cleared in this transaction: plain copies, the upsert only for a repeated row.

        One statement for all rows if it can (each savepoint of a batch re-journals the pages the batches
        before it wrote), else batch by batch."""
        if self._copy_inbox(*self.staging.span("st_inbox")):
            return
        for start, end in self.staging.batches("st_inbox"):
            if not self._copy_inbox(start, end):
                # a platform row twice in one snapshot: the upsert keeps the newest version
                self.inbox += store_inbox(self.conn, self.staging.inbox(start, end))

    def _copy_inbox(self, start: int, end: int) -> bool:
        try:
            with self.conn.begin_nested():
                copied = self.conn.exec_driver_sql(_INBOX_COPY_SQL, (start, end)).rowcount
        except IntegrityError:
            return False
        self.inbox += copied
        return True

    def _table(self, entity: str) -> None:
        """A fresh table's rows in one copy if all can go as staged, else batch by batch: copied where they
        can, through the Applier where not (which finds a refused batch's bad rows one by one)."""
        if entity in self.fresh and self._copy(entity, *self.staging.span(f"st_{entity}")):
            return
        for start, end in self.staging.batches(f"st_{entity}"):
            if entity not in self.fresh or not self._copy(entity, start, end):
                self.applier.apply(self.staging.incoming(entity, start, end))

    def _copy(self, entity: str, start: int, end: int) -> bool:
        """Copy staged rows ``[start, end)`` of a fresh table as they are; False (nothing written) when
        one needs the Applier: a row to map or delete, a required column missing, or a refused row."""
        masks = self.staging.masks(entity, start, end)
        if not all(masks.values()):
            return False
        copied = 0
        try:
            with self.conn.begin_nested():
                for mask in masks:
                    copied += self.conn.exec_driver_sql(_copy_sql(entity, mask), (mask, start, end)).rowcount
        except IntegrityError:
            return False
        self.inserted += copied
        return True

    def fill(self, result: SnapshotResult) -> None:
        applied = self.applier.result
        result.applied = self.inserted + self.inbox + applied.applied + applied.inbox
        result.problems = applied.problems


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
        # the staging file's own failures (a full temporary disk) are storage failures too
        with translating():
            staging = Staging(self.db.key)
            try:
                self._download(staging)
                self._swap(staging)
            finally:
                staging.close()
        return self.result

    def _download(self, staging: Staging) -> None:
        """Fetch pages one ahead in a thread: the server builds page n + 1 while this one is mapped and
        staged (the GIL is free while the thread waits on the socket). Leaving waits for that fetch."""
        cursor, as_of = 0, None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-fetch") as fetcher:
            ahead = fetcher.submit(self.client.snapshot, cursor, self.limit)
            while True:
                body = ahead.result()
                if as_of is None:
                    as_of = int(body["as_of_seq"])
                    check = body.get("as_of_check")
                    self.result.as_of_check = check if isinstance(check, str) else None
                if int(body["next_cursor"]) < cursor or (body["has_more"] and not body["rows"]):
                    raise BadReply("next_cursor")
                cursor = int(body["next_cursor"])
                if body["has_more"]:
                    ahead = fetcher.submit(self.client.snapshot, cursor, self.limit)
                staging.add([_row(item) for item in body["rows"]])
                self.result.rows += len(body["rows"])
                if self.progress is not None:
                    self.progress(self.result.rows)
                if not body["has_more"]:
                    self.result.as_of_seq = as_of
                    return

    def _swap(self, staging: Staging) -> None:
        with _attached(self.db, staging) as conn:
            # Triggers would fire on every applied row: the summary ones are dropped for the swap, then
            # reinstalled and rebuilt set-based; the capture ones (idle: capture is suspended) are set aside
            # and restored as they were. All in this transaction: a rollback restores them.
            triggers = bool(summaries.installed_triggers(conn))
            if triggers:
                summaries.uninstall(conn)
            with capture_suspended(conn), triggers_set_aside(conn, capture.installed_triggers(conn)):
                handled = clear_inbox(conn)
                self.result.removed = remove_unknown(conn, staging)
                fresh = fresh_tables(conn)
                # the inbox was just cleared: it loads like a fresh table
                with indexes_deferred(conn, [*fresh, "platform_inbox"]):
                    writer = _Writer(conn, staging, fresh)
                    writer.run()
                writer.fill(self.result)
                restore_handled(conn, handled)
                state.put(conn, state.CURSOR, self.result.as_of_seq)
                state.put(conn, state.CURSOR_CHECK, self.result.as_of_check)
            if triggers:
                summaries.install(conn)
                summaries.rebuild(conn)
