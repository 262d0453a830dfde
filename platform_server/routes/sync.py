"""Institution endpoints: push, change feed, snapshot, stats, answering refund requests."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BeforeValidator
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
        raise ResetRequired(pruned_seq=head.pruned_seq, reason="pruned", head_seq=head.last_seq)
    if cursor > head.last_seq:
        # The desk has seen changes this platform does not have: it was restored from an older backup.
        # Paging on would skip whatever it numbers next with those seqs, so the desk must start over.
        raise ResetRequired(
            "同步游标超过平台的最新序号(平台数据已从备份恢复),请重新下载全部数据 / "
            "Cursor ahead of the platform's head (restored from a backup): download a snapshot",
            reason="cursor_ahead",
            head_seq=head.last_seq,
        )
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


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic would read a bare number such as ``0`` as a Unix time (1970-01-01)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("日期须为 YYYY-MM-DD / a date must be YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


@router.get("/stats", response_model=StatsOut, responses=errors(401, 403))
def stats(
    scope: CurrentInstitution,
    session: SessionDep,
    from_date: Annotated[IsoDate | None, Query(alias="from")] = None,
    to_date: Annotated[IsoDate | None, Query(alias="to")] = None,
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
