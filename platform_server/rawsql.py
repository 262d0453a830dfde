"""The push hot path's bulk statements through the driver's executemany (no per-row ORM/Core processing).

Values are converted here exactly as SQLAlchemy would store them (see ``models.UTCDateTime``), so the ORM
reads the rows back unchanged on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy.orm import Session


class Raw:
    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.sqlite = self.conn.dialect.name == "sqlite"
        self.ph = "?" if self.sqlite else "%s"
        self.json_ph = "?" if self.sqlite else "%s::json"

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

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value

    def placeholders(self, n: int) -> str:
        return ", ".join([self.ph] * n)

    def executemany(self, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.exec_driver_sql(sql, list(rows))

    def insert_many(self, head: str, row: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """``head`` is ``INSERT INTO t (cols)``, ``row`` one ``(placeholders)`` group. SQLite takes the
        rows through executemany; PostgreSQL through multi-row VALUES (one round trip per 500 rows)."""
        if not rows:
            return
        if self.sqlite:
            self.conn.exec_driver_sql(f"{head} VALUES {row}", list(rows))
            return
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            params = tuple(value for item in chunk for value in item)
            self.conn.exec_driver_sql(f"{head} VALUES {', '.join([row] * len(chunk))}", params)

    def select(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.conn.exec_driver_sql(sql, params)]
