"""Bulk writes for the generator: driver ``executemany`` in large batches, outbox ops written in bulk.

Every generated row of a synced table gets exactly the outbox op its capture trigger would have written
(docs/decisions/0006-trigger-capture.md): each batch is inserted with capture suspended, then one
``INSERT INTO sync_outbox SELECT <the insert trigger's own expressions> FROM <table> WHERE rowid > <last
rowid before the batch>`` writes the batch's ops in insertion order. The expressions come from
``localdb.capture.insert_op_expressions``, the same function the triggers are generated from, so the two
cannot drift (``tests/demo/test_outbox_bulk.py`` compares the result with the triggers' own, op for op).
Measured on 195,848 attendance rows: the ops cost 2.5 s CPU in bulk against 7.0 s through the per-row
trigger programs. New rows of a batch are exactly those above the batch's starting ``max(rowid)``:
nothing else writes the table inside the generator's transaction. The other speed concessions are
``deferred_indexes`` and a larger page cache on the generator's own connection; durability settings are
unchanged and each phase commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import Connection

from localdb.capture import OUTBOX_COLUMNS, capture_suspended, insert_op_expressions
from localdb.cipher import driver_connection
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES

BATCH = 20_000
GENERATOR_CACHE_KIB = 1_048_576  # 1 GiB for the generator connection only


def tune(conn: Connection) -> None:
    """Bulk-build settings for the generator's own connection, undone by ``verify_foreign_keys``.

    A large page cache; foreign keys checked once at the end instead of three lookups a row (SQLite
    ignores ``foreign_keys`` inside a transaction, so this runs first); and a rollback journal instead of
    WAL while building: the database is new, so the journal stays tiny, whereas WAL would write every
    one of ~2 GB of pages twice (WAL, then checkpoint). Durability (synchronous=FULL) is unchanged, and
    the finished database is back in WAL mode as docs/architecture.md (Storage) requires.
    """
    raw = driver_connection(conn)
    raw.execute(f"PRAGMA cache_size=-{GENERATOR_CACHE_KIB}")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA journal_mode=DELETE")


def verify_foreign_keys(conn: Connection) -> None:
    """Raise if any row points at a missing parent; then switch enforcement back on."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"demo data broke foreign keys: {broken[:5]}")
    conn.rollback()
    raw = driver_connection(conn)
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute("PRAGMA journal_mode=WAL")


@contextmanager
def deferred_indexes(conn: Connection, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for the enclosed bulk insert, then build them again.

    Building an index once from sorted keys is several times cheaper than a million random B-tree
    insertions. Use inside the caller's transaction (SQLite DDL is transactional, so a failure rolls the
    drop back too); the indexes come back from their own stored SQL, byte for byte. Constraint indexes
    (primary keys, UNIQUE) cannot be dropped and stay; so do the ones other tables' triggers need, as
    long as the enclosed inserts only touch ``tables``.
    """
    marks = ", ".join("?" for _ in tables)
    query = (
        "SELECT name, sql FROM sqlite_master"
        f" WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})"
    )
    indexes = conn.exec_driver_sql(query, tuple(tables)).all()
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.exec_driver_sql(str(sql))


def write(conn: Connection, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """Insert dict rows (Python values, SQL column names) through the driver's executemany, in batches.

    Each value goes through its column type's own bind processor (units → hundredths, instants → UTC
    text), exactly what a Core insert stores, but without Core's per-row parameter bookkeeping, which
    costs more than the insert itself at this volume. Rows lacking an optional key get NULL for it.
    """
    if not rows:
        return 0
    columns = metadata.tables[table].columns
    keys = sorted(set().union(*rows))
    processors = [columns[k].type.bind_processor(conn.dialect) for k in keys]
    pairs = list(zip(keys, processors, strict=True))

    def convert(row: dict[str, Any]) -> tuple[object, ...]:
        return tuple(p(row.get(k)) if p else row.get(k) for k, p in pairs)

    return write_tuples(conn, table, keys, (convert(row) for row in rows))


def _chunks(rows: Iterable[tuple[object, ...]], size: int) -> Iterator[list[tuple[object, ...]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def outbox_select(table: str) -> str | None:
    """The statement that writes the insert ops of ``table``'s rows after rowid ``?`` (None: not synced)."""
    if table not in SYNCED_TABLES:
        return None
    values = ", ".join(insert_op_expressions(metadata.tables[table], "r"))
    return (
        f"INSERT INTO sync_outbox ({', '.join(OUTBOX_COLUMNS)}) "
        f"SELECT {values} FROM {table} AS r WHERE r.rowid > ? ORDER BY r.rowid"
    )


def write_tuples(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[object, ...]]
) -> int:
    """Insert pre-converted tuples (SQL values) through the driver's executemany: the attendance path.

    The values are already what the column types would store (integer hundredths, UTC text), so no
    per-row type processing is needed for a million rows. Runs inside the caller's transaction with
    capture suspended and writes each batch's outbox ops in bulk (module docstring).
    """
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    ops = outbox_select(table)
    last_rowid = f"SELECT coalesce(max(rowid), 0) FROM {table}"
    total = 0
    with capture_suspended(conn):
        for chunk in _chunks(rows, BATCH):
            before = conn.exec_driver_sql(last_rowid).scalar()
            conn.exec_driver_sql(sql, chunk)
            if ops is not None:
                conn.exec_driver_sql(ops, (before,))
            total += len(chunk)
    return total
