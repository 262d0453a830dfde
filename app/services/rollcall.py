"""Roll call (点名消课), the desk's hot path: one call marks a whole lesson in one transaction.

Attendance is *state* (DESIGN.md): one row per lesson × student with a deterministic id, carrying the
status, whether it is charged, the units, the amount and the paying package, so re-marking updates the
rows in place and two desks converge. The work is a handful of Core statements whatever the class size:
read the session, the students, the existing rows, the packages with their balances and the make-up
entitlements, then one upsert ``executemany`` for the rows that actually change (an identical re-mark
writes nothing, so it adds nothing to the outbox).

Undo keeps the row (so the change syncs and converges) but sets it uncharged with units and amount 0 and
the note ``已撤销点名``; its status stays as the record of what was undone. Make-up entitlements created
by a leave are cancelled, and those used by a make-up lesson are opened again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.services import _rollcall_io as io
from app.services._attendance import (
    UNDONE_NOTE,
    RowState,
    StudentPlan,
    charge,
    choose_package,
    is_charged,
    overdraw_package,
)
from app.services._common import now_utc
from localdb import codes
from localdb.ids import attendance_id
from localdb.models import Attendance, LessonSession, Student, metadata

MESSAGES: dict[str, str] = {
    "rollcall.not_in_class": "学员{name}不在本班级中",
    "rollcall.no_units_left": "学员{name}在本课程没有剩余课时，请先续费",
    "rollcall.session_cancelled": "该课次已取消，不能点名",
    "rollcall.bad_status": "无效的考勤状态：{status}",
    "rollcall.no_makeup_entitlement": "学员{name}没有可用的补课资格",
    "rollcall.contract_closed": "学员{name}本节课的消课已计入已结束或已退费的合同，不能再修改",
}
InstDeskError.register(MESSAGES)

LOW_BALANCE_UNITS = Decimal(2)
_ATT = metadata.tables["attendance"]


def _upsert() -> Any:
    """Insert or update attendance rows by their deterministic id (state, not events); built once."""
    stmt = sqlite_insert(_ATT)
    keep = {"id", "session_id", "student_id", "version", "created_at"}
    return stmt.on_conflict_do_update(
        index_elements=[_ATT.c.id], set_={c.name: stmt.excluded[c.name] for c in _ATT.c if c.name not in keep}
    )


_UPSERT = _upsert()


@dataclass(frozen=True)
class AttendanceLine:
    attendance_id: str
    student_id: str
    status: str
    charged: bool
    units: Decimal
    amount_fen: int
    contract_id: str | None
    overdrawn: bool = False


@dataclass(frozen=True)
class LowBalance:
    """A student with at most two 课时 left in the course after this lesson (time to renew)."""

    student_id: str
    units_left: Decimal


@dataclass(frozen=True)
class RollCallResult:
    session_id: str
    rows: list[AttendanceLine]
    warnings: list[LowBalance]
    changes: int


@dataclass(frozen=True)
class UndoResult:
    session_id: str
    student_ids: tuple[str, ...]
    changes: int


@dataclass(frozen=True)
class CheckInResult:
    """What the barcode scanner shows: 'checked_in' | 'already' | 'not_in_class' | 'no_units' |
    'unknown_card'."""

    kind: str
    student_name: str | None
    student_id: str | None = None
    units_left: Decimal | None = None


def _check_students(facts: io.SessionFacts, marks: Mapping[str, str], people: dict[str, io.Person]) -> None:
    for sid, status in marks.items():
        if status not in codes.ATTENDANCE_STATUSES:
            raise ValidationError("rollcall.bad_status", status=status)
        person = people.get(sid)
        if person is None:
            raise NotFound("not_found", entity="student", entity_id=sid, entity_label="学员")
        if not person.member and status not in ("trial", "makeup"):
            raise RuleViolation("rollcall.not_in_class", name=person.name, student_id=sid)


def _plans(
    facts: io.SessionFacts,
    marks: Mapping[str, str],
    people: dict[str, io.Person],
    existing: dict[str, RowState],
    packages: dict[str, list[Any]],
    note: str | None,
    allow_overdraw: bool,
) -> list[StudentPlan]:
    """Decide every row's new state; raises before anything is written."""
    plans = []
    for sid, status in marks.items():
        plan = StudentPlan(
            sid,
            attendance_id(facts.session_id, sid),
            RowState(status, False, Decimal(0), 0, None, note),
            packages=packages.get(sid, []),
        )
        old = existing.get(sid)
        if (
            old is not None
            and old.charged
            and not any(p.contract_id == old.contract_id for p in plan.packages)
        ):
            plan.state = _keep_closed_charge(old, status, facts, note, people[sid].name)
        elif is_charged(status, facts.absent_policy):
            current = existing[sid].contract_id if sid in existing else None
            package = choose_package(plan.packages, facts.units, current)
            if package is None:
                if not allow_overdraw:
                    raise RuleViolation("rollcall.no_units_left", name=people[sid].name, student_id=sid)
                package, plan.overdrawn = overdraw_package(plan.packages), True
            if package is not None:
                amount = charge(package, facts.units)
                plan.state = RowState(status, True, facts.units, amount, package.contract_id, note)
        plans.append(plan)
    return plans


def _keep_closed_charge(
    old: RowState, status: str, facts: io.SessionFacts, note: str | None, name: str
) -> RowState:
    """A charge booked on a package that has since been refunded or closed stays where it is.

    Moving it would change a settled contract's balance; only a change of charged status to charged is
    allowed (the status label may still be corrected).
    """
    if not is_charged(status, facts.absent_policy) or status == "makeup" or old.status == "makeup":
        raise RuleViolation("rollcall.contract_closed", name=name)
    return RowState(status, True, old.units, old.amount_fen, old.contract_id, note)


def _write_rows(session: Session, actor: Actor, facts: io.SessionFacts, changed: list[StudentPlan]) -> None:
    if not changed:
        return
    now = now_utc()
    rows = [
        {
            "id": attendance_id(facts.session_id, p.student_id),
            "session_id": facts.session_id,
            "student_id": p.student_id,
            "status": p.state.status,
            "charged": p.state.charged,
            "units_x100": p.state.units,
            "amount_fen": p.state.amount_fen,
            "contract_id": p.state.contract_id,
            "marked_at": now,
            "marked_by": actor.username,
            "note": p.state.note,
            "version": 0,
            "created_at": now,
            "updated_at": now,
        }
        for p in changed
    ]
    session.execute(_UPSERT, rows)


def _mark(
    session: Session,
    actor: Actor,
    session_id: str,
    marks: Mapping[str, str],
    note: str | None,
    allow_overdraw: bool,
) -> RollCallResult:
    facts = io.session_facts(session, session_id)
    if facts.status == "cancelled":
        raise RuleViolation("rollcall.session_cancelled")
    ids = list(marks)
    people = io.people(session, facts.klass_id, ids)
    _check_students(facts, marks, people)
    existing = io.existing_rows(session, session_id, ids)
    packages = io.packages(session, facts.course_id, ids, existing)
    plans = _plans(facts, marks, people, existing, packages, note, allow_overdraw)
    changed = [p for p in plans if existing.get(p.student_id) != p.state]
    entitlements = io.Entitlements.load(session, facts, ids)
    entitlements.check_makeups(plans, people)
    _write_rows(session, actor, facts, changed)
    entitlements.apply(session, facts, plans)
    if facts.status != "held":
        session.execute(update(LessonSession).where(LessonSession.id == session_id).values(status="held"))
    if changed:
        audit(
            session,
            actor,
            "rollcall.mark",
            "lesson_session",
            session_id,
            marked=len(plans),
            changed=len(changed),
        )
    lines = [
        AttendanceLine(
            attendance_id(session_id, p.student_id),
            p.student_id,
            p.state.status,
            p.state.charged,
            p.state.units,
            p.state.amount_fen,
            p.state.contract_id,
            p.overdrawn,
        )
        for p in plans
    ]
    warnings = [
        LowBalance(p.student_id, p.units_left)
        for p in plans
        if p.packages and p.units_left <= LOW_BALANCE_UNITS
    ]
    return RollCallResult(session_id, lines, warnings, len(changed))


def roll_call(
    db: Database,
    actor: Actor,
    session_id: str,
    marks: Mapping[str, str],
    note: str | None = None,
    *,
    allow_overdraw: bool = False,
) -> RollCallResult:
    """Mark students of a lesson (student id → status) and charge them, in one transaction.

    On one desk a lesson beyond a student's paid units is refused (``rollcall.no_units_left``) unless
    ``allow_overdraw``; then it is charged to a package that goes negative, a balance to settle.
    """
    require(actor, Permission.ROLL_CALL)
    with db.transaction() as session:
        return _mark(session, actor, session_id, marks, note, allow_overdraw)


def undo_roll_call(
    db: Database, actor: Actor, session_id: str, student_ids: list[str] | None = None
) -> UndoResult:
    """Give back the charges of a lesson's roll call (all students or some), audited."""
    require(actor, Permission.ROLL_CALL)
    with db.transaction() as session:
        facts = io.session_facts(session, session_id)
        existing = io.existing_rows(session, session_id, student_ids)
        undone = RowState("", False, Decimal(0), 0, None, UNDONE_NOTE)
        targets = [sid for sid, row in existing.items() if not row.undone]
        if io.closed_contracts(session, {existing[s].contract_id for s in targets}):
            raise RuleViolation("rollcall.contract_closed", name="")
        if targets:
            now = now_utc()
            session.execute(
                update(Attendance)
                .where(Attendance.session_id == session_id, Attendance.student_id.in_(targets))
                .values(
                    charged=False,
                    units=undone.units,
                    amount_fen=0,
                    contract_id=None,
                    note=UNDONE_NOTE,
                    marked_at=now,
                    marked_by=actor.username,
                )
            )
            io.Entitlements.load(session, facts, targets).release(
                session, [attendance_id(session_id, s) for s in targets]
            )
            audit(session, actor, "rollcall.undo", "lesson_session", session_id, students=sorted(targets))
        if not io.has_live_rows(session, session_id):
            session.execute(
                update(LessonSession).where(LessonSession.id == session_id).values(status="scheduled")
            )
        return UndoResult(session_id, tuple(sorted(targets)), len(targets))


def check_in_by_card(db: Database, actor: Actor, session_id: str, card_code: str) -> CheckInResult:
    """The barcode scanner: mark one student present by card, under the same rules as a roll call."""
    require(actor, Permission.ROLL_CALL)
    with db.transaction() as session:
        student = session.scalars(
            select(Student).where(Student.card_code == card_code.strip(), Student.deleted_at.is_(None))
        ).first()
        if student is None:
            return CheckInResult("unknown_card", None)
        row = io.existing_rows(session, session_id, [student.id]).get(student.id)
        if row is not None and row.status in ("present", "late") and not row.undone:
            return CheckInResult("already", student.name, student.id)
        try:
            result = _mark(session, actor, session_id, {student.id: "present"}, None, False)
        except RuleViolation as exc:
            kinds = {"rollcall.not_in_class": "not_in_class", "rollcall.no_units_left": "no_units"}
            if exc.code not in kinds:
                raise
            return CheckInResult(kinds[exc.code], student.name, student.id)
        left = next((w.units_left for w in result.warnings), None)
        return CheckInResult("checked_in", student.name, student.id, left)


__all__ = [
    "AttendanceLine",
    "CheckInResult",
    "LowBalance",
    "RollCallResult",
    "UndoResult",
    "check_in_by_card",
    "roll_call",
    "undo_roll_call",
]
