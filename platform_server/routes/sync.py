"""Institution endpoints: push, change feed, snapshot, stats, answering refund requests."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.responses import Response

from platform_server.auth import CurrentInstitution, RuntimeDep
from platform_server.db import SessionDep
from platform_server.errors import JsonResponse, NotFound, ResetRequired, StateConflict
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, counter, read_changes, read_snapshot
from platform_server.models import RefundRequest
from platform_server.openapi_docs import errors
from platform_server.platform_ops import decide_refund, refund_payload
from platform_server.push import PushBatch
from platform_server.schemas import (
    ChangesOut,
    PushIn,
    PushOut,
    RefundRequestOut,
    RefundResponseIn,
    SnapshotOut,
    StatsOut,
)
from platform_server.stats import compute_stats

router = APIRouter(prefix="/v1")
Cursor = Annotated[int, Query(ge=0, le=2**53)]


def _limit(rt: RuntimeDep, limit: int) -> int:
    return min(limit, rt.settings.max_page_limit)


@router.post("/sync/push", response_model=PushOut, responses=errors(401, 403, 404, 409))
def push(body: PushIn, scope: CurrentInstitution, session: SessionDep, rt: RuntimeDep) -> Response:
    result = PushBatch(session, rt, scope, body).run()
    return JsonResponse(result)


@router.get("/sync/changes", response_model=ChangesOut, responses=errors(401, 403, 410))
def changes(
    scope: CurrentInstitution,
    session: SessionDep,
    rt: RuntimeDep,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Response:
    head = counter(session, scope)
    if cursor < head.pruned_seq:
        raise ResetRequired(pruned_seq=head.pruned_seq)
    page = read_changes(session, scope, cursor, _limit(rt, limit) + 1)
    has_more = len(page) > _limit(rt, limit)
    page = page[: _limit(rt, limit)]
    next_cursor = page[-1]["server_seq"] if page else cursor
    return JsonResponse({"changes": page, "next_cursor": next_cursor, "has_more": has_more})


@router.get("/sync/snapshot", response_model=SnapshotOut, responses=errors(401, 403))
def snapshot(
    scope: CurrentInstitution,
    session: SessionDep,
    rt: RuntimeDep,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    as_of = counter(session, scope).last_seq
    page = read_snapshot(session, scope, cursor, _limit(rt, limit) + 1)
    has_more = len(page) > _limit(rt, limit)
    page = page[: _limit(rt, limit)]
    next_cursor = page[-1]["row_id"] if page else cursor
    return JsonResponse({"rows": page, "next_cursor": next_cursor, "has_more": has_more, "as_of_seq": as_of})


@router.get("/stats", response_model=StatsOut, responses=errors(401, 403))
def stats(
    scope: CurrentInstitution,
    session: SessionDep,
    from_date: Annotated[dt.date | None, Query(alias="from")] = None,
    to_date: Annotated[dt.date | None, Query(alias="to")] = None,
) -> StatsOut:
    return StatsOut(**compute_stats(session, scope, from_date, to_date))


@router.post(
    "/refund-requests/{request_id}/respond",
    response_model=RefundRequestOut,
    responses=errors(401, 403, 404, 409),
)
def respond_refund(
    request_id: str, body: RefundResponseIn, scope: CurrentInstitution, session: SessionDep, rt: RuntimeDep
) -> RefundRequestOut:
    emitter = Emitter(session, scope.institution_id, rt.clock.now(), rt.clock.today())
    req = session.scalar(
        select(RefundRequest).where(
            RefundRequest.institution_id == scope.institution_id, RefundRequest.id == request_id
        )
    )
    if req is None:
        raise NotFound()
    if req.status != "requested":
        raise StateConflict(status=req.status)
    status = "agreed" if body.decision == "agree" else "rejected"
    decide_refund(emitter, EscrowLedger(session, emitter), req, status, body.reason)
    session.flush()
    emitter.flush()
    return RefundRequestOut(**refund_payload(req))
