"""Fixtures inside the benchmark database: a 40-student lesson for the roll-call benchmark.

Built once through the real use cases (course, class, one extra lesson, 40 enrolments), so the roll
call measured is the one the front desk runs, outbox triggers included. Re-running finds it again.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from app.db import Database
from app.permissions import SYSTEM_ACTOR

BENCH_COURSE = "基准测试围棋"
ROLL_CALL_SIZE = 40


def _existing(db: Database) -> tuple[str, list[str]] | None:
    with db.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT s.id FROM lesson_session s JOIN klass k ON k.id = s.klass_id "
                "JOIN course c ON c.id = k.course_id WHERE c.name = :n LIMIT 1"
            ),
            {"n": BENCH_COURSE},
        ).first()
        if row is None:
            return None
        students = conn.execute(
            text(
                "SELECT m.student_id FROM klass_member m JOIN lesson_session s ON s.klass_id = m.klass_id "
                "WHERE s.id = :s ORDER BY m.student_id"
            ),
            {"s": row[0]},
        ).scalars()
        return str(row[0]), [str(s) for s in students]


def _next_saturday(after: date) -> date:
    return after + timedelta(days=(5 - after.weekday()) % 7 or 7)


def roll_call_session(db: Database) -> tuple[str, list[str]]:
    """The benchmark lesson and its 40 students (created on first use)."""
    found = _existing(db)
    if found is not None:
        return found
    from app.services.catalog import CourseInput, add_course
    from app.services.classes import KlassInput, add_class
    from app.services.enrollment import EnrollmentRequest, enroll
    from app.services.schedule import add_session

    course = add_course(
        db,
        SYSTEM_ACTOR,
        CourseInput(
            BENCH_COURSE,
            "non_subject",
            "围棋",
            "compulsory",
            90,
            Decimal(40),
            400000,
            units_per_lesson=Decimal(1),
        ),
    )
    klass = add_class(db, SYSTEM_ACTOR, KlassInput(course.course_id, "围棋基准班", ROLL_CALL_SIZE))
    day = _next_saturday(date.today())
    session = add_session(db, SYSTEM_ACTOR, klass.klass_id, day, "14:00", "15:30").session_ids[0]
    with db.engine.connect() as conn:
        students = [
            str(s) for s in conn.execute(text("SELECT id FROM student ORDER BY id LIMIT 40")).scalars()
        ]
    for sid in students:
        enroll(
            db,
            SYSTEM_ACTOR,
            EnrollmentRequest(
                sid,
                course.course_id,
                Decimal(40),
                400000,
                day,
                day + timedelta(days=80),
                "wechat",
                klass_id=klass.klass_id,
            ),
        )
    return session, students
