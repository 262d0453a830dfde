"""Tenant scope by construction (platform_server/scope.py): a query written without any institution
filter, through a scoped session, still sees the scope's rows only; cross-tenant paths must say so.

test_isolation.py stays the backstop over HTTP; these tests go below the routes, on both backends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import Table, delete, func, select, text, update
from sqlalchemy.orm import Session

from platform_server import regulator_service
from platform_server.models import Base, Change, ConsumptionConfirmation, Device, EntityRow, EscrowEntry
from platform_server.platform_ops import run_deadlines
from platform_server.rawsql import Raw
from platform_server.retention import prune_changes
from platform_server.scope import (
    InstitutionScope,
    UnscopedQuery,
    require_scopes,
    scoped,
    tenant_mappers,
    tenant_tables,
    unscoped,
)
from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import Device as Desk
from tests.server.helpers import new_id
from tests.server.platform_fixtures import approved_course, buy, charge


@dataclass
class TwoTenants:
    mine: InstitutionScope
    other: InstitutionScope


@pytest.fixture
def two(
    client: httpx.Client,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Desk],
    regulator: dict[str, str],
) -> TwoTenants:
    """Two institutions with rows in every tenant table: feed rows, changes, applied ops, escrow entries,
    consumption confirmations, a refund request, a material file and a spot check each."""
    scopes = []
    for _ in range(2):
        desk = make_device(make_tenant())
        course = approved_course(desk, client, regulator)
        bought = buy(client, regulator, desk, course, 10000)
        charge(desk, new_id(), 1000)
        url = f"/v1/parent/institutions/{desk.institution_id}/refund-requests"
        body = {"contract_id": bought["contract_id"], "units": "1", "amount_fen": 1}
        assert client.post(url, json=body, headers=regulator).status_code == 200
        handout = f"handout of {desk.institution_id}".encode()
        upload = f"/v1/material-files/{hashlib.sha256(handout).hexdigest()}"
        put = client.put(upload, params={"size": len(handout)}, content=handout, headers=desk.headers)
        assert put.status_code == 200
        checks = f"/v1/regulator/institutions/{desk.institution_id}/spot-checks"
        assert client.post(checks, json={"course_id": course}, headers=regulator).status_code == 200
        scopes.append(InstitutionScope(desk.institution_id, desk.device_id))
    return TwoTenants(*scopes)


@pytest.fixture
def session(server: LiveServer) -> Iterator[Session]:
    with server.rt.sessionmaker() as s:
        yield s
        s.rollback()


def _owners(session: Session, model: type[Any]) -> set[str]:
    return set(session.scalars(select(model.institution_id)))


def test_every_table_with_an_institution_id_is_tenant_data() -> None:
    with_column = {t.name for t in Base.metadata.tables.values() if "institution_id" in t.c}
    assert tenant_tables() == with_column
    assert {cast(Table, m.local_table).name for m in tenant_mappers()} == with_column
    assert {"entity_row", "change", "escrow_entry", "device", "applied_op"} <= with_column


def test_an_unfiltered_query_through_a_scoped_session_sees_only_its_institution(
    two: TwoTenants, session: Session
) -> None:
    for mapper in tenant_mappers():
        model = mapper.class_
        with unscoped(session, "test: the rows of both institutions"):
            assert {two.mine.institution_id, two.other.institution_id} <= _owners(session, model)
        with scoped(session, two.mine):
            assert _owners(session, model) == {two.mine.institution_id}, model.__name__
            # the same query in other shapes: entity rows, counts, joins, subqueries
            rows = session.scalars(select(model)).all()
            assert rows and {r.institution_id for r in rows} == {two.mine.institution_id}
            assert session.scalar(select(func.count()).select_from(model)) == len(rows)
            subquery = select(model.institution_id).subquery()
            assert session.scalar(select(func.count()).select_from(subquery)) == len(rows)


def test_a_join_and_a_lookup_by_id_stay_in_scope(two: TwoTenants, session: Session) -> None:
    with unscoped(session, "test: a row of the other institution"):
        theirs = session.scalars(
            select(EntityRow).where(EntityRow.institution_id == two.other.institution_id)
        ).first()
    assert theirs is not None
    session.expunge_all()  # no identity-map shortcut: the lookup must go to the database
    with scoped(session, two.mine):
        assert session.scalar(select(EntityRow).where(EntityRow.id == theirs.id)) is None
        joined = select(Change.entity_id).join(EntityRow, EntityRow.entity_id == Change.entity_id)
        assert theirs.entity_id not in set(session.scalars(joined))


def test_updates_and_deletes_through_a_scoped_session_touch_only_its_rows(
    two: TwoTenants, session: Session
) -> None:
    with unscoped(session, "test: counts of both institutions"):
        before = dict(
            session.execute(select(Change.institution_id, func.count()).group_by(Change.institution_id)).all()
        )
    with scoped(session, two.mine):
        session.execute(update(Device).values(name="renamed"))
        session.execute(delete(Change))
    with unscoped(session, "test: what the writes reached"):
        names = dict(session.execute(select(Device.institution_id, Device.name)).all())
        after = dict(
            session.execute(select(Change.institution_id, func.count()).group_by(Change.institution_id)).all()
        )
    assert names[two.mine.institution_id] == "renamed" and names[two.other.institution_id] != "renamed"
    assert two.mine.institution_id not in after
    assert after[two.other.institution_id] == before[two.other.institution_id]


def test_a_core_statement_on_a_tenant_table_is_refused_in_scope(two: TwoTenants, session: Session) -> None:
    table = cast(Table, EntityRow.__table__)
    with scoped(session, two.mine), pytest.raises(UnscopedQuery, match="entity_row"):
        session.execute(select(table.c.entity_id))


def test_raw_statements_add_the_scope_and_refuse_without_one(two: TwoTenants, session: Session) -> None:
    with pytest.raises(UnscopedQuery, match="without a scope"):
        Raw(session).select("entity_row", "institution_id", "id > {ph}", (0,))
    with scoped(session, two.mine):
        raw = Raw(session)
    owners = {row[0] for row in raw.select("entity_row", "institution_id", "id > {ph}", (0,))}
    assert owners == {two.mine.institution_id}
    ids = [r[0] for r in raw.select("entity_row", "entity_id", "id > {ph}", (0,))]
    assert {r[0] for r in raw.select_in("entity_row", "institution_id", "entity_id", ids)} == owners


def test_a_new_row_of_another_institution_cannot_be_flushed_in_scope(
    two: TwoTenants, session: Session
) -> None:
    entry = EscrowEntry(
        id=new_id(), institution_id=two.other.institution_id, kind="deposit", amount_fen=1, requested_fen=1,
        ref_entity="payment", ref_id=new_id(), on_date=dt.date(2026, 3, 1),
        created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    with scoped(session, two.mine):
        session.add(entry)
        with pytest.raises(UnscopedQuery, match="written under"):
            session.flush()


def test_one_session_never_acts_for_two_institutions(two: TwoTenants, session: Session) -> None:
    with scoped(session, two.mine):
        with pytest.raises(UnscopedQuery, match="scoped to"), scoped(session, two.other):
            pass
        with scoped(session, two.mine):  # the same scope again is fine
            assert _owners(session, EntityRow) == {two.mine.institution_id}


def test_a_request_session_refuses_a_tenant_query_without_scope_or_escape(
    two: TwoTenants, session: Session
) -> None:
    require_scopes(session)  # what get_session does for every request
    with pytest.raises(UnscopedQuery, match="without a scope"):
        session.scalars(select(EntityRow.entity_id)).first()
    session.rollback()
    assert session.execute(text("SELECT 1")).scalar() == 1  # non-tenant statements are not affected
    with unscoped(session, "test: a named cross-tenant read"):
        assert len(_owners(session, EntityRow)) >= 2


def test_cross_tenant_paths_work_on_a_request_session_only_through_the_named_escape(
    two: TwoTenants, server: LiveServer, session: Session
) -> None:
    """The regulator's lists and the deadline and retention sweeps span institutions on purpose: on a
    request session (which refuses unscoped tenant queries) they work, and reach both institutions,
    because they say ``unscoped``."""
    require_scopes(session)
    both = {two.mine.institution_id, two.other.institution_id}
    listed = {i["id"] for i in regulator_service.list_institutions(session, server.rt)}
    assert both <= listed
    assert isinstance(regulator_service.pending_courses(session), list)

    server.clock.advance(dt.timedelta(days=server.rt.settings.retention_days + 30))
    cutoff = server.clock.now() - dt.timedelta(days=server.rt.settings.retention_days)
    decided = run_deadlines(session, server.rt)
    assert decided["auto_confirmed"] >= 2 and decided["auto_agreed"] >= 2
    assert prune_changes(session, server.rt) > 0
    with unscoped(session, "test: what the sweeps reached"):
        confirmed = select(ConsumptionConfirmation.institution_id, ConsumptionConfirmation.status)
        statuses = dict(
            session.execute(confirmed.where(ConsumptionConfirmation.institution_id.in_(both))).all()
        )
        old = select(Change.institution_id).where(Change.institution_id.in_(both), Change.created_at < cutoff)
        assert session.scalars(old).all() == []
    assert statuses == dict.fromkeys(both, "auto_confirmed")

    with pytest.raises(UnscopedQuery):  # the same kind of query without the escape
        session.scalars(select(EntityRow.institution_id).where(EntityRow.entity == "course")).all()
