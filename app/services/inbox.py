"""Actions on the platform inbox: carry out a platform refund request, acknowledge an item, resolve a
sync problem. Each is role-checked, audited and one transaction.

A refund request is carried out with ``refunds.execute_refund`` (source ``platform``, the request's id
kept on the refund row): that one transaction books the refund, and the request leaves the inbox because a
refund with its id now exists, so no second write can disagree with it. The refund row syncs up like any
other; the platform returns the escrowed money for it.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation
from app.permissions import Actor, Permission, require
from app.services._common import now_utc
from app.services.refunds import RefundResult, execute_refund
from localdb.models import SyncProblem
from localdb.models_platform import PlatformInbox

MESSAGES: dict[str, str] = {
    "inbox.not_found": "平台消息不存在或已处理",
    "inbox.not_refund": "该平台消息不是退费申请",
    "inbox.refund_closed": "该退费申请的状态为“{status}”，无需退费",
    "inbox.default_reason": "平台退费申请",
    "inbox.problem_not_found": "同步问题不存在或已处理",
}
InstDeskError.register(MESSAGES)

_REFUNDABLE = ("requested", "agreed", "auto_agreed")


def _open_item(db: Database, entity: str, entity_id: str) -> PlatformInbox:
    with db.reading() as session:
        row = session.scalars(
            select(PlatformInbox).where(PlatformInbox.entity == entity, PlatformInbox.entity_id == entity_id)
        ).first()
        if row is None or row.deleted or row.handled_at is not None:
            raise NotFound("inbox.not_found", entity=entity, entity_id=entity_id)
        session.expunge(row)
        return row


def _request_facts(row: PlatformInbox) -> tuple[str, date | None]:
    try:
        payload = json.loads(row.payload or "{}")
    except ValueError:
        payload = {}
    reason = payload.get("reason") if isinstance(payload, dict) else None
    requested = payload.get("requested_on") if isinstance(payload, dict) else None
    day = date.fromisoformat(requested[:10]) if isinstance(requested, str) and len(requested) >= 10 else None
    return str(reason or InstDeskError.messages["inbox.default_reason"]), day


def carry_out_refund_request(db: Database, actor: Actor, request_id: str) -> RefundResult:
    """Refund the contract of a platform refund request, as of the day it was requested."""
    require(actor, Permission.REFUND)
    row = _open_item(db, "refund_request", request_id)
    if row.status not in _REFUNDABLE:
        raise RuleViolation("inbox.refund_closed", status=row.status)
    if not row.related_id:
        raise RuleViolation("inbox.not_refund")
    reason, requested_on = _request_facts(row)
    return execute_refund(
        db, actor, row.related_id, reason, source="platform", platform_request_id=request_id,
        request_date=requested_on,
    )  # fmt: skip


def acknowledge(db: Database, actor: Actor, entity: str, entity_id: str) -> None:
    """Mark a platform item (a complaint, review, 消课 dispute, settled request) as seen and handled."""
    require(actor, Permission.SYNC)
    with db.transaction() as session:
        row = session.scalars(
            select(PlatformInbox).where(PlatformInbox.entity == entity, PlatformInbox.entity_id == entity_id)
        ).first()
        if row is None or row.handled_at is not None:
            raise NotFound("inbox.not_found", entity=entity, entity_id=entity_id)
        row.handled_at = now_utc()
        audit(session, actor, "inbox.acknowledge", entity, entity_id)


def resolve_problem(db: Database, actor: Actor, problem_id: str) -> None:
    """Mark a sync problem as resolved (the local row was already refreshed from the server)."""
    require(actor, Permission.SYNC)
    with db.transaction() as session:
        row = session.get(SyncProblem, problem_id)
        if row is None or row.resolved_at is not None:
            raise NotFound("inbox.problem_not_found", problem_id=problem_id)
        row.resolved_at = now_utc()
        audit(session, actor, "sync.resolve_problem", row.entity, row.entity_id, kind=row.kind)
