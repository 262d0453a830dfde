"""Read model of the enrollment wizard: the courses on offer and their classes, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from app.db import Database
from app.permissions import Actor, Permission, require
from localdb.models import Course, Klass


@dataclass(frozen=True)
class CourseChoice:
    course_id: str
    name: str
    category: str
    price_fen: int
    lessons_per_package: Decimal
    pay_after_learning: bool


@dataclass(frozen=True)
class KlassChoice:
    klass_id: str
    course_id: str
    name: str


@dataclass(frozen=True)
class EnrollChoices:
    courses: tuple[CourseChoice, ...]
    classes: tuple[KlassChoice, ...]


def enroll_choices(db: Database, actor: Actor) -> EnrollChoices:
    require(actor, Permission.ENROLL)
    with db.reading() as session:
        courses = session.scalars(select(Course).where(Course.deleted_at.is_(None)).order_by(Course.name))
        found = tuple(
            CourseChoice(c.id, c.name, c.category, c.price_fen, c.lessons_per_package, c.pay_after_learning)
            for c in courses
        )
        klasses = session.scalars(select(Klass).where(Klass.deleted_at.is_(None)).order_by(Klass.name))
        return EnrollChoices(found, tuple(KlassChoice(k.id, k.course_id, k.name) for k in klasses))
