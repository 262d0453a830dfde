"""Today's lessons of the demo institution, on any date: a school day, a weekend, a statutory holiday or a
调休 working Saturday.

The generated history ends with last month, so each time the demo opens on a day without a lesson left to
call, ``plan_todays_lessons`` adds a few through the real use case (``add_session``, with every check the
desk's own 排课 has). Which times are tried depends on the day, decided by the same rules
(``app.rules.timetable.check_slot`` with the institution's policy and the working-day calendar): after
school hours on school days, daytime on rest days, and 学科 classes only where 学科 is allowed. Classes are
tried best first: those whose members show every state the front desk meets (enough 课时, about to run out,
none left) and whose course has students waiting for a 补课.
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
from app.permissions import Actor
from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_slot
from app.services._common import load_policy
from app.services.rollcall import LOW_BALANCE_UNITS
from app.services.schedule import add_session
from app.services.students_view import SessionLine, today_sessions
from localdb.balances import students_balances
from localdb.models import Course, Klass, KlassMember, MakeupEntitlement

log = logging.getLogger("app.demo.today")
WANTED_LESSONS = 3
#: start times tried, in this order: after school on school days, evenings last on rest days
START_TIMES = ("16:45", "18:00", "19:00", "09:00", "10:45", "14:00", "15:45")
#: the roster states the demo wants the front desk to meet in today's lessons
STATES = ("enough", "low", "none")


@dataclass(frozen=True)
class Candidate:
    """A class that could meet today, with what its lesson would show the front desk."""

    klass_id: str
    name: str
    category: str
    delivery: str
    stage: str
    minutes: int
    states: frozenset[str]  # the balance states among its members (STATES)
    makeups: int  # open 补课 entitlements of its course

    @property
    def score(self) -> tuple[int, int, int]:
        return (len(self.states), min(self.makeups, 1), self.makeups)


def balance_state(units_left: Decimal) -> str:
    if units_left <= 0:
        return "none"
    return "low" if units_left <= LOW_BALANCE_UNITS else "enough"


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
                )
            )
            for sid in ids
        )
        found.append(
            Candidate(
                klass.id, klass.name, course.category, course.delivery, course.stage,
                course.minutes_per_lesson, states, makeups.get(course.id, 0),
            )
        )  # fmt: skip
    return sorted(found, key=lambda c: c.score, reverse=True)


def lawful_slots(candidate: Candidate, day: date, params: PolicyParams) -> list[tuple[time, time]]:
    """The tried start times at which this class's lesson breaks no timetable rule on ``day``."""
    slots = []
    for text in START_TIMES:
        start = time.fromisoformat(text)
        end = (datetime.combine(day, start) + timedelta(minutes=candidate.minutes)).time()
        if end <= start:
            continue
        slot = LessonSlot(day, start, end, candidate.category, candidate.delivery, candidate.stage)  # type: ignore[arg-type]
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
            break
    if not added:
        log.warning("demo: no lesson could be planned on %s", day)
    return added
