"""Tenant isolation by construction: a session carries the caller's institution and filters by it.

Every table with an ``institution_id`` column is tenant data. A session that carries an
``InstitutionScope`` (``scoped``, or the request session once ``auth.current_institution`` has run) adds
``institution_id = <scope>`` to every ORM SELECT, UPDATE and DELETE of those tables, however the query
was written, and refuses to flush a new tenant row of another institution. A Core statement on a tenant
*table* (not the mapped class) cannot be filtered that way, so it is refused while a scope is bound; the
raw driver statements of the hot path go through ``rawsql.Raw``, which adds the filter itself.

Paths that legitimately span institutions (the regulator's lists, the deadline and retention sweeps,
the simulator, token rotation before the caller is known) say so with ``unscoped(session, why)``. A
request session refuses a tenant query that has neither a scope nor that escape (``UnscopedQuery``).

How to write a service (platform_server/README.md, "Tenant scope")::

    def my_service(session: Session, scope: InstitutionScope) -> ...:
        with scoped(session, scope):
            rows = session.scalars(select(EntityRow).where(EntityRow.entity == "course"))  # own rows only
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, UOWTransaction, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.base import ExecutableOption

from platform_server.models import Base

TENANT_COLUMN = "institution_id"
_SCOPE = "instdesk.scope"
_UNSCOPED = "instdesk.unscoped"
_STRICT = "instdesk.strict"


@dataclass(frozen=True)
class InstitutionScope:
    """The institution a piece of work acts for; services take this, never a bare institution id."""

    institution_id: str
    device_id: str | None = None


class UnscopedQuery(RuntimeError):
    """A tenant table was queried in a way the scope cannot filter (a programming error, answered 500)."""


@cache
def tenant_mappers() -> tuple[Mapper[Any], ...]:
    """Every mapped class whose table has an ``institution_id`` column (tables added later included)."""
    return tuple(m for m in Base.registry.mappers if TENANT_COLUMN in m.columns)


@cache
def tenant_tables() -> frozenset[str]:
    return frozenset(t.name for t in Base.metadata.tables.values() if TENANT_COLUMN in t.c)


def scope_of(session: Session) -> InstitutionScope | None:
    """The scope the session carries now (None outside ``scoped`` or inside ``unscoped``)."""
    if session.info.get(_UNSCOPED):
        return None
    scope: InstitutionScope | None = session.info.get(_SCOPE)
    return scope


def bind(session: Session, scope: InstitutionScope) -> None:
    """Scope the session for the rest of its life (the request session, once the caller is known)."""
    current = session.info.get(_SCOPE)
    if current is not None and current.institution_id != scope.institution_id:
        raise UnscopedQuery(f"session is scoped to {current.institution_id}, not {scope.institution_id}")
    session.info[_SCOPE] = scope


def require_scopes(session: Session) -> None:
    """From now on a tenant query without a scope or ``unscoped`` fails (the request session's rule)."""
    session.info[_STRICT] = True


@contextmanager
def scoped(session: Session, scope: InstitutionScope) -> Iterator[Session]:
    """Within the block every ORM query of the session sees ``scope``'s rows only.

    Nested use with the same institution is a no-op; a session already scoped to another institution
    refuses (one request never acts for two institutions)."""
    previous = session.info.get(_SCOPE)
    bind(session, scope)
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(_SCOPE, None)


@contextmanager
def unscoped(session: Session, why: str) -> Iterator[Session]:
    """The named escape: queries in the block see every institution (``why`` says which path and why)."""
    previous = session.info.get(_UNSCOPED)
    session.info[_UNSCOPED] = why
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(_UNSCOPED, None)
        else:
            session.info[_UNSCOPED] = previous


@lru_cache(maxsize=1024)  # built once per institution: the options are the same for every query
def _criteria(institution_id: str) -> tuple[ExecutableOption, ...]:
    return tuple(
        with_loader_criteria(m.class_, lambda cls: cls.institution_id == institution_id, include_aliases=True)
        for m in tenant_mappers()
    )


def _tenant_tables_in(statement: Any) -> set[str]:
    names = tenant_tables()
    return {
        node.name for node in visitors.iterate(statement) if isinstance(node, Table) and node.name in names
    }


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    info = state.session.info
    if info.get(_UNSCOPED) or not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the statement that loaded the object was filtered already
    scope: InstitutionScope | None = info.get(_SCOPE)
    if scope is None:
        if info.get(_STRICT) and _tenant_tables_in(state.statement):
            raise UnscopedQuery("tenant query without a scope: use scoped(...) or unscoped(..., why)")
        return
    if not state.is_orm_statement and (tables := _tenant_tables_in(state.statement)):
        raise UnscopedQuery(f"Core statement on tenant tables {sorted(tables)}: query the mapped class")
    state.statement = state.statement.options(*_criteria(scope.institution_id))


@event.listens_for(Session, "before_flush")
def _check_new_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    scope = scope_of(session)
    if scope is None:
        return
    for obj in session.new:
        owner = getattr(obj, TENANT_COLUMN, scope.institution_id)
        if owner != scope.institution_id:
            raise UnscopedQuery(f"{type(obj).__name__} of {owner} written under {scope.institution_id}")
