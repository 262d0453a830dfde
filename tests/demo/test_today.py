"""The demo has lessons to call on any day of the year, at lawful times, with every roster state."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.demo.generator import GenerationSummary
from app.demo.today import (
    balance_state,
    callable_lessons,
    lesson_candidates,
    plan_todays_lessons,
)
from app.permissions import SYSTEM_ACTOR
from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_slot
from app.services.rollcall import roll_call
from app.views.students import session_roster
from app.workcal import is_statutory_holiday, is_working_day
from localdb.models import Contract, Course, Klass, LessonSession, MakeupEntitlement


@pytest.fixture
def demo(generated: tuple[Path, GenerationSummary], tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(generated[0], path)
    db = Database.open(path, migrate=False)
    yield db
    db.close()


def _lawful(db: Database, session_id: str) -> list[str]:
    with db.reading() as s:
        lesson = s.get(LessonSession, session_id)
        assert lesson is not None
        klass = s.get(Klass, lesson.klass_id)
        assert klass is not None
        course = s.get(Course, klass.course_id)
        assert course is not None
    slot = LessonSlot(
        lesson.date,
        time.fromisoformat(lesson.start_time),
        time.fromisoformat(lesson.end_time),
        course.category,
        course.delivery,
        course.stage,
    )
    return [v.code for v in check_slot(slot, PolicyParams())]


def test_every_date_of_2026_has_a_callable_lesson(demo: Database) -> None:
    candidates = lesson_candidates(demo)  # read once: the planning of each day reuses it
    day, kinds = date(2026, 1, 1), set()
    while day.year == 2026:
        added = plan_todays_lessons(demo, SYSTEM_ACTOR, day, wanted=1, candidates=candidates)
        assert callable_lessons(demo, SYSTEM_ACTOR, day), f"nothing to call on {day}"
        for session_id in added:
            assert _lawful(demo, session_id) == [], day
        kinds.add(
            "holiday"
            if is_statutory_holiday(day)
            else "working weekend"
            if is_working_day(day) and day.weekday() >= 5
            else "weekend"
            if day.weekday() >= 5
            else "working day"
        )
        day += timedelta(days=1)
    assert kinds == {"holiday", "working weekend", "weekend", "working day"}  # 2026 has 调休 Saturdays


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 3), date(2026, 2, 14), date(2026, 2, 17), date(2026, 10, 3), date(2026, 12, 5)],
    ids=["thursday", "tiaoxiu-saturday", "spring-festival", "national-day", "saturday"],
)
def test_todays_lessons_show_every_roster_state_and_a_makeup(demo: Database, day: date) -> None:
    added = plan_todays_lessons(demo, SYSTEM_ACTOR, day)
    lessons = callable_lessons(demo, SYSTEM_ACTOR, day)
    assert len(added) == len(lessons) == 3
    assert plan_todays_lessons(demo, SYSTEM_ACTOR, day) == []  # once planned, opening again adds nothing
    states: set[str] = set()
    makeup_courses: set[str] = set()
    with demo.reading() as s:
        open_makeups = set(
            s.scalars(select(MakeupEntitlement.course_id).where(MakeupEntitlement.status == "open"))
        )
        for lesson in lessons:
            klass = s.get(Klass, lesson.klass_id)
            assert klass is not None
            if klass.course_id in open_makeups:
                makeup_courses.add(klass.course_id)
    for lesson in lessons:
        assert _lawful(demo, lesson.session_id) == []
        states |= {
            balance_state(line.units_left) for line in session_roster(demo, SYSTEM_ACTOR, lesson.session_id)
        }
    assert states == {"enough", "low", "none"}
    assert makeup_courses, "no student of today's courses is waiting for a 补课"


def test_balance_states() -> None:
    assert [balance_state(Decimal(u)) for u in ("-1", "0", "1", "2", "2.5", "20")] == [
        "none", "none", "low", "low", "enough", "enough",
    ]  # fmt: skip


def test_after_the_history_ends_members_renew_and_are_charged_on_contracts_in_force(demo: Database) -> None:
    """Generated contracts end with the history; no lesson is charged past a contract's end date, so the
    members who still had units renew them on the day (through the real enrollment)."""
    day = date(2026, 12, 3)
    plan_todays_lessons(demo, SYSTEM_ACTOR, day)
    lesson = callable_lessons(demo, SYSTEM_ACTOR, day)[0]
    line = next(
        r for r in session_roster(demo, SYSTEM_ACTOR, lesson.session_id) if r.member and r.units_left > 2
    )
    [row] = roll_call(demo, SYSTEM_ACTOR, lesson.session_id, {line.student_id: "present"}).rows
    with demo.reading() as s:
        contract = s.get(Contract, row.contract_id)
        assert contract is not None and contract.end_date is not None
    assert row.charged and contract.start_date == day and contract.end_date >= day
