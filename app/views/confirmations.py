"""消课 confirmations and disputes as the desk follows them, each with its deadline.

Rows come from ``platform_inbox`` (``consumption_confirmation``, filled by ``sync``) with the lesson, the
student and the desk's own answer (``dispute_answer``) joined in. Two lists, nearest deadline first:

* ``pending``: charged lessons the parent has not confirmed yet (auto-confirmed at the window's end);
* ``dispute``: disputes still open — waiting for the desk's answer (``disputed``), answered and waiting
  for the parent (``answered``), or with the regulator (``escalated``, no window) — not marked handled.

The countdown itself is not stored: screens compute it from ``deadline`` and the current time
(``app.rules.confirmation_window``), so it runs down between syncs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.codes import AnswerState, ConfirmationStatus
from app.db import Database
from app.permissions import Actor, Permission, require
from app.rules.confirmation_window import PLATFORM_TZ
from app.views.paging import Key, Order, PageAt, in_order, keyed_page
from localdb.models import Attendance, Course, Klass, LessonSession, Student
from localdb.models_platform import DisputeAnswer, PlatformInbox

WHICH = ("pending", "dispute")
DISPUTE_OPEN = (ConfirmationStatus.DISPUTED, ConfirmationStatus.ANSWERED, ConfirmationStatus.ESCALATED)
ENTITY = "consumption_confirmation"
#: the desk's answers that stand (waiting to be sent, or taken by the platform)
STANDING = (AnswerState.PENDING, AnswerState.SENT)
DUE_TODAY_SHOWN = 20


@dataclass(frozen=True)
class ConfirmationItem:
    confirmation_id: str
    attendance_id: str | None
    status: str | None
    deadline: date | None
    amount_fen: int | None
    student_name: str | None
    course_name: str | None
    class_name: str | None
    lesson_date: date | None
    lesson_time: str | None
    #: the parent's reason for the dispute, and the last word after it (acceptance, escalation, deadline)
    reason: str | None
    parent_reply: str | None
    #: the desk's answer here (``roll_call``/``reverse``) and what became of it (``pending`` … ``failed``)
    answer_decision: str | None
    answer_state: str | None
    answer_note: str | None
    #: the confirmation's status in the platform's refusal of the answer (``conflict``)
    answer_server_status: str | None = None
    #: the platform's row carries an institution's answer (``answer_kind``)
    platform_answered: bool = False

    #: the platform item this is (what acknowledging it as handled names)
    entity = ENTITY

    @property
    def item_id(self) -> str:
        return self.confirmation_id

    @property
    def needs_answer(self) -> bool:
        """A dispute nobody here has answered yet, or whose answer the platform did not take; an answer
        taken for an earlier dispute of the lesson (withdrawn, then charged and disputed again: the
        platform's row carries no answer) does not count."""
        if self.status != ConfirmationStatus.DISPUTED:
            return False
        return not (
            self.answer_state == AnswerState.PENDING
            or (self.answer_state == AnswerState.SENT and self.platform_answered)
        )


def _payload(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _where(which: str) -> Any:
    live = and_(PlatformInbox.entity == ENTITY, PlatformInbox.deleted.is_(False))
    if which == "pending":
        return and_(live, PlatformInbox.status == ConfirmationStatus.PENDING)
    return and_(live, PlatformInbox.status.in_(DISPUTE_OPEN), PlatformInbox.handled_at.is_(None))


def unanswered_disputes() -> Any:
    """The WHERE clause of the disputes waiting for the desk's answer (see ``needs_answer``)."""
    answer = aliased(DisputeAnswer)  # the lists also outer-join DisputeAnswer: keep them apart
    taken = and_(
        answer.state == AnswerState.SENT,
        func.json_extract(PlatformInbox.payload, "$.answer_kind").is_not(None),
    )
    answered = exists().where(
        answer.confirmation_id == PlatformInbox.entity_id, or_(answer.state == AnswerState.PENDING, taken)
    )
    return and_(_where("dispute"), PlatformInbox.status == ConfirmationStatus.DISPUTED, ~answered)


def _order(which: str) -> Order:
    """A list's order: nearest deadline first; escalated disputes (no window left) after the running ones."""
    order: Order = (PlatformInbox.deadline, PlatformInbox.entity_id)
    return (PlatformInbox.status == ConfirmationStatus.ESCALATED, *order) if which == "dispute" else order


def confirmation_key(which: str) -> Callable[[ConfirmationItem], Key]:
    """A listed item's place in ``list_confirmations``' order of ``which``."""
    if which == "dispute":
        return lambda item: (item.status == ConfirmationStatus.ESCALATED, item.deadline, item.confirmation_id)
    return lambda item: (item.deadline, item.confirmation_id)


def _query(where: Any, which: str = "dispute") -> Select[*tuple[Any, ...]]:
    return _select(where).order_by(*_order(which))


def _select(where: Any) -> Select[*tuple[Any, ...]]:
    return (
        select(
            PlatformInbox,
            Student.name,
            Course.name,
            Klass.name,
            LessonSession.date,
            LessonSession.start_time,
            DisputeAnswer.decision,
            DisputeAnswer.state,
            DisputeAnswer.last_error,
            DisputeAnswer.server_status,
        )
        .outerjoin(Attendance, Attendance.id == PlatformInbox.related_id)
        .outerjoin(Student, Student.id == Attendance.student_id)
        .outerjoin(LessonSession, LessonSession.id == Attendance.session_id)
        .outerjoin(Klass, Klass.id == LessonSession.klass_id)
        .outerjoin(Course, Course.id == Klass.course_id)
        .outerjoin(DisputeAnswer, DisputeAnswer.confirmation_id == PlatformInbox.entity_id)
        .where(where)
    )


def _item(row: tuple[Any, ...]) -> ConfirmationItem:
    inbox, student, course, klass, day, start, decision, state, note, server_status = row
    payload = _payload(inbox.payload)
    return ConfirmationItem(
        inbox.entity_id,
        inbox.related_id,
        inbox.status,
        inbox.deadline,
        inbox.amount_fen,
        student,
        course,
        klass,
        day,
        start,
        payload.get("reason"),
        payload.get("parent_reply"),
        decision,
        state,
        note,
        server_status,
        payload.get("answer_kind") is not None,
    )


def count_confirmations(db: Database, actor: Actor, which: str) -> int:
    require(actor, Permission.SYNC)
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(PlatformInbox).where(_where(which))) or 0)


def list_confirmations(
    db: Database,
    actor: Actor,
    which: str,
    offset: int,
    limit: int,
    *,
    after: Key | None = None,
    before: Key | None = None,
) -> list[ConfirmationItem]:
    """One page of ``which`` (``pending`` or ``dispute``), nearest deadline first: after the item keyed
    ``after`` (``confirmation_key``), before ``before``, or at ``offset`` (``app.views.paging``) — sync
    brings new confirmations in while the list is open."""
    require(actor, Permission.SYNC)
    query, backwards = keyed_page(_select(_where(which)), _order(which), PageAt(offset, after, before), limit)
    with db.reading() as session:
        return in_order([_item(tuple(r)) for r in session.execute(query)], backwards)


def count_unanswered(session: Session) -> int:
    """Disputes waiting for the desk's answer (the navigation's badge)."""
    return int(
        session.scalar(select(func.count()).select_from(PlatformInbox).where(unanswered_disputes())) or 0
    )


def disputes_due_today(db: Database, actor: Actor, now: datetime) -> list[ConfirmationItem]:
    """Unanswered disputes whose window ends at the coming midnight (Shanghai): today is the last day."""
    if not actor.may(Permission.SYNC):
        return []
    last_day = now.astimezone(PLATFORM_TZ).date() + timedelta(days=1)
    with db.reading() as session:
        rows = session.execute(
            _query(and_(unanswered_disputes(), PlatformInbox.deadline == last_day)).limit(DUE_TODAY_SHOWN)
        )
        return [_item(tuple(r)) for r in rows]


def confirmation(db: Database, actor: Actor, confirmation_id: str) -> ConfirmationItem | None:
    """One confirmation whatever its status (for the CLI and the answer dialog)."""
    require(actor, Permission.SYNC)
    where = and_(PlatformInbox.entity == ENTITY, PlatformInbox.entity_id == confirmation_id)
    with db.reading() as session:
        row = session.execute(_query(where)).first()
        return _item(tuple(row)) if row is not None else None
