"""员工 screen: the staff list with certificates and 准入查询 status, and the staffing-ratio warnings.

The background-check result is the platform's (it overrides the local record when it syncs down); the
ratios of ``app.rules.staff`` are warnings for the manager, never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ScalarSelect, func, select

from app.db import Database
from app.permissions import Actor, Permission, require
from app.rules.staff import class_ratio_warning, ratio_warnings
from app.rules.violation import Violation
from app.services.facts import staff_facts
from app.services.lookups import get_live, load_policy
from app.validators import mask_id_number
from app.views._queries import current_members
from app.views.paging import Key, PageAt, in_order, keyed_page
from localdb.models import Course, Klass, Staff


@dataclass(frozen=True)
class StaffRow:
    staff_id: str
    name: str
    kind: str
    employment: str
    background_check: str
    background_checked_at: datetime | None
    teacher_cert_no: str | None
    teacher_cert_subject: str | None
    ability_cert_no: str | None
    phone: str | None
    id_number_masked: str | None
    hired_on: date | None
    serving_school_teacher: bool
    classes: int


@dataclass(frozen=True)
class ClassWarning:
    klass_id: str
    klass_name: str
    warning: Violation


@dataclass(frozen=True)
class StaffWarnings:
    ratio: tuple[Violation, ...]
    classes: tuple[ClassWarning, ...]

    def count(self) -> int:
        return len(self.ratio) + len(self.classes)


def _classes_taught() -> ScalarSelect[int]:
    return (
        select(func.count(Klass.id))
        .where(Klass.teacher_id == Staff.id, Klass.deleted_at.is_(None))
        .scalar_subquery()
    )


def _row(s: Staff, classes: int) -> StaffRow:
    masked = mask_id_number(s.id_number) if s.id_number else None
    return StaffRow(
        s.id,
        s.name,
        s.kind,
        s.employment,
        s.background_check,
        s.background_checked_at,
        s.teacher_cert_no,
        s.teacher_cert_subject,
        s.ability_cert_no,
        s.phone,
        masked,
        s.hired_on,
        s.serving_school_teacher,
        int(classes),
    )


def count_staff(db: Database, actor: Actor) -> int:
    require(actor, Permission.MANAGE_STAFF)
    with db.reading() as session:
        return int(session.scalar(select(func.count(Staff.id)).where(Staff.deleted_at.is_(None))) or 0)


def list_staff(
    db: Database,
    actor: Actor,
    offset: int,
    limit: int,
    *,
    after: Key | None = None,
    before: Key | None = None,
) -> list[StaffRow]:
    """One page of the staff on file, by name: after the row keyed ``after`` (``staff_key``), before
    ``before``, or at ``offset`` (``app.views.paging``)."""
    require(actor, Permission.MANAGE_STAFF)
    query, backwards = keyed_page(
        select(Staff, _classes_taught()).where(Staff.deleted_at.is_(None)),
        (Staff.name, Staff.id),
        PageAt(offset, after, before),
        limit,
    )
    with db.reading() as session:
        return in_order([_row(s, n) for s, n in session.execute(query)], backwards)


def staff_key(row: StaffRow) -> Key:
    """A listed staff member's place in ``list_staff``'s order."""
    return (row.name, row.staff_id)


def staff_row(db: Database, actor: Actor, staff_id: str) -> StaffRow:
    require(actor, Permission.MANAGE_STAFF)
    with db.reading() as session:
        row = get_live(session, Staff, staff_id)
        n = session.scalar(
            select(func.count(Klass.id)).where(Klass.teacher_id == staff_id, Klass.deleted_at.is_(None))
        )
        return _row(row, int(n or 0))


def staff_warnings(db: Database, actor: Actor) -> StaffWarnings:
    """The institution's full-time ratio and each offline class's teacher-to-student ratio."""
    require(actor, Permission.MANAGE_STAFF)
    with db.reading() as session:
        params = load_policy(session)
        people = session.scalars(select(Staff).where(Staff.deleted_at.is_(None), Staff.left_on.is_(None)))
        ratio = ratio_warnings([staff_facts(s) for s in people], params)
        query = (
            select(Klass.id, Klass.name, Course.stage, Staff.employment, Staff.kind, current_members())
            .join(Course, Course.id == Klass.course_id)
            .outerjoin(Staff, Staff.id == Klass.teacher_id)
            .where(Klass.deleted_at.is_(None), Course.delivery == "offline")
            .order_by(Klass.name, Klass.id)
        )
        classes = []
        for kid, name, stage, employment, kind, members in session.execute(query):
            teachers = int(employment == "full_time" and kind in ("teaching", "research"))
            found = class_ratio_warning(teachers, int(members), stage == "preschool", params)
            if found is not None:
                classes.append(ClassWarning(kid, name, found))
    return StaffWarnings(tuple(ratio), tuple(classes))
