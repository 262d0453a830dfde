"""The demo's 先学后付 course: a pay-after calligraphy class with a few weeks of lessons, some paid at the
desk, some still owed (one family reminded), so the 先学后付 screen, 今日 and 统计 have something to show.

Made through the use cases (enrolment, roll call, payment, reminder) after the generated history, so it
obeys every rule; skipped lesson dates (a rule refusing a day) are simply left out. See docs/pay_after.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.db import Database
from app.errors import InstDeskError
from app.permissions import Actor
from app.services import pay_after, rollcall
from app.services.catalog import CourseInput, add_course, publish_course
from app.services.classes import KlassInput, add_class
from app.services.schedule import add_session
from app.views.pay_after import owing_families, reminder_text
from localdb.models import Staff, Student

log = logging.getLogger(__name__)

COURSE = CourseInput(
    name="少儿书法（先学后付）", category="non_subject", subject="书法", stage="compulsory",
    minutes_per_lesson=60, lessons_per_package=Decimal(10), price_fen=120_000, pay_after_learning=True,
)  # fmt: skip
FAMILIES = 6
WEEKS = 6


@dataclass(frozen=True)
class LearnFirstDemo:
    course_id: str
    klass_id: str
    lessons_called: int
    owing_families: int


def _teacher(db: Database) -> str | None:
    """A teacher who may teach a 非学科 course: the platform passed them and they hold an ability proof."""
    with db.reading() as session:
        return session.scalar(
            select(Staff.id)
            .where(
                Staff.deleted_at.is_(None),
                Staff.background_check == "passed",
                Staff.ability_cert_no.is_not(None),
            )
            .order_by(Staff.id)
            .limit(1)
        )


def _students(db: Database) -> list[str]:
    with db.reading() as session:
        query = select(Student.id).where(Student.deleted_at.is_(None)).order_by(Student.id).limit(FAMILIES)
        return [str(s) for s in session.scalars(query)]


#: Saturday slots tried in turn (the teacher may already teach at some of them)
SLOTS = (("19:00", "20:00"), ("13:00", "14:00"), ("16:30", "17:30"), ("10:00", "11:00"))


def _lessons(db: Database, actor: Actor, klass_id: str, today: date) -> list[tuple[date, str]]:
    """One Saturday lesson a week for ``WEEKS`` weeks up to today (a date with no free slot is skipped)."""
    saturday = today - timedelta(days=(today.weekday() - 5) % 7)
    found = []
    for week in range(WEEKS - 1, -1, -1):
        day = saturday - timedelta(weeks=week)
        for start, end in SLOTS:
            try:
                found += [(day, s) for s in add_session(db, actor, klass_id, day, start, end).session_ids]
                break
            except InstDeskError as exc:
                log.info("demo: no 先学后付 lesson on %s at %s (%s)", day, start, exc.code)
    return found


def add_learn_first(db: Database, actor: Actor, today: date) -> LearnFirstDemo | None:
    """The 先学后付 course with its families; None when the demo has no teacher for it."""
    teacher = _teacher(db)
    students = _students(db)
    if teacher is None or not students:
        return None
    course = add_course(db, actor, COURSE)
    publish_course(db, actor, course.course_id)
    klass = add_class(
        db, actor, KlassInput(course.course_id, "书法先学后付班", 12, teacher_id=teacher)
    ).klass_id
    lessons = _lessons(db, actor, klass, today)
    start = lessons[0][0] if lessons else today
    for student in students:
        request = pay_after.PayAfterRequest(student, course.course_id, start, klass_id=klass)
        pay_after.enroll_pay_after(db, actor, request)
    called = 0
    for day, session_id in lessons:
        if day >= today:
            continue  # today's lesson is the front desk's to call
        marks = {s: ("leave" if (i + called) % 5 == 4 else "present") for i, s in enumerate(students)}
        rollcall.roll_call(db, actor, session_id, marks)
        called += 1
    _settle_some(db, actor, students)
    families = owing_families(db, actor, today)
    if families:
        pay_after.record_reminder(db, actor, families[0].student_id, reminder_text(db, families[0], today))
    return LearnFirstDemo(course.course_id, klass, called, len(families))


def _settle_some(db: Database, actor: Actor, students: list[str]) -> None:
    """Two families paid everything at the desk, one paid part; the others still owe."""
    with db.reading() as session:
        owed = {s: sum(line.owed_fen for line in pay_after.owed_lines(session, s)) for s in students}
    for i, student in enumerate(students[:3]):
        amount = owed[student] if i < 2 else owed[student] // 2
        if amount > 0:
            pay_after.pay_owed(db, actor, pay_after.OwedPaymentRequest(student, amount, "wechat"))
