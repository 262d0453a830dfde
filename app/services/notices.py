"""Notices: the changes that alter what the desk may or must do, noticed once and kept until handled.

After each sync (and at start-up) ``collect_notices`` compares what the platform decided or sent — course
review decisions, staff background-check results, refund requests, 消课 disputes, sync problems — with the
last state the desk has seen of each (the latest ``notice`` row of that thing) and records what changed.
The app shows new ones as a passing notification and lists them under 平台 → 通知 until a user marks them
handled. The first collection of a database records what is already there as a silent baseline, so a desk
is not flooded with years of old decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, CursorResult, and_, func, select, update
from sqlalchemy.orm import Session

from app.clock import local_today, now_utc
from app.db import Database
from app.permissions import Actor, Permission, require
from app.views.inbox import open_items
from localdb.codes import BackgroundCheck, InboxKind, InboxStatus, NoticeKind, ProblemKind, ReviewStatus
from localdb.models import Course, Notice, Staff

#: the states of each kind that are news; other states are recorded silently (so a course that goes back
#: to review and is approved again is news again)
NEWS: dict[NoticeKind, frozenset[str]] = {
    NoticeKind.COURSE_REVIEW: frozenset({ReviewStatus.APPROVED, ReviewStatus.REJECTED}),
    NoticeKind.STAFF_CHECK: frozenset(
        {BackgroundCheck.PENDING, BackgroundCheck.PASSED, BackgroundCheck.FAILED}
    ),
    NoticeKind.REFUND_REQUEST: frozenset({InboxStatus.REQUESTED}),
    NoticeKind.DISPUTE: frozenset({InboxStatus.DISPUTED}),
    NoticeKind.SYNC_PROBLEM: frozenset({ProblemKind.REJECTED, ProblemKind.CONFLICT}),
}
#: at most this many open inbox items of one kind are looked at per collection
INBOX_WINDOW = 500


@dataclass(frozen=True)
class Fact:
    kind: NoticeKind
    entity_id: str
    state: str
    subject: str
    detail: str | None = None


@dataclass(frozen=True)
class NoticeItem:
    id: int
    kind: NoticeKind
    entity_id: str
    state: str
    subject: str
    detail: str | None
    created_at: datetime
    handled_at: datetime | None


def _course_facts(session: Session) -> Iterable[Fact]:
    query = select(Course.id, Course.review_status, Course.name, Course.review_reason).where(
        Course.deleted_at.is_(None), Course.review_status != ReviewStatus.DRAFT
    )
    for cid, status, name, reason in session.execute(query):
        yield Fact(NoticeKind.COURSE_REVIEW, cid, status, name, reason)


def _staff_facts(session: Session) -> Iterable[Fact]:
    query = select(Staff.id, Staff.background_check, Staff.name).where(
        Staff.deleted_at.is_(None), Staff.background_check != BackgroundCheck.NONE
    )
    for sid, status, name in session.execute(query):
        yield Fact(NoticeKind.STAFF_CHECK, sid, status, name)


def _inbox_facts(session: Session, today: date) -> Iterable[Fact]:
    for kind, notice_kind in (
        (InboxKind.REFUND, NoticeKind.REFUND_REQUEST),
        (InboxKind.DISPUTE, NoticeKind.DISPUTE),
        (InboxKind.PROBLEM, NoticeKind.SYNC_PROBLEM),
    ):
        for item in open_items(session, kind, 0, INBOX_WINDOW, today):
            subject = item.student_name or item.course_name or ""
            yield Fact(notice_kind, item.item_id, item.status or "", subject, item.summary or None)


def current_facts(session: Session, today: date) -> list[Fact]:
    return [*_course_facts(session), *_staff_facts(session), *_inbox_facts(session, today)]


def _last_seen(session: Session) -> dict[tuple[str, str], str]:
    latest = select(func.max(Notice.id)).group_by(Notice.kind, Notice.entity_id)
    rows = session.execute(select(Notice.kind, Notice.entity_id, Notice.state).where(Notice.id.in_(latest)))
    return {(kind, eid): state for kind, eid, state in rows}


def collect_notices(db: Database, today: date | None = None) -> list[NoticeItem]:
    """Record what changed since the last collection; returns the new notices that are news.

    Read in one snapshot, written in a transaction of its own whose first statement is the insert: a
    transaction that reads first and writes later fails at once (no busy wait) when sync wrote in between.
    A change made between the two is simply noticed by the next collection.
    """
    day = today or local_today()
    with db.reading() as session:
        seen = _last_seen(session)
        first = not seen and session.scalar(select(func.count(Notice.id))) == 0
        changed = [f for f in current_facts(session, day) if seen.get((f.kind, f.entity_id)) != f.state]
    if not changed:
        return []
    now = now_utc()
    rows = [_notice(fact, now, silent=first or fact.state not in NEWS[fact.kind]) for fact in changed]
    with db.transaction() as session:
        session.add_all(rows)
        session.flush()
        return [_item(row) for row in rows if not row.baseline]


def _notice(fact: Fact, now: datetime, silent: bool) -> Notice:
    return Notice(
        kind=fact.kind,
        entity_id=fact.entity_id,
        state=fact.state,
        subject=fact.subject[:200],
        detail=fact.detail,
        baseline=silent,
        created_at=now,
        handled_at=now if silent else None,
    )


def _item(row: Notice) -> NoticeItem:
    return NoticeItem(
        row.id, row.kind, row.entity_id, row.state, row.subject, row.detail, row.created_at, row.handled_at
    )


def _open_notices() -> ColumnElement[bool]:
    return and_(Notice.baseline.is_(False), Notice.handled_at.is_(None))


def count_open_notices(db: Database, actor: Actor) -> int:
    require(actor, Permission.SYNC)
    with db.reading() as session:
        return int(session.scalar(select(func.count(Notice.id)).where(_open_notices())) or 0)


def list_open_notices(db: Database, actor: Actor, offset: int, limit: int) -> list[NoticeItem]:
    """Notices not yet handled, newest first."""
    require(actor, Permission.SYNC)
    query = (
        select(Notice)
        .where(_open_notices())
        .order_by(Notice.id.desc())
        .offset(max(0, offset))
        .limit(max(0, limit))
    )
    with db.reading() as session:
        return [_item(row) for row in session.scalars(query)]


def mark_notices_handled(db: Database, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the notices ``ids`` (all open ones when None) handled; returns how many changed."""
    require(actor, Permission.SYNC)
    statement = update(Notice).where(_open_notices()).values(handled_at=now_utc())
    if ids is not None:
        statement = statement.where(Notice.id.in_(list(ids)))
    with db.transaction() as session:
        result = session.execute(statement)
        return result.rowcount if isinstance(result, CursorResult) else 0
