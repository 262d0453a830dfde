"""Actions on the platform inbox: carry out or refuse a platform refund request, acknowledge an item,
resolve a sync problem. Each is role-checked, audited and one transaction.

A refund request is carried out with ``refunds.execute_refund`` (source ``platform``, the request's id
kept on the refund row): that one transaction books the refund, and the request leaves the inbox because a
refund with its id now exists, so no second write can disagree with it. The refund row syncs up like any
other (carrying the request's id); the platform marks the request agreed and returns the escrowed money
for it, once.

A refusal (with the reason the parent will read) is stored as a ``refund_answer`` row in the same
transaction as its audit entry, so it works offline; the next sync sends it and records what the platform
said (``sync.answers``). Until then the request leaves the inbox; if the platform had already decided it
(agreed after 5 working days of silence), the request comes back with that outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.services.refunds import RefundResult, execute_refund
from localdb.codes import AnswerDecision, AnswerState, InboxStatus
from localdb.models import Refund, SyncProblem
from localdb.models_platform import PlatformInbox, RefundAnswer

MESSAGES: dict[str, str] = {
    "inbox.not_found": "平台消息不存在或已处理",
    "inbox.not_refund": "该平台消息不是退费申请",
    "inbox.refund_closed": "该退费申请的状态为“{status}”，无需退费",
    "inbox.default_reason": "平台退费申请",
    "inbox.problem_not_found": "同步问题不存在或已处理",
    "inbox.reason_required": "请填写拒绝退费的理由（家长会在平台上看到）",
    "inbox.reason_too_long": "拒绝理由不能超过 {limit} 个字",
    "inbox.refund_not_requested": "该退费申请的状态为“{status_label}”，不能再拒绝",
    "inbox.refund_already_booked": "该退费申请已办理退费，不能再拒绝",
    "inbox.already_refused": "该退费申请已拒绝（{state_label}），不能重复处理",
    "inbox.answer_too_late": "该退费申请在平台上已是“{status_label}”，拒绝未生效",
}
InstDeskError.register(MESSAGES)

_REFUNDABLE = (InboxStatus.REQUESTED, InboxStatus.AGREED, InboxStatus.AUTO_AGREED)
#: the platform's own limit on a response reason
REASON_LIMIT = 2000
#: answers the platform has taken or is about to be sent: the request needs nothing more from the desk
UNSETTLED_OR_SENT = ("pending", "sent")
STATUS_LABELS = {
    "requested": "待答复",
    "agreed": "已同意",
    "auto_agreed": "逾期视为同意",
    "rejected": "已拒绝",
}
ANSWER_LABELS = {"pending": "待同步到平台", "sent": "平台已收到"}


@dataclass(frozen=True)
class RefusalResult:
    request_id: str
    reason: str
    state: str


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
    answered = _answer_state(db, request_id)
    if answered in UNSETTLED_OR_SENT:
        raise RuleViolation("inbox.already_refused", state=answered, state_label=ANSWER_LABELS[answered])
    reason, requested_on = _request_facts(row)
    return execute_refund(
        db,
        actor,
        row.related_id,
        reason,
        source="platform",
        platform_request_id=request_id,
        request_date=requested_on,
    )


def _answer_state(db: Database, request_id: str) -> str | None:
    with db.reading() as session:
        return session.scalar(select(RefundAnswer.state).where(RefundAnswer.request_id == request_id))


def refuse_refund_request(db: Database, actor: Actor, request_id: str, reason: str) -> RefusalResult:
    """Refuse a platform refund request with the reason the parent will see; sent by the next sync.

    Offline-first: the refusal is stored (with its audit entry) in one local transaction and the request
    leaves the inbox. Refused when the request is not awaiting an answer, already carried out, or already
    refused; a refusal the platform could not take (``failed``) may be made again.
    """
    require(actor, Permission.REFUND)
    text = (reason or "").strip()
    if not text:
        raise ValidationError("inbox.reason_required")
    if len(text) > REASON_LIMIT:
        raise ValidationError("inbox.reason_too_long", limit=REASON_LIMIT)
    with db.transaction() as session:
        row = session.scalars(
            select(PlatformInbox).where(
                PlatformInbox.entity == "refund_request", PlatformInbox.entity_id == request_id
            )
        ).first()
        if row is None or row.deleted or row.handled_at is not None:
            raise NotFound("inbox.not_found", entity="refund_request", entity_id=request_id)
        if session.scalar(select(Refund.id).where(Refund.platform_request_id == request_id)):
            raise RuleViolation("inbox.refund_already_booked")
        answer = session.get(RefundAnswer, request_id)
        if answer is not None and answer.state in UNSETTLED_OR_SENT:
            raise RuleViolation(
                "inbox.already_refused", state=answer.state, state_label=ANSWER_LABELS[answer.state]
            )
        if answer is not None and answer.state == AnswerState.CONFLICT:
            status = answer.server_status or ""
            raise RuleViolation(
                "inbox.answer_too_late", status=status, status_label=STATUS_LABELS.get(status, status)
            )
        if row.status != InboxStatus.REQUESTED:
            status = row.status or ""
            raise RuleViolation(
                "inbox.refund_not_requested", status=status, status_label=STATUS_LABELS.get(status, status)
            )
        if answer is None:
            answer = RefundAnswer(
                request_id=request_id, decision=AnswerDecision.REJECT, reason=text, state=AnswerState.PENDING
            )
            session.add(answer)
        answer.decision, answer.reason, answer.state = AnswerDecision.REJECT, text, AnswerState.PENDING
        answer.attempts, answer.last_error, answer.server_status, answer.settled_at = 0, None, None, None
        answer.created_by, answer.created_at = actor.username, now_utc()
        audit(session, actor, "inbox.refuse_refund", "refund_request", request_id, reason=text)
        return RefusalResult(request_id, text, "pending")


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
