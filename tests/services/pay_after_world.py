"""A 先学后付 course, its class and weekly lessons, on top of the service tests' small institution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.services import catalog, pay_after, schedule
from tests.services.factory import DESK, MANAGER, START, World

#: 10 lessons for 1,500 元: the agreed price per lesson defaults to 150 元
PRICE_FEN = 15_000


@dataclass(frozen=True)
class LearnFirst:
    course_id: str
    klass_id: str
    lessons: tuple[str, ...]


def learn_first_course(world: World, weeks: int = 4) -> LearnFirst:
    course = catalog.add_course(
        world.db,
        MANAGER,
        catalog.CourseInput(
            "少儿美术（先学后付）",
            "non_subject",
            "美术",
            "compulsory",
            60,
            Decimal(10),
            150_000,
            pay_after_learning=True,
        ),  # fmt: skip
    )
    klass = catalog.add_class(
        world.db,
        MANAGER,
        catalog.KlassInput(course.course_id, "美术1班", 20, 0, world.art_teacher_id, world.room2_id),
    )
    end = date.fromordinal(START.toordinal() + 7 * weeks - 1)
    rule = schedule.add_schedule_rule(world.db, MANAGER, klass.klass_id, 1, "18:00", "19:00", START, end)
    return LearnFirst(course.course_id, klass.klass_id, rule.session_ids)


def join(world: World, course: LearnFirst, student: str, **extra: object) -> pay_after.PayAfterResult:
    request = pay_after.PayAfterRequest(
        student_id=student, course_id=course.course_id, klass_id=course.klass_id, start_date=START,
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip
    return pay_after.enroll_pay_after(world.db, DESK, request)
