"""Institution endpoints: push, change feed, snapshot, stats, answering refund requests and 消课 disputes."""

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
from platform_server.disputes import answer_dispute
from platform_server.errors import JsonResponse, NotFound, ResetRequired, StateConflict
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, change_check, counter, read_changes, read_snapshot
from platform_server.models import RefundRequest
from platform_server.openapi_docs import errors
from platform_server.platform_ops import confirmation_payload, decide_refund, refund_payload
from platform_server.push import PushBatch
from platform_server.schemas import (
    ChangesOut,
    ConfirmationOut,
    DisputeAnswerIn,
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


CursorCheck = Annotated[
    str | None,
    Query(
        max_length=140,
        description="游标处那条变更的 `entity_id:version`(上一页最后一条,或快照的 as_of_check);"
        "与平台不符说明平台已从备份恢复,答 410 reset_required / the change at `cursor` as the desk saw it: "
        "a platform restored from a backup has a different one there and answers 410 (reason cursor_unknown)",
    ),
]
RESTORED = (
    "同步游标与平台数据不符(平台已从备份恢复),请重新上传并下载全部数据 / "
    "The cursor does not match the platform's feed (restored from a backup): re-send, then download"
)


@router.get("/sync/changes", response_model=ChangesOut, responses=errors(401, 403, 410))
def changes(
    scope: CurrentInstitution,
    session: SessionDep,
    rt: RuntimeDep,
    cursor: Cursor = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    check: CursorCheck = None,
) -> Response:
    head = counter(session, scope)
    if cursor < head.pruned_seq:
        raise ResetRequired(pruned_seq=head.pruned_seq, reason="pruned", head_seq=head.last_seq)
    # A cursor past the head, or on a change other than the one the desk saw there: the platform lost
    # changes (restored from an older backup). Paging on would skip whatever it numbered anew with those
    # seqs, so the desk re-sends its rows and starts over from a snapshot.
    if cursor > head.last_seq:
        raise ResetRequired(RESTORED, reason="cursor_ahead", head_seq=head.last_seq)
    if check is not None and cursor > head.pruned_seq and change_check(session, scope, cursor) != check:
        raise ResetRequired(RESTORED, reason="cursor_unknown", head_seq=head.last_seq)
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
    head = counter(session, scope)
    as_of = head.last_seq
    as_of_check = change_check(session, scope, as_of) if as_of > head.pruned_seq else None
    page = read_snapshot(session, scope, cursor, _limit(rt, limit) + 1)
    has_more = len(page) > _limit(rt, limit)
    page = page[: _limit(rt, limit)]
    next_cursor = page[-1]["row_id"] if page else cursor
    body = {"rows": page, "next_cursor": next_cursor, "has_more": has_more, "as_of_seq": as_of}
    return JsonResponse({**body, "as_of_check": as_of_check})


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
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())
    req = session.scalar(select(RefundRequest).where(RefundRequest.id == request_id))  # scoped session
    if req is None:
        raise NotFound()
    if req.status != "requested":
        raise StateConflict(status=req.status)
    status = "agreed" if body.decision == "agree" else "rejected"
    decide_refund(emitter, EscrowLedger(session, emitter), req, status, body.reason)
    session.flush()
    emitter.flush()
    return RefundRequestOut(**refund_payload(req))


@router.post(
    "/consumption-confirmations/{confirmation_id}/answer",
    response_model=ConfirmationOut,
    responses=errors(401, 403, 404, 409),
)
def answer_consumption_dispute(
    confirmation_id: str,
    body: DisputeAnswerIn,
    scope: CurrentInstitution,
    session: SessionDep,
    rt: RuntimeDep,
) -> ConfirmationOut:
    """Answer a parent's 消课 dispute with the lesson's roll-call record (``roll_call``, only while the
    confirmation window is open) or give the charge back (``reverse``, once). 409 carries the
    confirmation's ``status`` when it no longer allows this answer."""
    conf = answer_dispute(session, rt, scope, confirmation_id, body)
    return ConfirmationOut(**confirmation_payload(conf))
