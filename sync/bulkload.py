"""Schema switches that make a bulk load cheap, taken inside the loading transaction.

SQLite DDL is transactional: if the load fails and its transaction rolls back, the dropped triggers and
indexes are back as they were, so neither switch restores anything when its block raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Connection, Index
from sqlalchemy.schema import CreateIndex, DropIndex

from localdb.models import metadata


@contextmanager
def triggers_set_aside(conn: Connection, triggers: Mapping[str, str]) -> Iterator[None]:
    """Drop ``triggers`` (name → its stored CREATE statement) for the block, then create them again.

    A trigger that does nothing (capture while it is suspended) still costs every row its WHEN test, and
    makes SQLite journal each statement inside a savepoint: a 200,000-row load runs several times slower.
    """
    for name in triggers:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    yield
    for sql in triggers.values():
        conn.exec_driver_sql(sql)


def plain_indexes(tables: Iterable[str]) -> list[Index]:
    """The models' non-unique indexes of ``tables`` (unique ones must keep refusing duplicates)."""
    found = []
    for name in tables:
        plain = (index for index in metadata.tables[name].indexes if not index.unique)
        found.extend(sorted(plain, key=lambda index: str(index.name)))
    return found


def installed_indexes(conn: Connection) -> set[str]:
    return {str(r[0]) for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}


@contextmanager
def indexes_deferred(conn: Connection, tables: Iterable[str]) -> Iterator[list[str]]:
    """Drop the plain indexes of ``tables`` for the block and build them from the models afterwards.

    Building an index once sorts its keys; keeping it during the load inserts into a B-tree per row at a
    random place. Meant for tables that start the load empty (a full table would be re-sorted). Yields the
    names of the indexes it deferred.
    """
    present = installed_indexes(conn)
    deferred = [index for index in plain_indexes(tables) if str(index.name) in present]
    for index in deferred:
        conn.execute(DropIndex(index))
    yield [str(index.name) for index in deferred]
    for index in deferred:
        conn.execute(CreateIndex(index))
