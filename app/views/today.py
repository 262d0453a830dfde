"""今日: what a desk needs to see first each day, for every role, in one read.

Today's lessons with their roll-call state, arrivals so far, students of today's lessons about to run out
of 课时, refund requests with the working days left, 消课 disputes whose answer is due today (the
platform's window ends at the coming midnight), and the counts the navigation shows as badges. Each
part is read only when the actor may see it (the statistics clerk sees no refund requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database
from app.permissions import Actor, Permission
from app.services.lookups import load_policy
from app.views.confirmations import ConfirmationItem, disputes_due_today
from app.views.inbox import InboxItem, count_inbox, list_inbox
from app.views.pay_after import OwedTotals, owed_totals
from app.views.students import SessionLine, today_sessions
from localdb.balances import students_balances
from localdb.codes import AttendanceStatus, Billing, ContractStatus, SessionStatus
from localdb.models import Attendance, Contract, Course, Klass, KlassMember, LessonSession, Student

ARRIVED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.MAKEUP, AttendanceStatus.TRIAL)
LOW_BALANCE_SHOWN = 8
REFUNDS_SHOWN = 5


@dataclass(frozen=True)
class LowBalance:
    student_id: str
    name: str
    course_name: str
    units_left: Decimal


@dataclass(frozen=True)
class Waiting:
    """What the navigation's badges count."""

    lessons_to_call: int = 0
    refunds: int = 0
    disputes: int = 0

    @property
    def platform(self) -> int:
        return self.refunds + self.disputes


@dataclass(frozen=True)
class TodayOverview:
    day: date
    lessons: list[SessionLine]
    arrivals: int
    expected: int
    low_balance: list[LowBalance]
    refunds: list[InboxItem]
    waiting: Waiting
    owed: OwedTotals | None = None  # 先学后付 fees families still owe (those who take payments see it)
    disputes_due: list[ConfirmationItem] = field(default_factory=list)


def lessons_to_call(lessons: list[SessionLine]) -> int:
    return sum(1 for s in lessons if s.status == SessionStatus.SCHEDULED and s.marked == 0)


def waiting_counts(db: Database, actor: Actor, day: date) -> Waiting:
    """The badge counts: lessons not yet called today, open refund requests and 消课 disputes."""
    return _waiting(db, actor, today_sessions(db, actor, day))


def _waiting(db: Database, actor: Actor, lessons: list[SessionLine]) -> Waiting:
    to_call = lessons_to_call(lessons) if actor.may(Permission.ROLL_CALL) else 0
    if not actor.may(Permission.SYNC):
        return Waiting(to_call)
    return Waiting(to_call, count_inbox(db, actor, "refund"), count_inbox(db, actor, "dispute"))


def _arrivals(db: Database, day: date) -> int:
    query = (
        select(func.count(Attendance.id))
        .join(LessonSession, LessonSession.id == Attendance.session_id)
        .where(
            LessonSession.date == day,
            Attendance.status.in_(ARRIVED),
            Attendance.undone.is_(False),
        )
    )
    with db.reading() as session:
        return int(session.scalar(query) or 0)


def _pay_after_pairs(session: Session, student_ids: set[str]) -> set[tuple[str, str]]:
    """(student, course) of active 先学后付 contracts among these students."""
    query = select(Contract.student_id, Contract.course_id).where(
        Contract.student_id.in_(student_ids),
        Contract.billing == Billing.PAY_AFTER,
        Contract.status == ContractStatus.ACTIVE,
    )
    return {(str(s), str(c)) for s, c in session.execute(query)}


def _low_balance(db: Database, day: date) -> list[LowBalance]:
    """Members of today's classes whose 课时 in that class's course are about to run out."""
    query = (
        select(Student.id, Student.name, Course.id, Course.name)
        .join(KlassMember, KlassMember.student_id == Student.id)
        .join(Klass, Klass.id == KlassMember.klass_id)
        .join(Course, Course.id == Klass.course_id)
        .where(
            Klass.id.in_(
                select(LessonSession.klass_id).where(
                    LessonSession.date == day,
                    LessonSession.deleted_at.is_(None),
                    LessonSession.status != SessionStatus.CANCELLED,
                )
            ),
            KlassMember.deleted_at.is_(None),
            KlassMember.left_on.is_(None),
            Student.deleted_at.is_(None),
        )
        .distinct()
    )
    with db.reading() as session:
        members = list(session.execute(query))
        if not members:
            return []
        balances = students_balances(session, {sid for sid, *_ in members})
        threshold = load_policy(session).low_balance_units
        learn_first = _pay_after_pairs(session, {sid for sid, *_ in members})
    low: list[LowBalance] = []
    for sid, name, course_id, course_name in members:
        if (sid, course_id) in learn_first:
            continue  # 先学后付: no 课时 to run out of
        left = sum(
            (
                c.units_left
                for c in balances.get(sid, [])
                if c.course_id == course_id and c.status == ContractStatus.ACTIVE
            ),
            Decimal(0),
        )
        if left <= threshold:
            low.append(LowBalance(sid, name, course_name, left))
    return sorted(low, key=lambda line: (line.units_left, line.name))


def today_overview(db: Database, actor: Actor, day: date, now: datetime | None = None) -> TodayOverview:
    lessons = today_sessions(db, actor, day)
    expected = sum(s.members for s in lessons if s.status != SessionStatus.CANCELLED)
    refunds = list_inbox(db, actor, "refund", 0, REFUNDS_SHOWN, day) if actor.may(Permission.SYNC) else []
    waiting = _waiting(db, actor, lessons)
    due = disputes_due_today(db, actor, now or now_utc())
    owed = owed_totals(db) if actor.may(Permission.TAKE_PAYMENT) else None
    return TodayOverview(
        day, lessons, _arrivals(db, day), expected, _low_balance(db, day), refunds, waiting, owed, due
    )
