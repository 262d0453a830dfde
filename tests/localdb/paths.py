"""The three ways code can change a synced row — ORM, Core and raw sqlite3 — behind one interface."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, inspect, update
from sqlalchemy.orm import Session

from localdb.models import Base, metadata
from localdb.types import Units, UtcDateTime, format_utc, units_to_x100

PATHS = ("orm", "core", "raw")


def model(table: str) -> type[Any]:
    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table:  # type: ignore[attr-defined]
            return mapper.class_
    raise KeyError(table)


def attr(table: str, column: str) -> str:
    """ORM attribute name of a SQL column (``units_x100`` → ``units``)."""
    mapper = inspect(model(table))
    return str(mapper.get_property_by_column(metadata.tables[table].c[column]).key)


def raw_value(table: str, column: str, value: Any) -> Any:
    """What raw SQL would bind for a Python value (hundredths, ISO text, 0/1)."""
    col_type = metadata.tables[table].c[column].type
    if value is None:
        return None
    if isinstance(col_type, Units):
        return units_to_x100(value)
    if isinstance(col_type, UtcDateTime):
        return format_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class Writer:
    """Performs one committed change through the chosen path."""

    def __init__(self, path: str, engine: Engine, db_path: Path) -> None:
        self.path, self.engine, self.db_path = path, engine, db_path

    def _raw(self, sql: str, params: tuple[Any, ...]) -> None:
        conn = sqlite3.connect(self.db_path)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(sql, params)
            conn.commit()
        finally:
            conn.close()

    def insert(self, table: str, values: dict[str, Any]) -> None:
        if self.path == "orm":
            with Session(self.engine) as session, session.begin():
                session.add(model(table)(**{attr(table, c): v for c, v in values.items()}))
        elif self.path == "core":
            with self.engine.begin() as conn:
                conn.execute(insert(metadata.tables[table]).values(values))
        else:
            cols = list(values)
            marks = ", ".join("?" for _ in cols)
            params = tuple(raw_value(table, c, values[c]) for c in cols)
            self._raw(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", params)

    def update(self, table: str, row_id: str, column: str, value: Any) -> None:
        if self.path == "orm":
            with Session(self.engine) as session, session.begin():
                setattr(session.get_one(model(table), row_id), attr(table, column), value)
        elif self.path == "core":
            t = metadata.tables[table]
            with self.engine.begin() as conn:
                conn.execute(update(t).where(t.c.id == row_id).values({column: value}))
        else:
            self._raw(
                f"UPDATE {table} SET {column} = ? WHERE id = ?", (raw_value(table, column, value), row_id)
            )

    def delete(self, table: str, row_id: str) -> None:
        if self.path == "orm":
            with Session(self.engine) as session, session.begin():
                session.delete(session.get_one(model(table), row_id))
        elif self.path == "core":
            t = metadata.tables[table]
            with self.engine.begin() as conn:
                conn.execute(delete(t).where(t.c.id == row_id))
        else:
            self._raw(f"DELETE FROM {table} WHERE id = ?", (row_id,))
