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
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import attrgetter
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Integer,
    Table,
    any_,
    bindparam,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.types import String, TypeDecorator, TypeEngine

from platform_server.scope import TENANT_COLUMN, UnscopedQuery, scope_of, tenant_tables

# A column of a bulk statement: its name and its PostgreSQL type ("json" columns are sent as text).
Col = tuple[str, str]
#: added by ``Raw`` itself to every bulk statement on a tenant table (never listed by the callers)
TENANT_KEY: Col = (TENANT_COLUMN, "text")
_PG_TYPES: tuple[tuple[type[TypeEngine[Any]], str], ...] = (
    (JSON, "json"), (BigInteger, "bigint"), (Integer, "integer"), (Boolean, "boolean"),
    (DateTime, "timestamp"), (Date, "date"), (String, "text"),
)  # fmt: skip


def pg_type(sql_type: TypeEngine[Any]) -> str:
    """The PostgreSQL type name of a column type as the bulk statements spell it."""
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    for kind, name in _PG_TYPES:
        if isinstance(sql_type, kind):
            return name
    raise TypeError(f"no bulk type for {sql_type!r}")


def columns(table: Table, *names: str, exclude: tuple[str, ...] = ()) -> tuple[Col, ...]:
    """The bulk columns of ``table`` read from its metadata: ``names`` in that order, or else every
    column but ``exclude`` in table order. The tenant column is never listed: ``Raw`` adds it."""
    picked = names or tuple(c.name for c in table.c if c.name not in exclude)
    return tuple((name, pg_type(table.c[name].type)) for name in picked if name != TENANT_COLUMN)


def in_values(
    column: InstrumentedAttribute[str] | ColumnElement[str], values: Sequence[str], dialect: str
) -> ColumnElement[bool]:
    """``column IN (values)`` whose SQL does not grow with ``values`` on PostgreSQL (``= ANY(array)``)."""
    if dialect == "sqlite":
        return column.in_(list(values))
    return column == any_(bindparam(None, list(values), type_=ARRAY(String())))


_CONVERTERS = {"date": "date", "timestamp": "ts", "boolean": "flag", "json": "json"}


@lru_cache(maxsize=64)
def _read_plan(
    cols: tuple[Col, ...],
) -> tuple[Callable[[object], tuple[Any, ...]], tuple[tuple[int, str], ...]]:
    """How ``Raw.stored`` reads ``cols``: one getter for all, and which positions it converts with what."""
    names = [name for name, _ in cols]
    getter = attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    converted = tuple((i, _CONVERTERS[kind]) for i, (_, kind) in enumerate(cols) if kind in _CONVERTERS)
    return getter, converted


class Raw:
    """Driver statements of one session. On a tenant table every statement is limited to the session's
    scope (``platform_server.scope``): reads and updates get ``institution_id = <scope>``, inserts get the
    scope's id as their ``institution_id``; without a scope they are refused."""

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.sqlite = self.conn.dialect.name == "sqlite"
        self.ph = "?" if self.sqlite else "%s"
        self.scope = scope_of(session)

    def _tenant(self, table: str) -> str | None:
        """The institution id that limits statements on ``table`` (None: not tenant data)."""
        if table not in tenant_tables():
            return None
        if self.scope is None:
            raise UnscopedQuery(f"raw statement on {table} without a scope")
        return self.scope.institution_id

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

    def stored(self, obj: object, cols: Sequence[Col]) -> tuple[Any, ...]:
        """The attributes ``cols`` of ``obj`` as bulk statements store them (dates, times, flags, JSON)."""
        getter, converted = _read_plan(tuple(cols))
        values = list(getter(obj))
        for index, kind in converted:
            if values[index] is not None:
                values[index] = getattr(self, kind)(values[index])
        return tuple(values)

    def insert(self, table: str, cols: Sequence[Col], rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` (tuples in ``cols`` order): SQLite executemany, PostgreSQL ``COPY``."""
        if not rows:
            return
        if (tenant := self._tenant(table)) is not None:
            cols, rows = (TENANT_KEY, *cols), [(tenant, *row) for row in rows]
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
        where = f"{key[0]} = {self.ph}"
        if (tenant := self._tenant(table)) is not None:
            where += f" AND {TENANT_COLUMN} = {self.ph}"
            rows = [(*row, tenant) for row in rows]
        self.conn.exec_driver_sql(f"UPDATE {table} SET {sets} WHERE {where}", list(rows))

    def select(self, table: str, cols: str, where: str, params: tuple[Any, ...]) -> Iterable[Sequence[Any]]:
        """``SELECT cols FROM table WHERE where`` (its placeholders written ``{ph}``, bound by ``params``;
        ``where`` may end with ORDER BY / LIMIT), limited to the scope on a tenant table. The rows are
        read as they are iterated (a page of thousands is cheaper so than fetched into a list first)."""
        sql, params = self._from(table, cols, params)
        return self.conn.exec_driver_sql(sql + where.format(ph=self.ph), params)

    def select_in(self, table: str, cols: str, column: str, values: Sequence[str]) -> list[tuple[Any, ...]]:
        """``SELECT cols FROM table WHERE column IN values``, limited to the scope on a tenant table.
        SQLite takes the list 400 at a time (its parameter limit)."""
        out: list[tuple[Any, ...]] = []
        if not values:
            return out
        sql, params = self._from(table, cols, ())
        if not self.sqlite:
            text = f"{sql}{column} = ANY(%s::text[])"
            return [tuple(r) for r in self.conn.exec_driver_sql(text, (*params, list(values)))]
        for start in range(0, len(values), 400):
            chunk = values[start : start + 400]
            text = f"{sql}{column} IN ({', '.join(['?'] * len(chunk))})"
            out.extend(tuple(r) for r in self.conn.exec_driver_sql(text, (*params, *chunk)))
        return out

    def _from(self, table: str, cols: str, params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
        """``SELECT cols FROM table WHERE `` plus the scope's condition and its parameter first."""
        if (tenant := self._tenant(table)) is None:
            return f"SELECT {cols} FROM {table} WHERE ", params
        return f"SELECT {cols} FROM {table} WHERE {TENANT_COLUMN} = {self.ph} AND ", (tenant, *params)
