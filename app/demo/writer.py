"""Bulk writes for the generator: Core ``executemany`` in large batches, capture triggers left ON.

The capture triggers write one outbox op per row in the same statement (DESIGN.md), so generated data is
exactly what hand-entered data would be, outbox included. The one concession to speed is a larger page
cache on the generator's own connection (the random-keyed indexes of attendance and the outbox stay in
memory); durability settings are unchanged and each phase commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Connection

from localdb.models import metadata

BATCH = 20_000
GENERATOR_CACHE_KIB = 1_048_576  # 1 GiB for the generator connection only


def tune(conn: Connection) -> None:
    """Bulk-build settings for the generator's own connection, undone by ``verify_foreign_keys``.

    A large page cache; foreign keys checked once at the end instead of three lookups a row (SQLite
    ignores ``foreign_keys`` inside a transaction, so this runs first); and a rollback journal instead of
    WAL while building: the database is new, so the journal stays tiny, whereas WAL would write every
    one of ~2 GB of pages twice (WAL, then checkpoint). Durability (synchronous=FULL) is unchanged, and
    the finished database is back in WAL mode as DESIGN.md requires.
    """
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA cache_size=-{GENERATOR_CACHE_KIB}")
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("PRAGMA journal_mode=DELETE")


def verify_foreign_keys(conn: Connection) -> None:
    """Raise if any row points at a missing parent; then switch enforcement back on."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"demo data broke foreign keys: {broken[:5]}")
    conn.rollback()
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=ON")
    raw.execute("PRAGMA journal_mode=WAL")


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


def write_tuples(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[object, ...]]
) -> int:
    """Insert pre-converted tuples (SQL values) through the driver's executemany: the attendance path.

    The values are already what the column types would store (integer hundredths, UTC text), so no
    per-row type processing is needed for a million rows.
    """
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    total = 0
    for chunk in _chunks(rows, BATCH):
        conn.exec_driver_sql(sql, chunk)
        total += len(chunk)
    return total
