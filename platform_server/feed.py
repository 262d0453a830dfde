"""The change feed: row state, server_seq allocation from the counter row, keyset reads (docs/sync.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any, cast

import orjson
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from platform_server.clock import SHANGHAI
from platform_server.models import Change, EntityRow, InstitutionCounter
from platform_server.rawsql import Raw, columns
from platform_server.scope import InstitutionScope, scoped
from platform_server.wire import ChangeJson, JsonObject, ServerRowJson, SnapshotRowJson

DATE_KEYS = ("occurred_on", "lesson_date", "date", "paid_on", "on_date")
DATETIME_KEYS = ("occurred_at", "paid_at", "recorded_at", "created_at")

_row_t = cast(Table, EntityRow.__table__)
# Bulk columns from the tables' metadata (``Raw`` adds institution_id); ``flush`` reads each change
# dict and row in this order by name.
CHANGE_COLS = columns(cast(Table, Change.__table__))
ROW_KEY_COLS = columns(_row_t, "entity", "entity_id")
ROW_VALUE_COLS = columns(_row_t, exclude=("id", "entity", "entity_id"))
_change_values = itemgetter(*(name for name, _ in CHANGE_COLS))
_row_values = itemgetter(*(name for name, _ in ROW_KEY_COLS + ROW_VALUE_COLS))
_row_update_values = itemgetter(*(name for name, _ in ROW_VALUE_COLS), "id")


@dataclass(slots=True)
class RowState:
    entity: str
    entity_id: str
    version: int = 0
    payload: JsonObject = field(default_factory=dict)
    deleted: bool = False
    pk: int | None = None
    exists: bool = False
    dirty: bool = False
    biz_date: dt.date | None = None
    updated_seq: int = 0

    def as_server_row(self) -> ServerRowJson:
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "version": self.version,
            "deleted": self.deleted,
            "payload": self.payload,
        }


def business_date(payload: JsonObject, today: dt.date) -> dt.date:
    """The date a row counts for in statistics: an explicit date field, else a timestamp, else today."""
    for key in DATE_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and (day := _parse_date(value[:10])) is not None:
            return day
    for key in DATETIME_KEYS:
        value = payload.get(key)
        if not isinstance(value, str):
            continue
        parse = _parse_datetime_date if len(value) <= 64 else _parse_datetime_date.__wrapped__
        if (day := parse(value)) is not None:
            return day
    return today


# Memoized (short strings only): a push batch repeats the same few dates and timestamps hundreds of times.
@lru_cache(maxsize=4096)
def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse_datetime_date(value: str) -> dt.date | None:
    """The Shanghai date of an ISO-8601 timestamp (UTC when it has no offset)."""
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(SHANGHAI).date()


def lock_counter(session: Session, scope: InstitutionScope) -> int:
    """Lock the institution's counter row for the rest of the transaction; returns last_seq."""
    with scoped(session, scope):
        value = session.scalar(select(InstitutionCounter.last_seq).with_for_update())
    if value is None:
        raise LookupError(scope.institution_id)
    return value


class Emitter:
    """Collects row changes of one institution inside one transaction and writes them in bulk.

    The session is scoped to ``scope`` for the emitter's life (``platform_server.scope``)."""

    def __init__(self, session: Session, scope: InstitutionScope, now: dt.datetime, today: dt.date) -> None:
        self.session = session
        self.scope = scope
        self.now = now
        self.today = today
        self.rows: dict[tuple[str, str], RowState] = {}
        self.changes: list[dict[str, Any]] = []
        lock_counter(session, scope)

    def raw(self) -> Raw:
        """The driver statements of this emitter's session, under its scope."""
        with scoped(self.session, self.scope):
            return Raw(self.session)

    def load(self, keys: list[tuple[str, str]]) -> None:
        """Read the current state of ``keys`` (entity, entity_id) that are not loaded yet, in one query."""
        wanted = {k for k in keys if k not in self.rows}
        if not wanted:
            return
        raw = self.raw()
        cols = "id, entity, entity_id, version, payload, deleted, biz_date, updated_seq"
        ids = list({eid for _, eid in wanted})
        for pk, entity, entity_id, version, payload, deleted, biz, useq in raw.select_in(
            "entity_row", cols, "entity_id", ids
        ):
            if (entity, entity_id) in wanted:
                self.rows[(entity, entity_id)] = RowState(
                    entity,
                    entity_id,
                    version,
                    raw.from_json(payload),
                    bool(deleted),
                    pk,
                    True,
                    False,
                    raw.to_date(biz),
                    useq,
                )
        for key in wanted:
            self.rows.setdefault(key, RowState(key[0], key[1]))

    def new(self, entity: str, entity_id: str) -> RowState:
        """The state of a row this transaction creates under a fresh random id (no lookup needed)."""
        state = self.rows[(entity, entity_id)] = RowState(entity, entity_id)
        return state

    def get(self, entity: str, entity_id: str) -> RowState:
        self.load([(entity, entity_id)])
        return self.rows[(entity, entity_id)]

    def put(
        self,
        state: RowState,
        op: str,
        payload: JsonObject,
        origin: str | None,
        change_payload: JsonObject | None = None,
    ) -> int:
        """Record a new version of ``state`` and its change; returns the new version."""
        state.version += 1
        state.deleted = op == "delete"
        state.payload = payload
        state.dirty = True
        state.biz_date = business_date(payload, self.today)
        self.changes.append(
            {
                "entity": state.entity,
                "entity_id": state.entity_id,
                "op": op,
                "version": state.version,
                "payload": payload if change_payload is None else change_payload,
                "origin_device_id": origin,
                "_state": state,
            }
        )
        return state.version

    def flush(self) -> int:
        """Allocate server_seq for the collected changes and write rows and changes; returns last_seq."""
        if not self.changes:
            return 0
        n = len(self.changes)
        with scoped(self.session, self.scope):
            last = self.session.execute(
                update(InstitutionCounter)
                .values(last_seq=InstitutionCounter.last_seq + n)
                .returning(InstitutionCounter.last_seq)
            ).scalar_one()
        seq = last - n
        raw = self.raw()
        created_at = raw.ts(self.now)
        # Payloads are serialized once: a row's stored payload is usually its last change's payload.
        dumped: dict[int, str] = {}
        change_rows = []
        for change in self.changes:
            seq += 1
            change["server_seq"] = change.pop("_state").updated_seq = seq
            payload = change["payload"]
            text = dumped.get(id(payload))
            if text is None:
                text = dumped[id(payload)] = raw.json(payload)
            change_rows.append(_change_values({**change, "payload": text, "created_at": created_at}))
        raw.insert("change", CHANGE_COLS, change_rows)
        self._write_rows(raw, dumped)
        self.changes = []
        self.rows = {}  # flushed: new rows' primary keys are unknown here, so start afresh
        return last

    def _write_rows(self, raw: Raw, dumped: dict[int, str]) -> None:
        new, old = [], []
        for s in self.rows.values():
            if not s.dirty:
                continue
            text = dumped.get(id(s.payload))
            values = {
                "id": s.pk,
                "entity": s.entity,
                "entity_id": s.entity_id,
                "version": s.version,
                "payload": raw.json(s.payload) if text is None else text,
                "deleted": raw.flag(s.deleted),
                "updated_seq": s.updated_seq,
                "biz_date": raw.date(s.biz_date),
            }
            if s.pk is None:
                new.append(_row_values(values))
            else:
                old.append(_row_update_values(values))
            s.dirty = False
        raw.insert("entity_row", ROW_KEY_COLS + ROW_VALUE_COLS, new)
        raw.update("entity_row", ("id", "bigint"), ROW_VALUE_COLS, old)


def read_changes(session: Session, scope: InstitutionScope, cursor: int, limit: int) -> list[ChangeJson]:
    """Keyset page of the caller's changes after ``cursor`` (never OFFSET).

    Like ``read_snapshot``: raw tuples on the primary key, each stored payload spliced into the response
    as an ``orjson.Fragment``.
    """
    with scoped(session, scope):
        raw = Raw(session)
    cols = f"server_seq, entity, entity_id, op, version, {_payload_text(raw)}, origin_device_id"
    rows = raw.select("change", cols, "server_seq > {ph} ORDER BY server_seq LIMIT {ph}", (cursor, limit))
    return [
        {
            "server_seq": seq, "entity": entity, "entity_id": entity_id, "op": op, "version": version,
            "payload": orjson.Fragment(text), "origin_device_id": origin,
        }
        for seq, entity, entity_id, op, version, text, origin in rows
    ]  # fmt: skip


def _payload_text(raw: Raw) -> str:
    """The stored payload as its JSON text (PostgreSQL's json type keeps the text as written)."""
    return "payload" if raw.sqlite else "payload::text"


def change_check(session: Session, scope: InstitutionScope, server_seq: int) -> str | None:
    """``entity_id:version`` of the caller's change at ``server_seq`` (None when there is none): what a
    desk sends back with its cursor, so a feed renumbered by a restore is noticed (``/v1/sync/changes``)."""
    with scoped(session, scope):
        row = session.execute(
            select(Change.entity_id, Change.version).where(Change.server_seq == server_seq)
        ).first()
    return None if row is None else f"{row[0]}:{row[1]}"


def read_snapshot(
    session: Session, scope: InstitutionScope, cursor: int, limit: int
) -> list[SnapshotRowJson]:
    """Keyset page of the caller's current rows (tombstones included) ordered by row id.

    Raw tuples through the driver on the ``(institution_id, id)`` index; each stored payload (JSON text
    written by orjson) is spliced into the response as an ``orjson.Fragment``, not parsed and re-dumped.
    """
    with scoped(session, scope):
        raw = Raw(session)
    rows = raw.select(
        "entity_row",
        f"id, entity, entity_id, version, deleted, {_payload_text(raw)}",
        "id > {ph} ORDER BY id LIMIT {ph}",
        (cursor, limit),
    )
    return [
        SnapshotRowJson(
            row_id=row_id, entity=entity, entity_id=entity_id, version=version, deleted=bool(deleted),
            payload=orjson.Fragment(text),
        )
        for row_id, entity, entity_id, version, deleted, text in rows
    ]  # fmt: skip


def counter(session: Session, scope: InstitutionScope) -> InstitutionCounter:
    with scoped(session, scope):
        row: InstitutionCounter | None = session.scalar(select(InstitutionCounter))
    if row is None:
        raise LookupError(scope.institution_id)
    return row
