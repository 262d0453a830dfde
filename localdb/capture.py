"""Change capture: SQLite triggers, generated from table definitions, that fill ``sync_outbox``.

Triggers (not ORM hooks) so that no code path — ORM, Core ``executemany`` or raw SQL — can change a synced
row without its op landing in the same transaction, and because they are the cheaper path measured in
docs/decisions/0006-trigger-capture.md. Every synced table gets:

* ``sync_<t>_ins``: AFTER INSERT → op 'insert', base_version NULL, payload = NEW row;
* ``sync_<t>_upd``: AFTER UPDATE of any column other than ``version`` → op 'update' (or 'delete' when
  ``deleted_at`` goes from NULL to a value), base_version = OLD.version, payload = NEW row;
* ``sync_<t>_del``: AFTER DELETE → op 'delete', base_version = OLD.version, payload = OLD row.

Append-only tables (payment, ledger_entry, refund) get no update/delete capture; instead BEFORE triggers
refuse an UPDATE of real columns and any DELETE while capture is on (corrections are reversing entries).
All triggers only act when ``sync_capture.enabled = 1``; the sync engine applies pulled rows and its
version acknowledgements inside ``capture_suspended``.

Payload keys are the SQL column names (units as integer hundredths in ``*_x100``, money as integer fen,
booleans as 0/1, dates and instants as ISO text). ``json_object`` takes at most 127 arguments by default,
so a synced table may have at most 63 columns.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import Connection, Table, text
from sqlalchemy.orm import Session

from localdb.schema import APPEND_ONLY_TABLES, SCHEMA_VERSION
from localdb.types import SQL_UTC_NOW

TRIGGER_PREFIX = "sync_"


class HasBind(Protocol):
    """Alembic's ``op`` (module proxy or ``Operations``): anything that hands out its connection."""

    def get_bind(self) -> Connection: ...


_MAX_COLUMNS = 63
_ENABLED = "(SELECT enabled FROM sync_capture) = 1"
_NOT_CAPTURED_ON_UPDATE = frozenset({"version"})
_NOT_GUARDED_ON_UPDATE = frozenset({"version", "updated_at"})

# An op's id: UUID v7 text (48-bit Unix milliseconds, version 7, variant 8-b, 74 random bits from SQLite's
# CSPRNG). Time-ordered rather than v4: the outbox's and the platform's op_id indexes then grow at their
# right edge, so writing or deleting a batch of ops touches a few index pages instead of one page per op.
SQL_OP_ID = (
    "lower(substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 1, 8)"
    " || '-' || substr(printf('%012x', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)), 9, 4)"
    " || '-7' || substr(hex(randomblob(2)), 2)"
    " || '-' || substr('89AB', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2)"
    " || '-' || hex(randomblob(6)))"
)


def _payload(table: Table, row: str) -> str:
    if len(table.columns) > _MAX_COLUMNS:
        raise ValueError(f"{table.name}: too many columns for json_object ({len(table.columns)})")
    pairs = ", ".join(f"'{c.name}', {row}.{c.name}" for c in table.columns)
    return f"json_object({pairs})"


def _changed(table: Table, excluded: Collection[str]) -> str:
    """SQL that is true when any column outside ``excluded`` differs between OLD and NEW."""
    parts = [f"OLD.{c.name} IS NOT NEW.{c.name}" for c in table.columns if c.name not in excluded]
    return "(" + " OR ".join(parts) + ")"


#: the outbox columns every capture op fills, in the order of ``outbox_expressions``
OUTBOX_COLUMNS = (
    "op_id",
    "entity",
    "entity_id",
    "op",
    "payload",
    "base_version",
    "schema_version",
    "state",
    "attempts",
    "created_at",
)


def outbox_expressions(
    table: Table, op_sql: str, row: str, base_version: str, schema_version: int = SCHEMA_VERSION
) -> tuple[str, ...]:
    """The SQL expressions of one outbox op (values for ``OUTBOX_COLUMNS``) for the row named ``row``.

    The one definition of an op: the triggers use it with ``NEW``/``OLD``, a bulk writer with the alias
    of a ``SELECT ... FROM <table> AS <row>`` (``insert_op_expressions``).
    """
    return (
        SQL_OP_ID,
        f"'{table.name}'",
        f"{row}.id",
        op_sql,
        _payload(table, row),
        base_version,
        str(schema_version),
        "'pending'",
        "0",
        SQL_UTC_NOW,
    )


def insert_op_expressions(table: Table, row: str, schema_version: int = SCHEMA_VERSION) -> tuple[str, ...]:
    """What ``sync_<table>_ins`` writes for an inserted row, with the row named ``row`` instead of NEW.

    ``INSERT INTO sync_outbox (OUTBOX_COLUMNS) SELECT <these> FROM <table> AS <row> WHERE ...`` run with
    capture suspended gives the same ops the insert trigger would have written for those rows.
    """
    return outbox_expressions(table, "'insert'", row, "NULL", schema_version)


def _outbox_insert(table: Table, op_sql: str, row: str, base_version: str, schema_version: int) -> str:
    values = outbox_expressions(table, op_sql, row, base_version, schema_version)
    return f"INSERT INTO sync_outbox ({', '.join(OUTBOX_COLUMNS)})\n  VALUES ({', '.join(values)});"


def _trigger(name: str, timing: str, table: Table, when: str, body: str) -> str:
    return f"CREATE TRIGGER {name} {timing} ON {table.name}\nWHEN {when}\nBEGIN\n  {body}\nEND"


def _update_op(table: Table) -> str:
    if "deleted_at" not in table.columns:
        return "'update'"
    return "CASE WHEN OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN 'delete' ELSE 'update' END"


def _append_only_guards(table: Table) -> dict[str, str]:
    message = f"{table.name} 只能追加，不能修改或删除（请用冲正记录更正）"
    body = f"SELECT RAISE(ABORT, '{message}');"
    t = table.name
    return {
        f"{TRIGGER_PREFIX}{t}_guard_upd": _trigger(
            f"{TRIGGER_PREFIX}{t}_guard_upd",
            "BEFORE UPDATE",
            table,
            f"{_ENABLED} AND {_changed(table, _NOT_GUARDED_ON_UPDATE)}",
            body,
        ),
        f"{TRIGGER_PREFIX}{t}_guard_del": _trigger(
            f"{TRIGGER_PREFIX}{t}_guard_del", "BEFORE DELETE", table, _ENABLED, body
        ),
    }


def table_triggers(
    table: Table, schema_version: int = SCHEMA_VERSION, append_only: Collection[str] = APPEND_ONLY_TABLES
) -> dict[str, str]:
    """The CREATE TRIGGER statements (by trigger name) that capture changes of one synced table."""
    t = table.name
    triggers = {
        f"{TRIGGER_PREFIX}{t}_ins": _trigger(
            f"{TRIGGER_PREFIX}{t}_ins",
            "AFTER INSERT",
            table,
            _ENABLED,
            _outbox_insert(table, "'insert'", "NEW", "NULL", schema_version),
        )
    }
    if t in append_only:
        triggers.update(_append_only_guards(table))
        return triggers
    triggers[f"{TRIGGER_PREFIX}{t}_upd"] = _trigger(
        f"{TRIGGER_PREFIX}{t}_upd",
        "AFTER UPDATE",
        table,
        f"{_ENABLED} AND {_changed(table, _NOT_CAPTURED_ON_UPDATE)}",
        _outbox_insert(table, _update_op(table), "NEW", "OLD.version", schema_version),
    )
    triggers[f"{TRIGGER_PREFIX}{t}_del"] = _trigger(
        f"{TRIGGER_PREFIX}{t}_del",
        "AFTER DELETE",
        table,
        _ENABLED,
        _outbox_insert(table, "'delete'", "OLD", "OLD.version", schema_version),
    )
    return triggers


def generate_triggers(
    tables: Iterable[Table],
    schema_version: int = SCHEMA_VERSION,
    append_only: Collection[str] = APPEND_ONLY_TABLES,
) -> dict[str, str]:
    """All capture triggers for ``tables``, by name."""
    result: dict[str, str] = {}
    for table in tables:
        result.update(table_triggers(table, schema_version, append_only))
    return result


def current_triggers(schema_version: int = SCHEMA_VERSION) -> dict[str, str]:
    """The triggers the current models call for (what a migrated database must contain)."""
    from localdb.models import metadata
    from localdb.schema import SYNCED_TABLES

    return generate_triggers((metadata.tables[name] for name in SYNCED_TABLES), schema_version)


def installed_triggers(conn: Connection) -> dict[str, str]:
    """The capture triggers present in the database, by name (exact stored SQL)."""
    rows = conn.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB :pattern"),
        {"pattern": f"{TRIGGER_PREFIX}*"},
    )
    return {str(name): str(sql) for name, sql in rows}


def _connection(op_or_conn: HasBind | Connection) -> Connection:
    return op_or_conn if isinstance(op_or_conn, Connection) else op_or_conn.get_bind()


def recreate_triggers(
    op_or_conn: HasBind | Connection,
    tables: Iterable[Table],
    schema_version: int = SCHEMA_VERSION,
    append_only: Collection[str] = APPEND_ONLY_TABLES,
) -> None:
    """Drop and re-create the capture triggers of ``tables``.

    Every migration that adds, drops or changes a synced table must call this with that table's definition
    as of the migration (and the migration's schema version); a test compares the result with the models.
    """
    conn = _connection(op_or_conn)
    tables = list(tables)
    names = {t.name for t in tables}
    for name in installed_triggers(conn):
        if any(name.startswith(f"{TRIGGER_PREFIX}{t}_") for t in names):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for sql in generate_triggers(tables, schema_version, append_only).values():
        conn.exec_driver_sql(sql)


def drop_triggers(op_or_conn: HasBind | Connection, table_names: Iterable[str]) -> None:
    """Drop the capture triggers of tables a migration removes from sync."""
    conn = _connection(op_or_conn)
    for table_name in table_names:
        for name in installed_triggers(conn):
            if name.startswith(f"{TRIGGER_PREFIX}{table_name}_"):
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def capture_enabled(conn: Connection | Session) -> bool:
    """Whether capture is on, as seen by the current transaction."""
    value = conn.execute(text("SELECT enabled FROM sync_capture WHERE id = 1")).scalar()
    return value == 1


@contextmanager
def capture_suspended(conn: Connection | Session) -> Iterator[None]:
    """Switch capture off for the enclosed statements, inside the caller's transaction.

    Used when applying pulled changes and version acknowledgements, which must not become new ops. The flag
    is transactional: if the transaction rolls back, so does the switch, and other connections never see 0.
    """
    conn.execute(text("UPDATE sync_capture SET enabled = 0 WHERE id = 1"))
    try:
        yield
    finally:
        conn.execute(text("UPDATE sync_capture SET enabled = 1 WHERE id = 1"))
