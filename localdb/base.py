"""Declarative base, constraint naming and the columns every synced table shares.

The naming convention gives every constraint and index a stable name, so Alembic can compare and alter
them on SQLite (batch mode needs names) and migrations stay reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DefaultClause, Integer, MetaData, String, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.schema import ScalarElementColumnDefault
from sqlalchemy.types import TypeDecorator

from localdb.ids import new_id
from localdb.types import SQL_UTC_NOW, UtcDateTime, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
_DIALECT = sqlite.dialect()


class Base(DeclarativeBase):
    """Base of all local tables (synced and local-only)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def choice(column: str, values: Iterable[str]) -> CheckConstraint:
    """CHECK that an enum-like code column holds one of ``values`` (NULL passes, as in SQL)."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=column)


def id_column() -> Mapped[str]:
    """UUID text primary key, v7 by default."""
    return mapped_column(String(36), primary_key=True, default=new_id, sort_order=-10)


def ref(length: int = 36) -> Mapped[str | None]:
    """A nullable plain-text reference (e.g. to a local user) that deliberately has no foreign key."""
    return mapped_column(String(length))


class SyncedMixin:
    """Columns of every synced row: id, server-acknowledged version, creation and update instants.

    ``version`` is 0 until the server acknowledges the row; only the sync engine changes it, with capture off.
    """

    id: Mapped[str] = id_column()
    version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0"), sort_order=90
    )
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime, nullable=False, default=utc_now, server_default=text(SQL_UTC_NOW), sort_order=91
    )
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime,
        nullable=False,
        default=utc_now,
        onupdate=utc_now,
        server_default=text(SQL_UTC_NOW),
        sort_order=92,
    )


class MasterMixin(SyncedMixin):
    """Mutable master data: soft-deleted by setting ``deleted_at`` (a tombstone that syncs as 'delete')."""

    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, sort_order=93)


def _sql_literal(column: Column[Any], value: object) -> str:
    if isinstance(column.type, TypeDecorator):
        value = column.type.process_bind_param(value, _DIALECT)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"{column}: no SQL literal for default {value!r}")


def mirror_scalar_defaults(metadata: MetaData) -> None:
    """Give every column with a constant Python default the same SQL default.

    Raw SQL, pulled rows and the ORM then agree on what an omitted value means, and NOT NULL columns with
    a default never reject a raw INSERT that leaves them out.
    """
    for table in metadata.tables.values():
        for column in table.columns:
            default = column.default
            if column.server_default is None and isinstance(default, ScalarElementColumnDefault):
                column.server_default = DefaultClause(text(_sql_literal(column, default.arg)))
