"""Today's lessons of the demo institution, on any date: a school day, a weekend, a statutory holiday or a
调休 working Saturday.

The generated history ends with last month, so each time the demo opens on a day without a lesson left to
call, ``plan_todays_lessons`` adds a few through the real use case (``add_session``, with every check the
desk's own 排课 has). Which times are tried depends on the day, decided by the same rules
(``app.rules.timetable.check_slot`` with the institution's policy and the working-day calendar): after
school hours on school days, daytime on rest days, and 学科 classes only where 学科 is allowed. Classes are
tried best first: those whose members show every state the front desk meets (enough 课时, about to run out,
none left) and whose course has students waiting for a 补课.

No lesson is charged to a package past its contract's end date (docs/domain.md, 消课), and the generated
contracts end with the history. So when a class meets after its members' packages ended, the members
who still had units renew them as a new contract from that day, through the real enrollment use case
(``renew_ended_packages``): the front desk then meets the same states, on contracts in force.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import InstDeskError
from app.money import prorate
from app.permissions import Actor
from app.policy import NATIONAL_DEFAULT, PolicyParams
from app.rules.timetable import LessonSlot, check_slot
from app.services.enrollment import EnrollmentRequest, enroll
from app.services.lookups import load_policy
from app.services.schedule import add_session
from app.views.students import SessionLine, today_sessions
from localdb.balances import students_balances
from localdb.codes import CourseCategory, Delivery, Stage
from localdb.models import Contract, Course, Klass, KlassMember, MakeupEntitlement

log = logging.getLogger("app.demo.today")
WANTED_LESSONS = 3
#: start times tried, in this order: after school on school days, evenings last on rest days
START_TIMES = ("16:45", "18:00", "19:00", "09:00", "10:45", "14:00", "15:45")
#: the roster states the demo wants the front desk to meet in today's lessons
STATES = ("enough", "low", "none")
#: how long a renewal signed on a lesson day runs
RENEWAL_DAYS = 30


@dataclass(frozen=True)
class Candidate:
    """A class that could meet today, with what its lesson would show the front desk."""

    klass_id: str
    name: str
    category: CourseCategory
    delivery: Delivery
    stage: Stage
    minutes: int
    states: frozenset[str]  # the balance states among its members (STATES)
    makeups: int  # open 补课 entitlements of its course

    @property
    def score(self) -> tuple[int, int, int]:
        return (len(self.states), min(self.makeups, 1), self.makeups)


def balance_state(units_left: Decimal, low: Decimal = NATIONAL_DEFAULT.low_balance_units) -> str:
    """none, low (``low``: the profile's ``low_balance_units``) or enough 课时 left."""
    if units_left <= 0:
        return "none"
    return "low" if units_left <= low else "enough"


def _members(session: Session) -> dict[str, list[str]]:
    rows = session.execute(
        select(KlassMember.klass_id, KlassMember.student_id).where(
            KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None)
        )
    )
    found: dict[str, list[str]] = {}
    for klass_id, student_id in rows:
        found.setdefault(str(klass_id), []).append(str(student_id))
    return found


def _open_makeups(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(MakeupEntitlement.course_id, func.count())
        .where(MakeupEntitlement.status == "open")
        .group_by(MakeupEntitlement.course_id)
    )
    return {str(course_id): int(n) for course_id, n in rows}


def lesson_candidates(db: Database) -> list[Candidate]:
    """Every class with members, best first (see the module's docstring)."""
    with db.reading() as session:
        members = _members(session)
        makeups = _open_makeups(session)
        classes = session.execute(
            select(Klass, Course)
            .join(Course, Course.id == Klass.course_id)
            .where(Klass.deleted_at.is_(None), Course.deleted_at.is_(None))
            .order_by(Klass.name)
        ).all()
        balances = students_balances(session, sorted({s for ids in members.values() for s in ids}))
        low = load_policy(session).low_balance_units if members else NATIONAL_DEFAULT.low_balance_units
    found = []
    for klass, course in classes:
        ids = members.get(klass.id, [])
        if not ids:
            continue
        states = frozenset(
            balance_state(
                sum(
                    (
                        b.units_left
                        for b in balances.get(sid, [])
                        if b.course_id == course.id and b.status == "active"
                    ),
                    Decimal(0),
                ),
                low,
            )
            for sid in ids
        )
        found.append(
            Candidate(
                klass.id,
                klass.name,
                course.category,
                course.delivery,
                course.stage,
                course.minutes_per_lesson,
                states,
                makeups.get(course.id, 0),
            )
        )
    return sorted(found, key=lambda c: c.score, reverse=True)


def lawful_slots(candidate: Candidate, day: date, params: PolicyParams) -> list[tuple[time, time]]:
    """The tried start times at which this class's lesson breaks no timetable rule on ``day``."""
    slots = []
    for text in START_TIMES:
        start = time.fromisoformat(text)
        end = (datetime.combine(day, start) + timedelta(minutes=candidate.minutes)).time()
        if end <= start:
            continue
        slot = LessonSlot(day, start, end, candidate.category, candidate.delivery, candidate.stage)
        if not check_slot(slot, params):
            slots.append((start, end))
    return slots


def callable_lessons(db: Database, actor: Actor, day: date) -> list[SessionLine]:
    """The day's scheduled lessons that still have students to call."""
    return [s for s in today_sessions(db, actor, day) if s.status == "scheduled" and s.marked < s.members]


def plan_todays_lessons(
    db: Database,
    actor: Actor,
    day: date,
    wanted: int = WANTED_LESSONS,
    candidates: list[Candidate] | None = None,
) -> list[str]:
    """Add lessons on ``day`` until ``wanted`` of them have students to call; returns the new session ids.

    ``candidates`` (from ``lesson_candidates``) can be passed in when planning many days at once.
    """
    missing = wanted - len(callable_lessons(db, actor, day))
    if missing <= 0:
        return []
    with db.reading() as session:
        params = load_policy(session)
    added: list[str] = []
    for candidate in candidates if candidates is not None else lesson_candidates(db):
        if len(added) == missing:
            break
        for start, end in lawful_slots(candidate, day, params):
            try:
                result = add_session(db, actor, candidate.klass_id, day, start, end)
            except InstDeskError as exc:  # the teacher, room or a student is busy then: the next time
                log.debug("demo: %s at %s not possible on %s (%s)", candidate.name, start, day, exc.code)
                continue
            added.extend(result.session_ids)
            renew_ended_packages(db, actor, candidate.klass_id, day)
            break
    if not added:
        log.warning("demo: no lesson could be planned on %s", day)
    return added


def _ended_with_units(session: Session, klass: Klass, day: date) -> dict[str, Decimal]:
    """Members of the class whose packages of its course all ended before ``day``, with the units left."""
    members = _members(session).get(klass.id, [])
    balances = students_balances(session, members)
    query = select(Contract.id, Contract.end_date).where(
        Contract.student_id.in_(members), Contract.course_id == klass.course_id
    )
    ended_ids = {str(cid) for cid, end in session.execute(query) if end is not None and end < day}
    found: dict[str, Decimal] = {}
    for sid in members:
        active = [b for b in balances.get(sid, []) if b.course_id == klass.course_id and b.status == "active"]
        if any(b.contract_id not in ended_ids for b in active):
            continue
        left = sum((max(Decimal(0), b.units_left) for b in active), Decimal(0))
        if left > 0:
            found[sid] = left
    return found


def renew_ended_packages(db: Database, actor: Actor, klass_id: str, day: date) -> int:
    """Members whose packages ended before ``day`` but still held units sign a renewal for those units
    from ``day`` (the parents agree to go on); returns how many did. One refused by a rule is logged."""
    with db.reading() as session:
        klass = session.get(Klass, klass_id)
        course = session.get(Course, klass.course_id) if klass is not None else None
        if klass is None or course is None:
            return 0
        ended = _ended_with_units(session, klass, day)
    renewed = 0
    for student_id, units in ended.items():
        fee = prorate(course.price_fen, units, course.lessons_per_package)
        request = EnrollmentRequest(
            student_id,
            course.id,
            units,
            fee,
            day,
            day + timedelta(days=RENEWAL_DAYS),
            "wechat",
            klass_id=klass.id,
            charge_date=day,
            note="演示：合同到期后续签",
        )
        try:
            enroll(db, actor, request)
            renewed += 1
        except InstDeskError as exc:
            log.info("demo: no renewal for a member of %s on %s (%s)", klass.name, day, exc.code)
    return renewed
