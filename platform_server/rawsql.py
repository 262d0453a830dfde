"""The push hot path's bulk statements through the driver (no per-row ORM/Core processing).

Values are converted here exactly as SQLAlchemy would store them (see ``models.UTCDateTime``), so the ORM
reads the rows back unchanged on both SQLite and PostgreSQL.

Each bulk statement costs a constant number of round trips whatever the number of rows, and its SQL text
does not depend on the number of rows:

* SQLite: ``executemany`` (in-process, no round trips; the statement is compiled once).
* PostgreSQL: ``COPY … FROM STDIN`` for inserts, executemany (one pipeline) for updates, and
  ``= ANY(array)`` instead of ``IN (...)`` for lookups. A multi-row ``VALUES`` with thousands of
  placeholders was re-parsed by psycopg on every batch (~90 ms per 500 rows: its query cache skips long
  statements) and never prepared; ``unnest`` of array parameters avoids that, but psycopg dumps text
  arrays in Python, escaping every quote of every JSON payload (~150 ms per 500 rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import ColumnElement, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import String

# A column of a bulk statement: its name and its PostgreSQL type ("json" columns are sent as text).
Col = tuple[str, str]


def in_values(
    column: InstrumentedAttribute[str] | ColumnElement[str], values: Sequence[str], dialect: str
) -> ColumnElement[bool]:
    """``column IN (values)`` whose SQL does not grow with ``values`` on PostgreSQL (``= ANY(array)``)."""
    if dialect == "sqlite":
        return column.in_(list(values))
    return column == any_(bindparam(None, list(values), type_=ARRAY(String())))


class Raw:
    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.sqlite = self.conn.dialect.name == "sqlite"
        self.ph = "?" if self.sqlite else "%s"

    def json(self, value: Any) -> str:
        return orjson.dumps(value).decode()

    def from_json(self, value: Any) -> Any:
        return orjson.loads(value) if isinstance(value, str | bytes) else value

    def ts(self, value: dt.datetime) -> Any:
        naive = value.astimezone(dt.UTC).replace(tzinfo=None)
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else naive

    def date(self, value: dt.date | None) -> Any:
        if value is None:
            return None
        return value.isoformat() if self.sqlite else value

    def to_date(self, value: Any) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))

    def to_ts(self, value: Any) -> dt.datetime | None:
        """A stored ``ts`` value read back (SQLite text or PostgreSQL naive UTC) as an aware UTC datetime."""
        if value is None:
            return None
        when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        return when.replace(tzinfo=dt.UTC)

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def insert(self, table: str, cols: Sequence[Col], rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (tuples in ``cols`` order): SQLite executemany, PostgreSQL ``COPY``."""
        if not rows:
            return
        names = ", ".join(name for name, _ in cols)
        if self.sqlite:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(cols))})"
            self.conn.exec_driver_sql(sql, list(rows))
            return
        # COPY in text format: psycopg's C row formatter, one stream per statement, and the server's
        # cheapest bulk path. Constraints apply as for INSERT; json columns take the JSON text.
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def update(self, table: str, key: Col, cols: Sequence[Col], rows: Sequence[tuple[Any, ...]]) -> None:
        """``UPDATE table SET cols WHERE key = …`` for each row ``(*values, key)`` by executemany
        (psycopg sends all rows in one pipeline through one prepared statement)."""
        if not rows:
            return
        json_cast = "" if self.sqlite else "::json"
        sets = ", ".join(f"{name} = {self.ph}{json_cast if t == 'json' else ''}" for name, t in cols)
        self.conn.exec_driver_sql(f"UPDATE {table} SET {sets} WHERE {key[0]} = {self.ph}", list(rows))

    def select_in(self, sql: str, params: tuple[Any, ...], values: Sequence[str]) -> list[tuple[Any, ...]]:
        """Run ``sql`` whose last condition is ``<column> {IN}``: ``params`` bind its other placeholders
        (written ``{ph}``), ``values`` the list. SQLite takes the list 400 at a time (its parameter limit)."""
        out: list[tuple[Any, ...]] = []
        if not values:
            return out
        if not self.sqlite:
            text = sql.format(ph="%s", IN="= ANY(%s::text[])")
            return [tuple(r) for r in self.conn.exec_driver_sql(text, (*params, list(values)))]
        for start in range(0, len(values), 400):
            chunk = values[start : start + 400]
            text = sql.format(ph="?", IN=f"IN ({', '.join(['?'] * len(chunk))})")
            out.extend(tuple(r) for r in self.conn.exec_driver_sql(text, (*params, *chunk)))
        return out
