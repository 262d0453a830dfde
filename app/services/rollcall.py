"""Roll call (点名消课), the desk's hot path: one call marks a whole lesson in one transaction.

Attendance is *state*: one row per lesson × student with a deterministic id, carrying the
status, whether it is charged, the units, the amount and the paying package, so re-marking updates the
rows in place and two desks converge. The work is a handful of Core statements whatever the class size:
read the session, the students, the existing rows, the packages with their balances and the make-up
entitlements, then one upsert ``executemany`` for the rows that actually change (an identical re-mark
writes nothing, so it adds nothing to the outbox). See docs/decisions/0001-attendance-as-state.md.

Undo keeps the row (so the change syncs and converges) but sets it ``undone``, uncharged with units and
amount 0; its status stays as the record of what was undone. Make-up entitlements created
by a leave are cancelled, and those used by a make-up lesson are opened again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.rules.child import Child, child_violations
from app.rules.violation import raise_violations
from app.services import _receivables as receivables
from app.services import _rollcall_io as io
from app.services.attendance_plan import (
    OWING_NOTE,
    Package,
    RowState,
    StudentPlan,
    charge,
    choose_package,
    is_charged,
    overdraw_package,
)
from localdb import codes
from localdb.codes import AttendanceStatus, CheckIn, SessionStatus
from localdb.ids import attendance_id
from localdb.types import format_utc, units_to_x100

MESSAGES: dict[str, str] = {
    "rollcall.not_in_class": "学员{name}不在本班级中",
    "rollcall.no_units_left": "学员{name}在本课程没有剩余课时，请先续费",
    "rollcall.session_cancelled": "该课次已取消，不能点名",
    "rollcall.bad_status": "无效的考勤状态：{status}",
    "rollcall.no_makeup_entitlement": "学员{name}没有可用的补课资格",
    "rollcall.contract_closed": "学员{name}本节课的消课已计入已结束或已退费的合同，不能再修改",
    "rollcall.charge_reversed": "学员{name}这节课的扣课已因消课异议撤销，不能再修改点名",
    "rollcall.contract_expired": (
        "学员{name}的合同已于{end_date}到期，{lesson_date}的课不能再从中扣课时"
        "（合同剩余{units}课时，请按合同约定办理退费或另签合同）"
    ),
}
InstDeskError.register(MESSAGES)

#: statuses in which the child actually takes part in the lesson (the child rules apply)
TRAINED = frozenset(
    {AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.MAKEUP, AttendanceStatus.TRIAL}
)


@dataclass(frozen=True)
class AttendanceLine:
    attendance_id: str
    student_id: str
    status: AttendanceStatus
    charged: bool
    units: Decimal
    amount_fen: int
    contract_id: str | None
    overdrawn: bool = False
    owing: bool = False


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
    """What the barcode scanner shows (``localdb.codes.CheckIn``)."""

    kind: CheckIn
    student_name: str | None
    student_id: str | None = None
    units_left: Decimal | None = None
    units: Decimal = Decimal(0)  # what this check-in charged (what an undo gives back)
    amount_fen: int = 0


def _check_students(
    facts: io.SessionFacts, marks: Mapping[str, AttendanceStatus], people: dict[str, io.Person]
) -> None:
    for sid, status in marks.items():
        person = people.get(sid)
        if person is None:
            raise NotFound("not_found", entity="student", entity_id=sid, entity_label="学员")
        if not person.member and status not in (AttendanceStatus.TRIAL, AttendanceStatus.MAKEUP):
            raise RuleViolation("rollcall.not_in_class", name=person.name, student_id=sid)
        if status in TRAINED:
            child = Child(person.name, person.stage, person.birth_date)
            raise_violations(child_violations(child, facts.date, facts.category, facts.delivery))


def _statuses(marks: Mapping[str, str]) -> dict[str, AttendanceStatus]:
    """The marks' statuses as codes; an unknown one is refused before anything is read or written."""
    if bad := next((s for s in marks.values() if s not in codes.ATTENDANCE_STATUSES), None):
        raise ValidationError("rollcall.bad_status", status=bad)
    return {sid: AttendanceStatus(status) for sid, status in marks.items()}


def _plans(
    facts: io.SessionFacts,
    marks: Mapping[str, AttendanceStatus],
    people: dict[str, io.Person],
    existing: dict[str, RowState],
    packages: dict[str, list[Any]],
    note: str | None,
    allow_overdraw: bool,
    owing_ok: bool,
    pay_after: Mapping[str, list[receivables.PayAfterContract]],
) -> list[StudentPlan]:
    """Decide every row's new state; raises before anything is written.

    A student with a 先学后付 contract for the course owes each charged lesson at its price. Otherwise a
    charged status with no package that covers the lesson is an overdraw when ``allow_overdraw``, else
    an uncharged row marked 欠课时 when ``owing_ok`` (the desk settles it later), else refused.
    """
    plans = []
    for sid, status in marks.items():
        plan = StudentPlan(
            sid,
            attendance_id(facts.session_id, sid),
            RowState(status, False, Decimal(0), 0, None, note),
            packages=packages.get(sid, []),
        )
        old = existing.get(sid)
        if sid in pay_after:
            charged = is_charged(status, facts.absent_policy)
            plan.state = receivables.pay_after_state(
                status, charged, pay_after[sid], facts.date, facts.units, facts.lesson_units, note,
                people[sid].name,
            )  # fmt: skip
        elif (
            old is not None
            and old.charged
            and not any(p.contract_id == old.contract_id for p in plan.packages)
        ):
            plan.state = _keep_closed_charge(old, status, facts, note, people[sid].name)
        elif is_charged(status, facts.absent_policy):
            current = old.contract_id if old is not None else None
            valid = [p for p in plan.packages if p.valid_on(facts.date)]
            package = choose_package(valid, facts.units, current)
            if package is None and not allow_overdraw:
                if not owing_ok:
                    _refuse_expired(plan.packages, facts, people[sid].name, sid)
                    raise RuleViolation("rollcall.no_units_left", name=people[sid].name, student_id=sid)
                plan.state, plan.owing = RowState(status, False, Decimal(0), 0, None, OWING_NOTE), True
            elif package is None:
                _refuse_expired(plan.packages, facts, people[sid].name, sid)
                package, plan.overdrawn = overdraw_package(valid), True
            if package is not None:
                amount = charge(package, facts.units)
                plan.state = RowState(status, True, facts.units, amount, package.contract_id, note)
        plans.append(plan)
    return plans


def _refuse_expired(packages: list[Package], facts: io.SessionFacts, name: str, sid: str) -> None:
    """No package in force pays for the lesson, but one past its end date still has units: say so.

    A package ends with its contract's 培训期限 (docs/domain.md, 消课): what is left on it is
    settled by the contract's terms (a refund, an `expire` correction or an agreed new contract), never by
    charging later lessons.
    """
    expired = [p for p in packages if not p.valid_on(facts.date) and p.units > 0]
    if expired:
        last = max(expired, key=lambda p: p.end_date or facts.date)
        raise RuleViolation(
            "rollcall.contract_expired",
            name=name,
            student_id=sid,
            end_date=last.end_date,
            lesson_date=facts.date,
            units=str(last.units),
        )


def _keep_closed_charge(
    old: RowState, status: AttendanceStatus, facts: io.SessionFacts, note: str | None, name: str
) -> RowState:
    """A charge booked on a package that has since been refunded or closed stays where it is.

    Moving it would change a settled contract's balance; only a change of charged status to charged is
    allowed (the status label may still be corrected).
    """
    makeup = AttendanceStatus.MAKEUP
    if not is_charged(status, facts.absent_policy) or makeup in (status, old.status):
        raise RuleViolation("rollcall.contract_closed", name=name)
    return RowState(status, True, old.units, old.amount_fen, old.contract_id, note)


def _row(facts: io.SessionFacts, actor: Actor, plan: StudentPlan, now: str) -> dict[str, Any]:
    state = plan.state
    return {
        "id": plan.attendance_id,
        "session_id": facts.session_id,
        "student_id": plan.student_id,
        "status": state.status,
        "charged": state.charged,
        "units_x100": units_to_x100(state.units),
        "amount_fen": state.amount_fen,
        "contract_id": state.contract_id,
        "marked_at": now,
        "marked_by": actor.username,
        "note": state.note,
        "undone": state.undone,
        "version": 0,
        "created_at": now,
        "updated_at": now,
    }


#: only these statuses create, use or give back make-up entitlements
_MAKEUP_STATUSES = frozenset({AttendanceStatus.LEAVE, AttendanceStatus.MAKEUP})


def _mark(
    conn: sqlite3.Connection,
    actor: Actor,
    session_id: str,
    marks: Mapping[str, str],
    note: str | None,
    allow_overdraw: bool,
) -> RollCallResult:
    """Read (3–4 statements), plan in Python, write (one executemany per table); no re-reads."""
    facts = io.session_facts(conn, session_id)
    if facts.status == SessionStatus.CANCELLED:
        raise RuleViolation("rollcall.session_cancelled")
    statuses = _statuses(marks)
    people, existing = io.people_and_rows(conn, facts, marks.keys())
    _check_students(facts, statuses, people)
    packages = io.packages(conn, facts.course_id, marks.keys(), existing)
    pay_after = (
        receivables.pay_after_contracts(conn, facts.course_id, marks.keys()) if facts.pay_after else {}
    )
    owing_ok = io.owing_allowed(conn)
    plans = _plans(facts, statuses, people, existing, packages, note, allow_overdraw, owing_ok, pay_after)
    _keep_reversed(conn, plans, existing, facts, people)
    changed = [p for p in plans if existing.get(p.student_id) != p.state]
    now = format_utc(now_utc())
    # Entitlements hang off leave rows (source) and make-up rows (user): with no such status among the
    # marks or the rows they replace, there is nothing to check or bring in line (saves a query).
    touches_makeups = any(s in _MAKEUP_STATUSES for s in statuses.values()) or any(
        r.status in _MAKEUP_STATUSES for r in existing.values()
    )
    entitlements = None
    if touches_makeups:
        atts = [p.attendance_id for p in plans]
        entitlements = io.Entitlements.load(conn, facts, marks.keys(), atts, now)
        entitlements.check_makeups(plans, people)
    io.upsert_rows(conn, [_row(facts, actor, p, now) for p in changed])
    # the receivable follows the rows (a 先学后付 lesson owed or no longer owed); a refusal rolls back
    receivables.reconcile(
        conn,
        [
            receivables.LessonChange(p.attendance_id, p.student_id, p.state, people[p.student_id].name)
            for p in changed
        ],
        {c.contract_id for contracts in pay_after.values() for c in contracts},
        facts.course_id,
        facts.date,
        actor.username,
        now,
    )
    if entitlements is not None:
        entitlements.apply(plans)
        entitlements.flush(conn)
    if facts.status != SessionStatus.HELD:
        io.set_session_status(conn, session_id, SessionStatus.HELD, now)
    if changed:
        counts = {"marked": len(plans), "changed": len(changed)}
        audit(conn, actor, "rollcall.mark", "lesson_session", session_id, at=now, **counts)
    lines = [
        AttendanceLine(
            p.attendance_id,
            p.student_id,
            p.state.status,
            p.state.charged,
            p.state.units,
            p.state.amount_fen,
            p.state.contract_id,
            p.overdrawn,
            p.owing,
        )
        for p in plans
    ]
    low = io.low_balance_units(conn)
    warnings = [LowBalance(p.student_id, p.units_left) for p in plans if p.packages and p.units_left <= low]
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

    A student with no 课时 left for the lesson never blocks the others: the row is marked, not charged,
    and noted 欠课时 (``AttendanceLine.owing``) for the desk to settle (``app.services.owing``), unless
    the manager forbids it (then ``rollcall.no_units_left``). With ``allow_overdraw`` the lesson is
    charged to a package that goes negative instead, a balance to settle.
    """
    require(actor, Permission.ROLL_CALL)
    with db.write_transaction() as conn:
        return _mark(conn, actor, session_id, marks, note, allow_overdraw)


def _reversed(conn: sqlite3.Connection, facts: io.SessionFacts, student_ids: list[str]) -> list[str]:
    """The students among these whose charge in this lesson was given back after a 消课 dispute."""
    if not student_ids:
        return []
    by_attendance = {attendance_id(facts.session_id, sid): sid for sid in student_ids}
    return sorted(by_attendance[a] for a in io.reversed_charges(conn, list(by_attendance)))


def _keep_reversed(
    conn: sqlite3.Connection,
    plans: list[StudentPlan],
    existing: Mapping[str, RowState],
    facts: io.SessionFacts,
    people: Mapping[str, io.Person],
) -> None:
    """A charge given back after a 消课 dispute is settled (its reversing ledger entry stands): the row
    stays as it is when marked with the same status again, and any other change is refused (it would give
    the lesson back twice)."""
    moved = [p.student_id for p in plans if p.student_id in existing and existing[p.student_id] != p.state]
    settled = set(_reversed(conn, facts, moved))
    for plan in plans:
        if plan.student_id not in settled:
            continue
        old = existing[plan.student_id]
        if plan.state.status != old.status:
            raise RuleViolation("rollcall.charge_reversed", name=people[plan.student_id].name)
        plan.state = old


def _undo(
    conn: sqlite3.Connection,
    actor: Actor,
    session_id: str,
    student_ids: list[str] | None,
    reason: str | None = None,
) -> UndoResult:
    facts = io.session_facts(conn, session_id)
    existing = io.existing_rows(conn, session_id, student_ids)
    targets = [sid for sid, row in existing.items() if not row.undone]
    if settled := _reversed(conn, facts, targets):
        raise RuleViolation("rollcall.charge_reversed", name=io.student_name(conn, settled[0]))
    if io.closed_contracts(conn, {existing[s].contract_id for s in targets}):
        raise RuleViolation("rollcall.contract_closed", name="")
    now = format_utc(now_utc())
    if targets:
        names = io.student_names(conn, targets)
        changes = [
            receivables.LessonChange(
                attendance_id(session_id, s),
                s,
                RowState(existing[s].status, False, Decimal(0), 0, None, None, True),
                names.get(s, s),
            )
            for s in targets
        ]
        receivables.reconcile(conn, changes, (), facts.course_id, facts.date, actor.username, now, reason)
        io.undo_rows(conn, actor, session_id, targets, now)
        atts = [attendance_id(session_id, s) for s in targets]
        entitlements = io.Entitlements.load(conn, facts, targets, atts, now)
        entitlements.release(atts)
        entitlements.flush(conn)
        audit(conn, actor, "rollcall.undo", "lesson_session", session_id, at=now, students=sorted(targets))
    if not io.has_live_rows(conn, session_id):
        io.set_session_status(conn, session_id, SessionStatus.SCHEDULED, now)
    return UndoResult(session_id, tuple(sorted(targets)), len(targets))


def undo_roll_call(
    db: Database,
    actor: Actor,
    session_id: str,
    student_ids: list[str] | None = None,
    reason: str | None = None,
) -> UndoResult:
    """Give back the charges of a lesson's roll call (all students or some), audited.

    A 先学后付 lesson no longer owed gets a reversing receivable entry (``reason``, default 撤销点名).
    """
    require(actor, Permission.ROLL_CALL)
    with db.write_transaction() as conn:
        return _undo(conn, actor, session_id, student_ids, reason)


@dataclass(frozen=True)
class SaveResult:
    """A roll call saved from the desk: the marks made and the marks cleared (given back)."""

    marked: RollCallResult | None
    cleared: UndoResult | None


def save_roll_call(
    db: Database, actor: Actor, session_id: str, marks: Mapping[str, str], cleared: list[str]
) -> SaveResult:
    """The desk's 保存: new marks and cleared marks (0/Del on a saved mark) in one transaction."""
    require(actor, Permission.ROLL_CALL)
    with db.write_transaction() as conn:
        undone = _undo(conn, actor, session_id, cleared) if cleared else None
        marked = _mark(conn, actor, session_id, marks, None, False) if marks else None
        return SaveResult(marked, undone)


@dataclass(frozen=True)
class SettleResult:
    """Owed lessons charged now (``settled``) and those still without 课时 (student names)."""

    settled: int
    still_owing: tuple[str, ...]


def settle_owing(db: Database, actor: Actor, lessons: list[tuple[str, str]]) -> SettleResult:
    """Charge owed lessons (session id, student id) to the packages bought since, in one transaction.

    Each is re-marked with its status under the roll call's rules; one still without 课时 stays owed.
    """
    require(actor, Permission.ROLL_CALL)
    settled, still = 0, []
    with db.write_transaction() as conn:
        for session_id, student_id in lessons:
            row = io.existing_rows(conn, session_id, [student_id]).get(student_id)
            if row is None or not row.owing:
                continue
            result = _mark(conn, actor, session_id, {student_id: row.status}, None, False)
            if result.rows[0].owing:
                still.append(student_id)
            else:
                settled += 1
        names = io.student_names(conn, still)
    return SettleResult(settled, tuple(names[s] for s in still))


def check_in_by_card(db: Database, actor: Actor, session_id: str, card_code: str) -> CheckInResult:
    """The barcode scanner: mark one student present by card, under the same rules as a roll call."""
    require(actor, Permission.ROLL_CALL)
    with db.write_transaction() as conn:
        found = io.student_by_card(conn, card_code.strip())
        if found is None:
            return CheckInResult(CheckIn.UNKNOWN_CARD, None)
        student_id, name = found
        row = io.existing_rows(conn, session_id, [student_id]).get(student_id)
        if (
            row is not None
            and row.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
            and not row.undone
        ):
            return CheckInResult(CheckIn.ALREADY, name, student_id)
        try:
            result = _mark(conn, actor, session_id, {student_id: AttendanceStatus.PRESENT}, None, False)
        except RuleViolation as exc:
            kinds = {
                "rollcall.not_in_class": CheckIn.NOT_IN_CLASS,
                "rollcall.no_units_left": CheckIn.NO_UNITS,
                "rollcall.contract_expired": CheckIn.EXPIRED,
            }
            if exc.code not in kinds:
                raise
            return CheckInResult(kinds[exc.code], name, student_id)
        if result.rows and result.rows[0].owing:
            return CheckInResult(CheckIn.OWING, name, student_id, Decimal(0))
        left = next((w.units_left for w in result.warnings), None)
        line = result.rows[0]
        return CheckInResult(CheckIn.CHECKED_IN, name, student_id, left, line.units, line.amount_fen)


__all__ = [
    "AttendanceLine",
    "CheckInResult",
    "LowBalance",
    "RollCallResult",
    "SaveResult",
    "SettleResult",
    "UndoResult",
    "check_in_by_card",
    "roll_call",
    "save_roll_call",
    "settle_owing",
    "undo_roll_call",
]
