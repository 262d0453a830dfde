"""平台 inbox: what the platform sent down that needs the institution, one kind per tab.

* refund requests still to be carried out or refused (requested or agreed, no local refund booked for them
  yet, no refusal waiting to be sent or taken by the platform), with the working days left before silence
  counts as agreement; a refusal the platform did not take (the request was already decided) brings the
  request back with that outcome (``answer_state``, ``answer_note``);
* 消课 disputes (a parent refused to confirm a charged lesson) the desk has not answered yet (an answer
  waiting to be sent or taken by the platform settles it here; ``app.views.confirmations`` lists every
  open one with its countdown);
* complaints and reviews not yet acknowledged;
* sync problems (rejected ops and conflicts) not yet resolved.

Rows come from ``platform_inbox`` (filled by ``sync``) and ``sync_problem``; each item says which action
it needs. Paged by kind so a long history never loads at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, null, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.permissions import Actor, Permission, require
from app.views.confirmations import unanswered_disputes
from app.workcal import working_days_between
from localdb.codes import AnswerState, InboxKind, InboxStatus
from localdb.models import (
    Attendance,
    Contract,
    Course,
    Refund,
    Student,
    SyncProblem,
)
from localdb.models_platform import PlatformInbox, RefundAnswer

KINDS = tuple(InboxKind)
ENTITY: dict[str, str] = {
    InboxKind.REFUND: "refund_request",
    InboxKind.DISPUTE: "consumption_confirmation",
    InboxKind.COMPLAINT: "complaint",
    InboxKind.REVIEW: "review",
}
OPEN_REFUND = (InboxStatus.REQUESTED, InboxStatus.AGREED, InboxStatus.AUTO_AGREED)
#: states of a desk's refusal after which the request needs nothing more (waiting to be sent, or taken)
ANSWERED = (AnswerState.PENDING, AnswerState.SENT)
#: the action each kind needs: carry out the refund, acknowledge, or mark the problem resolved
ACTIONS: dict[str, str] = {
    InboxKind.REFUND: "refund",
    InboxKind.DISPUTE: "acknowledge",
    InboxKind.COMPLAINT: "acknowledge",
    InboxKind.REVIEW: "acknowledge",
    InboxKind.PROBLEM: "resolve",
}


@dataclass(frozen=True)
class InboxItem:
    kind: str
    item_id: str
    status: str | None
    summary: str
    student_name: str | None
    contract_no: str | None
    course_name: str | None
    amount_fen: int | None
    deadline: date | None
    days_left: int | None
    received_at: datetime | None
    related_id: str | None = None
    entity: str | None = None
    #: the desk's refusal that did not take effect ('conflict' / 'failed') and why, for refund requests
    answer_state: str | None = None
    answer_note: str | None = None

    @property
    def action(self) -> str:
        return ACTIONS[self.kind]


def _payload(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _open(kind: str) -> Any:
    """The WHERE clause of the items of ``kind`` that still need something."""
    live = and_(
        PlatformInbox.entity == ENTITY[kind],
        PlatformInbox.deleted.is_(False),
        PlatformInbox.handled_at.is_(None),
    )
    if kind == InboxKind.REFUND:
        booked = exists().where(Refund.platform_request_id == PlatformInbox.entity_id)
        answer = aliased(RefundAnswer)  # the list also outer-joins RefundAnswer: keep them apart
        answered = exists().where(answer.request_id == PlatformInbox.entity_id, answer.state.in_(ANSWERED))
        return and_(live, PlatformInbox.status.in_(OPEN_REFUND), ~booked, ~answered)
    if kind == InboxKind.DISPUTE:
        return unanswered_disputes()
    return live


def _summary(kind: str, payload: dict[str, Any]) -> str:
    if kind == InboxKind.COMPLAINT:
        parts = [payload.get("subject"), payload.get("text")]
    elif kind == InboxKind.REVIEW:
        stars = payload.get("rating")
        parts = ["★" * int(stars) if isinstance(stars, int) and 0 < stars <= 5 else None, payload.get("text")]
    else:
        parts = [payload.get("reason")]
    return "：".join(str(p) for p in parts if p)


def _inbox_query(kind: str) -> Select[*tuple[Any, ...]]:
    if kind == InboxKind.REVIEW:
        query = select(PlatformInbox, null(), null(), Course.name).outerjoin(
            Course, Course.id == PlatformInbox.related_id
        )
    else:
        query = select(PlatformInbox, Student.name, Contract.contract_no, Course.name)
        if kind == InboxKind.DISPUTE:
            query = query.outerjoin(Attendance, Attendance.id == PlatformInbox.related_id).outerjoin(
                Contract, Contract.id == Attendance.contract_id
            )
        else:
            query = query.outerjoin(Contract, Contract.id == PlatformInbox.related_id)
        query = query.outerjoin(Student, Student.id == Contract.student_id).outerjoin(
            Course, Course.id == Contract.course_id
        )
    if kind == InboxKind.REFUND:
        query = query.add_columns(RefundAnswer.state, RefundAnswer.last_error).outerjoin(
            RefundAnswer, RefundAnswer.request_id == PlatformInbox.entity_id
        )
        order: tuple[Any, ...] = (PlatformInbox.deadline, PlatformInbox.received_at)
    else:
        query = query.add_columns(null(), null())
        order = (PlatformInbox.received_at.desc(),)
    return query.where(_open(kind)).order_by(*order, PlatformInbox.entity_id)


def _item(
    kind: str,
    row: PlatformInbox,
    student: str | None,
    contract_no: str | None,
    course: str | None,
    today: date,
    answer: tuple[str | None, str | None] = (None, None),
) -> InboxItem:
    payload = _payload(row.payload)
    days = working_days_between(today, row.deadline) if row.deadline else None
    return InboxItem(
        kind,
        row.entity_id,
        row.status,
        _summary(kind, payload),
        student,
        contract_no,
        course,
        row.amount_fen,
        row.deadline,
        days,
        row.received_at,
        row.related_id,
        row.entity,
        *answer,
    )


def _problem_item(p: SyncProblem) -> InboxItem:
    return InboxItem(
        InboxKind.PROBLEM,
        p.id,
        p.kind,
        p.reason or "",
        None,
        None,
        None,
        None,
        None,
        None,
        p.created_at,
        p.entity_id,
        p.entity,
    )


def count_inbox(db: Database, actor: Actor, kind: str) -> int:
    """How many items of ``kind`` still need an action."""
    require(actor, Permission.SYNC)
    if kind == InboxKind.PROBLEM:
        query = select(func.count(SyncProblem.id)).where(SyncProblem.resolved_at.is_(None))
    else:
        query = select(func.count()).select_from(PlatformInbox).where(_open(kind))
    with db.reading() as session:
        return int(session.scalar(query) or 0)


def list_inbox(
    db: Database, actor: Actor, kind: str, offset: int, limit: int, today: date
) -> list[InboxItem]:
    """One page of the open items of ``kind`` (refunds: nearest deadline first; others newest first)."""
    require(actor, Permission.SYNC)
    with db.reading() as session:
        return open_items(session, kind, offset, limit, today)


def open_items(session: Session, kind: str, offset: int, limit: int, today: date) -> list[InboxItem]:
    """``list_inbox`` inside a caller's session, without the permission check (for the core's own use)."""
    if kind == InboxKind.PROBLEM:
        query = (
            select(SyncProblem)
            .where(SyncProblem.resolved_at.is_(None))
            .order_by(SyncProblem.created_at.desc(), SyncProblem.id)
        )
        problems = session.scalars(query.offset(max(0, offset)).limit(max(0, limit)))
        return [_problem_item(p) for p in problems]
    rows = session.execute(_inbox_query(kind).offset(max(0, offset)).limit(max(0, limit)))
    return [
        _item(kind, row, student, no, course, today, (state, note))
        for row, student, no, course, state, note in rows
    ]


def inbox_counts(db: Database, actor: Actor) -> dict[str, int]:
    return {kind: count_inbox(db, actor, kind) for kind in KINDS}


@dataclass(frozen=True)
class AnswerItem:
    """The desk's answer to a platform refund request and what became of it."""

    request_id: str
    decision: str
    reason: str
    state: str
    server_status: str | None
    last_error: str | None
    attempts: int
    created_by: str | None
    created_at: datetime


def refund_answers(
    db: Database, actor: Actor, states: tuple[str, ...] = ("pending", "conflict", "failed")
) -> list[AnswerItem]:
    """Answers in ``states`` (by default: still to be sent, or not taken by the platform), oldest first."""
    require(actor, Permission.SYNC)
    query = (
        select(RefundAnswer)
        .where(RefundAnswer.state.in_(states))
        .order_by(RefundAnswer.created_at, RefundAnswer.request_id)
    )
    with db.reading() as session:
        return [
            AnswerItem(
                a.request_id,
                a.decision,
                a.reason,
                a.state,
                a.server_status,
                a.last_error,
                a.attempts,
                a.created_by,
                a.created_at,
            )
            for a in session.scalars(query)
        ]
