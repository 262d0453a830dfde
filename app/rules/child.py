"""Rules about the child, not the course: a pre-school child gets no online training and no 学科类.

docs/domain.md: pre-school (学龄前, ages 3–6) children may not be trained online at all, nor offline in 学科类
subjects (foreign languages included). A course's declared target stage is not enough — a 5-year-old can
be signed up for a course aimed at 义务教育 — so the child's own stage, or the age from the birth date
(which the ID number gives), is checked at enrollment, at class placement and at roll call
(docs/domain.md, "The child").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.errors import InstDeskError
from app.rules.violation import Violation, violation
from localdb.codes import CourseCategory, Delivery, Stage

MESSAGES: dict[str, str] = {
    "child.preschool_online": "{name}是学龄前儿童（{age}岁），不得参加线上培训",
    "child.preschool_subject": "{name}是学龄前儿童（{age}岁），不得参加学科类（含外语）培训",
    "child.preschool_stage_online": "{name}的学段为学龄前，不得参加线上培训",
    "child.preschool_stage_subject": "{name}的学段为学龄前，不得参加学科类（含外语）培训",
}
InstDeskError.register(MESSAGES)

#: a child younger than this (whole years) on the day of the training counts as pre-school
SCHOOL_AGE = 6


@dataclass(frozen=True)
class Child:
    """What the rules need of a student: name (for the message), declared stage and birth date."""

    name: str
    stage: str | None
    birth_date: date | None


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day`` (the birthday itself counts)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_preschool(child: Child, on: date) -> bool:
    """Declared 学龄前, or younger than ``SCHOOL_AGE`` on ``on`` by the birth date."""
    young = child.birth_date is not None and age_on(child.birth_date, on) < SCHOOL_AGE
    return child.stage == Stage.PRESCHOOL or young


def child_violations(child: Child, on: date, category: str, delivery: str) -> list[Violation]:
    """What training of this category and delivery on ``on`` would break for this child."""
    if not is_preschool(child, on):
        return []
    if child.birth_date is not None:
        prefix, params = "child.preschool_", {"name": child.name, "age": age_on(child.birth_date, on)}
    else:
        prefix, params = "child.preschool_stage_", {"name": child.name}
    found: list[Violation] = []
    if delivery == Delivery.ONLINE:
        found.append(violation(prefix + "online", **params))
    if category == CourseCategory.SUBJECT:
        found.append(violation(prefix + "subject", **params))
    return found
