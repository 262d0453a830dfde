"""Apply rows that came from the server to the local tables, with capture suspended by the caller.

One call applies one page (or one snapshot chunk) inside the caller's transaction:

* rows with pending local ops are not overwritten (the op will be pushed, and conflict if it must);
* a row is applied only if its version is newer than the local one (course and staff also at equal
  version: the platform may have kept a regulated field of our own push);
* parents are written before children (``SYNCED_TABLES`` order), statements are batched per table;
* a row that cannot be mapped or stored (bad value, unknown parent, broken constraint) becomes a
  ``sync_problem`` — found by re-running a failed batch row by row in savepoints — and never stops the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from localdb.ids import new_id
from localdb.schema import SYNCED_TABLES
from localdb.types import format_utc
from sync.errors import MappingError
from sync.inbox import inbox_params, store_inbox
from sync.mapping import Lookup, from_wire, spec, to_wire

ORDER = {name: i for i, name in enumerate(SYNCED_TABLES)}
REGULATED = frozenset({"course", "staff"})
CHUNK = 900
#: Rows per savepoint. On a table with triggers (even idle ones) the cost of one savepoint grows with the
#: square of the rows under it (measured: 200,000 attendance rows took 75 s in savepoints of 5,000 rows
#: and about 3 s in savepoints of 200; the same with raw sqlite3 and no SQLAlchemy).
SAVEPOINT_ROWS = 200


@dataclass(frozen=True)
class Incoming:
    """One row state from the server (a change, a snapshot row or a conflict's server row)."""

    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: dict[str, Any]
    #: The row's local column values when it was mapped already (a snapshot maps while it downloads); the
    #: payload is then left empty and a problem shows these values in wire form.
    values: dict[str, Any] | None = None


@dataclass
class ApplyResult:
    applied: int = 0
    skipped: int = 0
    inbox: int = 0
    problems: int = 0


def latest(rows: Iterable[Incoming]) -> list[Incoming]:
    """The newest state per row, parents' tables first (stable within a table)."""
    newest: dict[tuple[str, str], Incoming] = {}
    for row in rows:
        key = (row.entity, row.entity_id)
        if key not in newest or row.version >= newest[key].version:
            newest[key] = row
    return sorted(newest.values(), key=lambda r: ORDER.get(r.entity, len(ORDER)))


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def pending_ids(conn: Connection, entity: str, ids: Sequence[str]) -> set[str]:
    """Ids of ``entity`` with ops still in the outbox (skipped when the outbox is empty)."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT entity_id FROM sync_outbox WHERE entity = ? AND entity_id IN ({marks})"
        found.update(str(r[0]) for r in conn.exec_driver_sql(sql, (entity, *chunk)))
    return found


def local_versions(conn: Connection, entity: str, ids: Sequence[str]) -> dict[str, int]:
    versions: dict[str, int] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, version FROM {entity} WHERE id IN ({marks})"
        versions.update((str(i), int(v)) for i, v in conn.exec_driver_sql(sql, tuple(chunk)))
    return versions


def local_values(row: Incoming, lookup: Lookup) -> dict[str, Any]:
    """The local columns a synced row's payload speaks about, with ``id`` and ``version``.

    ``MappingError`` when a value cannot be stored; whether required columns may be missing depends on the
    desk (an update may omit them), so ``check_required`` is left to the writer.
    """
    values = from_wire(row.entity, row.payload, lookup)
    values.pop("version", None)
    values["id"] = row.entity_id
    if row.deleted and values.get("deleted_at") is None:
        values["deleted_at"] = format_utc(dt.datetime.now(dt.UTC))
    elif not row.deleted and spec(row.entity).tombstone:
        values["deleted_at"] = values.get("deleted_at")
    values["version"] = row.version
    return values


def check_required(entity: str, values: dict[str, Any], *, insert: bool) -> None:
    """``MappingError`` when an inserted row lacks a required column, or any row sets one to null."""
    s = spec(entity)
    missing = s.required - values.keys() if insert else set()
    if missing:
        raise MappingError(f"{entity}: 缺少字段 {', '.join(sorted(missing))}")
    if any(values.get(c) is None for c in s.required if c in values):
        raise MappingError(f"{entity}: 必填字段为空")


def record_problem(
    conn: Connection,
    entity: str,
    entity_id: str,
    reason: str,
    server_row: Any,
    *,
    op_id: str | None = None,
    kind: str = "rejected",
    local_payload: str | None = None,
) -> None:
    """A row the user must look at: shown in the sync problems list, never blocks the queue."""
    conn.exec_driver_sql(
        "INSERT INTO sync_problem (id, op_id, entity, entity_id, kind, reason, server_row, local_payload,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_id(),
            op_id,
            entity,
            entity_id[:36],
            kind,
            reason,
            None if server_row is None else orjson.dumps(server_row, default=str).decode(),
            local_payload,
            format_utc(dt.datetime.now(dt.UTC)),
        ),
    )


class Applier:
    """Applies pages of ``Incoming`` rows through one connection inside the caller's transaction."""

    def __init__(
        self,
        conn: Connection,
        *,
        respect_pending: bool = True,
        outbox_empty: bool | None = None,
        authoritative: bool = False,
    ) -> None:
        self.conn = conn
        self.respect_pending = respect_pending
        self.authoritative = authoritative  # a snapshot: any other version is replaced
        if outbox_empty is None:
            outbox_empty = conn.exec_driver_sql("SELECT 1 FROM sync_outbox LIMIT 1").first() is None
        self.outbox_empty = outbox_empty
        self.result = ApplyResult()
        self._page: dict[tuple[str, str], dict[str, Any]] = {}

    def apply(self, rows: Iterable[Incoming]) -> ApplyResult:
        ordered = latest(rows)
        inbox = [r for r in ordered if r.entity not in ORDER]
        self._inbox(inbox)
        by_table: dict[str, list[Incoming]] = defaultdict(list)
        for row in ordered:
            if row.entity in ORDER:
                by_table[row.entity].append(row)
        for entity in SYNCED_TABLES:
            if by_table.get(entity):
                self._table(entity, by_table[entity])
        self._page.clear()
        return self.result

    # ------------------------------------------------------------ platform inbox

    def _inbox(self, rows: list[Incoming]) -> None:
        params = []
        for row in rows:
            try:
                params.append(inbox_params(row.entity, row.entity_id, row.version, row.deleted, row.payload))
            except MappingError as exc:
                self._problem(row, str(exc))
        self.result.inbox += store_inbox(self.conn, params)

    # ------------------------------------------------------------ synced tables

    def _table(self, entity: str, rows: list[Incoming]) -> None:
        ids = [r.entity_id for r in rows]
        skip = (
            set() if (self.outbox_empty or not self.respect_pending) else pending_ids(self.conn, entity, ids)
        )
        have = local_versions(self.conn, entity, ids)
        inserts: list[tuple[Incoming, dict[str, Any]]] = []
        updates: list[tuple[Incoming, dict[str, Any]]] = []
        deletes: list[Incoming] = []
        for row in rows:
            local = have.get(row.entity_id)
            if row.entity_id in skip or not self._newer(entity, row.version, local):
                self.result.skipped += 1
                continue
            if row.deleted and not spec(entity).tombstone:
                deletes.append(row)
                continue
            values = self._map(row, exists=local is not None)
            if values is not None:
                (updates if local is not None else inserts).append((row, values))
        self._write(entity, "insert", inserts)
        self._write(entity, "update", updates)
        self._delete(entity, deletes)

    def _newer(self, entity: str, version: int, local: int | None) -> bool:
        if local is None:
            return True
        if version == local:
            return entity in REGULATED  # the platform may have kept its value of a regulated field
        return self.authoritative or version > local

    def _lookup(self, table: str, row_id: str, column: str) -> Any:
        page = self._page.get((table, row_id))
        if page is not None and column in page:
            return page[column]
        if column not in spec(table).columns:
            return None
        return self.conn.exec_driver_sql(f"SELECT {column} FROM {table} WHERE id = ?", (row_id,)).scalar()

    def _map(self, row: Incoming, *, exists: bool) -> dict[str, Any] | None:
        try:
            values = row.values if row.values is not None else local_values(row, self._lookup)
            check_required(row.entity, values, insert=not exists)
        except MappingError as exc:
            self._problem(row, str(exc))
            return None
        self._page[(row.entity, row.entity_id)] = values
        return values

    def _write(self, entity: str, kind: str, items: list[tuple[Incoming, dict[str, Any]]]) -> None:
        groups: dict[tuple[str, ...], list[tuple[Incoming, dict[str, Any]]]] = defaultdict(list)
        for item in items:
            groups[tuple(sorted(item[1]))].append(item)
        for columns, group in groups.items():
            sql = _insert_sql(entity, columns) if kind == "insert" else _update_sql(entity, columns)
            params = [_params(values, columns, kind) for _, values in group]
            self._run(sql, params, [row for row, _ in group])

    def _delete(self, entity: str, rows: list[Incoming]) -> None:
        if rows:
            self._run(f"DELETE FROM {entity} WHERE id = ?", [(r.entity_id,) for r in rows], rows)

    def _run(self, sql: str, params: list[tuple[Any, ...]], rows: list[Incoming]) -> None:
        for start in range(0, len(params), SAVEPOINT_ROWS):
            end = start + SAVEPOINT_ROWS
            self._run_batch(sql, params[start:end], rows[start:end])

    def _run_batch(self, sql: str, params: list[tuple[Any, ...]], rows: list[Incoming]) -> None:
        """Execute a batch; if the database refuses it, find the bad rows one by one (savepoints)."""
        if not params:
            return
        try:
            with self.conn.begin_nested():
                self.conn.exec_driver_sql(sql, params)
            self.result.applied += len(params)
            return
        except IntegrityError:
            pass
        for one, row in zip(params, rows, strict=True):
            try:
                with self.conn.begin_nested():
                    self.conn.exec_driver_sql(sql, one)
                self.result.applied += 1
            except IntegrityError as exc:
                self._problem(row, f"本机无法保存: {exc.orig}")

    def _problem(self, row: Incoming, reason: str) -> None:
        self.result.problems += 1
        payload = row.payload if row.values is None else to_wire(row.entity, row.values)
        server_row = {
            "entity": row.entity,
            "entity_id": row.entity_id,
            "version": row.version,
            "deleted": row.deleted,
            "payload": payload,
        }
        record_problem(self.conn, row.entity, row.entity_id, f"平台数据无法保存: {reason}", server_row)


def _insert_sql(entity: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {entity} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _update_sql(entity: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{c} = ?" for c in columns if c != "id")
    return f"UPDATE {entity} SET {sets} WHERE id = ?"


def _params(values: dict[str, Any], columns: tuple[str, ...], kind: str) -> tuple[Any, ...]:
    if kind == "insert":
        return tuple(values[c] for c in columns)
    return (*(values[c] for c in columns if c != "id"), values["id"])
