"""The reads and the small writes of a roll call, each one statement for the whole class.

Kept apart from ``rollcall`` so that module shows the flow and this one the SQL. Rows come back as small
plain values (no ORM objects are built per student on the hot path).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from app.errors import NotFound, RuleViolation
from app.services._attendance import UNDONE_NOTE, Package, RowState, StudentPlan
from app.services._common import now_utc
from localdb.balances import movements
from localdb.ids import PROJECT_NAMESPACE, attendance_id
from localdb.models import Klass, KlassMember, LessonSession, Student, metadata
from localdb.types import units_from_x100

_ATT = metadata.tables["attendance"]
_CONTRACT = metadata.tables["contract"]
_ENT = metadata.tables["makeup_entitlement"]
_COURSE = metadata.tables["course"]


@dataclass(frozen=True)
class SessionFacts:
    session_id: str
    klass_id: str
    course_id: str
    date: date
    status: str
    units: Decimal
    absent_policy: str


@dataclass(frozen=True)
class Person:
    name: str
    member: bool


def _session_facts_query() -> Any:
    return (
        select(
            LessonSession.klass_id,
            Klass.course_id,
            LessonSession.date,
            LessonSession.status,
            LessonSession.units,
            _COURSE.c.absent_policy,
        )
        .join(Klass, Klass.id == LessonSession.klass_id)
        .join(_COURSE, _COURSE.c.id == Klass.course_id)
        .where(LessonSession.id == bindparam("sid"), LessonSession.deleted_at.is_(None))
    )


def _people_query() -> Any:
    member = and_(
        KlassMember.student_id == Student.id,
        KlassMember.klass_id == bindparam("klass"),
        KlassMember.deleted_at.is_(None),
        KlassMember.left_on.is_(None),
    )
    return (
        select(Student.id, Student.name, func.count(KlassMember.id))
        .outerjoin(KlassMember, member)
        .where(Student.id.in_(bindparam("ids", expanding=True)), Student.deleted_at.is_(None))
        .group_by(Student.id, Student.name)
    )


def _packages_query() -> Any:
    c = _CONTRACT
    active = and_(
        c.c.student_id.in_(bindparam("ids", expanding=True)),
        c.c.course_id == bindparam("course"),
        c.c.status == "active",
    )
    mv = movements(select(c.c.id).where(active))
    sums = (
        select(mv.c.contract_id, func.sum(mv.c.u).label("u"), func.sum(mv.c.f).label("f"))
        .group_by(mv.c.contract_id)
        .subquery("sums")
    )
    return (
        select(c.c.id, c.c.student_id, c.c.total_units_x100, sums.c.u, sums.c.f)
        .outerjoin(sums, sums.c.contract_id == c.c.id)
        .where(active)
        .order_by(c.c.student_id, c.c.signed_at, c.c.id)
    )


def _entitlements_query() -> Any:
    return (
        select(
            _ENT.c.id,
            _ENT.c.student_id,
            _ENT.c.status,
            _ENT.c.source_attendance_id,
            _ENT.c.used_attendance_id,
        )
        .where(
            _ENT.c.student_id.in_(bindparam("ids", expanding=True)),
            or_(
                and_(_ENT.c.course_id == bindparam("course"), _ENT.c.status == "open"),
                _ENT.c.source_attendance_id.in_(bindparam("atts", expanding=True)),
                _ENT.c.used_attendance_id.in_(bindparam("atts", expanding=True)),
            ),
        )
        .order_by(_ENT.c.id)
    )


#: built once: constructing statements costs more Python time than SQLite spends running them
_SESSION_FACTS = _session_facts_query()
_PEOPLE = _people_query()
_PACKAGES = _packages_query()
_ENTITLEMENTS = _entitlements_query()
_ROWS = select(
    _ATT.c.student_id,
    _ATT.c.status,
    _ATT.c.charged,
    _ATT.c.units_x100,
    _ATT.c.amount_fen,
    _ATT.c.contract_id,
    _ATT.c.note,
).where(_ATT.c.session_id == bindparam("sid"))
_SOME_ROWS = _ROWS.where(_ATT.c.student_id.in_(bindparam("ids", expanding=True)))


def session_facts(session: Session, session_id: str) -> SessionFacts:
    row = session.execute(_SESSION_FACTS, {"sid": session_id}).first()
    if row is None:
        raise NotFound("not_found", entity="lesson_session", entity_id=session_id, entity_label="课次")
    return SessionFacts(session_id, row[0], row[1], row[2], row[3], row[4], row[5])


def people(session: Session, klass_id: str, student_ids: Sequence[str]) -> dict[str, Person]:
    """Names of the marked students and whether each is a current member of the class."""
    rows = session.execute(_PEOPLE, {"klass": klass_id, "ids": list(student_ids)})
    return {str(sid): Person(str(name), bool(n)) for sid, name, n in rows}


def existing_rows(
    session: Session, session_id: str, student_ids: Collection[str] | None
) -> dict[str, RowState]:
    if student_ids is None:
        rows = session.execute(_ROWS, {"sid": session_id})
    else:
        rows = session.execute(_SOME_ROWS, {"sid": session_id, "ids": list(student_ids)})
    return {str(r[0]): RowState(r[1], bool(r[2]), r[3], int(r[4]), r[5], r[6]) for r in rows}


def packages(
    session: Session, course_id: str, student_ids: Sequence[str], existing: Mapping[str, RowState]
) -> dict[str, list[Package]]:
    """Active contracts of the students for the course, oldest first, with balances (one query).

    The balance of a package the session's own row already charges is given that charge back, so a
    re-mark decides as if the row were new.
    """
    found: dict[str, list[Package]] = defaultdict(list)
    rows = session.execute(_PACKAGES, {"ids": list(student_ids), "course": course_id})
    for cid, sid, bought, units, fen in rows:
        package = Package(str(cid), bought, units_from_x100(units or 0), int(fen or 0))
        own = existing.get(str(sid))
        if own is not None and own.charged and own.contract_id == package.contract_id:
            package.units += own.units
            package.fen += own.amount_fen
        found[str(sid)].append(package)
    return found


def closed_contracts(session: Session, contract_ids: Collection[str | None]) -> set[str]:
    """Which of these contracts are no longer active (refunded or closed)."""
    wanted = [c for c in contract_ids if c]
    if not wanted:
        return set()
    query = select(_CONTRACT.c.id).where(_CONTRACT.c.id.in_(wanted), _CONTRACT.c.status != "active")
    return {str(c) for c in session.scalars(query)}


def has_live_rows(session: Session, session_id: str) -> bool:
    """Whether any attendance row of the lesson is still in force (not undone)."""
    live = or_(_ATT.c.note.is_(None), _ATT.c.note != UNDONE_NOTE)
    return session.scalar(select(_ATT.c.id).where(_ATT.c.session_id == session_id, live).limit(1)) is not None


def entitlement_id(source_attendance_id: str) -> str:
    """One entitlement per leave, the same on every desk (so two desks marking a leave converge)."""
    return str(uuid.uuid5(PROJECT_NAMESPACE, f"makeup_entitlement/{source_attendance_id}"))


@dataclass
class _Ent:
    id: str
    student_id: str
    status: str
    source: str
    used_by: str | None


class Entitlements:
    """The make-up entitlements a roll call may touch (open ones of the students, or tied to the rows)."""

    def __init__(self, rows: list[_Ent]) -> None:
        self.rows = rows

    @classmethod
    def load(cls, session: Session, facts: SessionFacts, student_ids: Sequence[str]) -> Entitlements:
        atts = [attendance_id(facts.session_id, s) for s in student_ids]
        params = {"ids": list(student_ids), "course": facts.course_id, "atts": atts}
        rows = session.execute(_ENTITLEMENTS, params)
        return cls([_Ent(str(r[0]), str(r[1]), r[2], str(r[3]), r[4]) for r in rows])

    def _usable(self, student_id: str, att: str) -> _Ent | None:
        return next(
            (e for e in self.rows if e.student_id == student_id and e.status == "open" and e.source != att),
            None,
        )

    def check_makeups(self, plans: list[StudentPlan], names: Mapping[str, object]) -> None:
        """A make-up lesson needs an open entitlement (or the one this row already uses)."""
        for plan in plans:
            if plan.state.status != "makeup":
                continue
            att = plan.attendance_id
            if not any(e.used_by == att for e in self.rows) and self._usable(plan.student_id, att) is None:
                name = getattr(names.get(plan.student_id), "name", plan.student_id)
                raise RuleViolation("rollcall.no_makeup_entitlement", name=name, student_id=plan.student_id)

    def apply(self, session: Session, facts: SessionFacts, plans: list[StudentPlan]) -> None:
        """Bring entitlements in line with the rows' new states (idempotent)."""
        for plan in plans:
            att = plan.attendance_id
            self._leave(session, facts, plan, att)
            self._makeup(session, plan, att)

    def _leave(self, session: Session, facts: SessionFacts, plan: StudentPlan, att: str) -> None:
        own = next((e for e in self.rows if e.source == att), None)
        if plan.state.status == "leave":
            if own is None:
                new = _Ent(entitlement_id(att), plan.student_id, "open", att, None)
                session.execute(
                    insert(_ENT).values(
                        id=new.id,
                        student_id=plan.student_id,
                        course_id=facts.course_id,
                        source_attendance_id=att,
                        status="open",
                        version=0,
                        created_at=now_utc(),
                        updated_at=now_utc(),
                    )
                )
                self.rows.append(new)
            elif own.status == "cancelled":
                self._set(session, own, "open", own.used_by)
        elif own is not None and own.status == "open":
            self._set(session, own, "cancelled", None)

    def _makeup(self, session: Session, plan: StudentPlan, att: str) -> None:
        used = next((e for e in self.rows if e.used_by == att), None)
        if plan.state.status == "makeup":
            if used is None:
                target = self._usable(plan.student_id, att)
                if target is not None:
                    self._set(session, target, "used", att)
        elif used is not None:
            self._set(session, used, "open", None)

    def release(self, session: Session, atts: Sequence[str]) -> None:
        """Undo: leaves no longer give a make-up; make-ups give their entitlement back."""
        for ent in list(self.rows):
            if ent.source in atts and ent.status == "open":
                self._set(session, ent, "cancelled", None)
            elif ent.used_by in atts:
                self._set(session, ent, "open", None)

    @staticmethod
    def _set(session: Session, ent: _Ent, status: str, used_by: str | None) -> None:
        session.execute(
            update(_ENT)
            .where(_ENT.c.id == ent.id)
            .values(status=status, used_attendance_id=used_by, updated_at=now_utc())
        )
        ent.status, ent.used_by = status, used_by
