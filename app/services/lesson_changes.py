"""Changes to one lesson already on the timetable: cancel it (a roll call already taken is given back),
move it (调课) or give it another teacher (代课), each under the checks of a new lesson
(``app.services.schedule``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.services import _rollcall_io as rollcall_io
from app.services.lookups import get_live
from app.services.parsing import hhmm
from app.services.schedule import ScheduleResult, check_plan, plan_lessons
from localdb import ids
from localdb.codes import SessionStatus
from localdb.models import Attendance, LessonSession
from localdb.types import format_utc

MESSAGES: dict[str, str] = {
    "session.has_attendance": "该课次已点名消课，请先撤销点名再取消",
    "session.not_scheduled": "该课次状态为“{status}”，不能取消",
    "session.reason_required": "请填写取消原因",
    "session.not_movable": "该课次已点名或已取消，不能调课",
    "session.cancelled": "该课次已取消，不能更换教师",
    "session.same_teacher": "代课教师与原教师相同",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class CancelResult:
    """A cancelled lesson; ``given_back`` students had been charged and got their 课时 back. The
    class, date and time let the manager schedule a make-up lesson (``add_session``)."""

    session_id: str
    klass_id: str
    day: date
    start: str
    end: str
    given_back: tuple[str, ...]


def cancel_session(db: Database, actor: Actor, session_id: str, reason: str | None = None) -> CancelResult:
    """Cancel one lesson with its reason: nobody is charged for it (a roll call already taken is given
    back, as an undo would, in the same transaction) and nobody can be marked in it any more."""
    require(actor, Permission.MANAGE_SCHEDULE)
    why = (reason or "").strip()
    if not why:
        raise ValidationError("session.reason_required")
    with db.write_transaction() as conn:
        facts = rollcall_io.session_facts(conn, session_id)
        if facts.status == SessionStatus.CANCELLED:
            raise RuleViolation("session.not_scheduled", status="已取消")
        existing = rollcall_io.existing_rows(conn, session_id, None)
        targets = sorted(sid for sid, row in existing.items() if not row.undone)
        if rollcall_io.closed_contracts(conn, {existing[s].contract_id for s in targets}):
            raise RuleViolation("rollcall.contract_closed", name="")
        now = format_utc(now_utc())
        if targets:
            rollcall_io.undo_rows(conn, actor, session_id, targets, now)
            atts = [ids.attendance_id(session_id, s) for s in targets]
            entitlements = rollcall_io.Entitlements.load(conn, facts, targets, atts, now)
            entitlements.release(atts)
            entitlements.flush(conn)
        rollcall_io.set_session_status(conn, session_id, SessionStatus.CANCELLED, now)
        audit(
            conn,
            actor,
            "schedule.cancel_session",
            "lesson_session",
            session_id,
            at=now,
            reason=why,
            given_back=len(targets),
        )
        start, end = rollcall_io.session_times(conn, session_id)
        return CancelResult(session_id, facts.klass_id, facts.date, start, end, tuple(targets))


def _live_session(session: Session, session_id: str) -> LessonSession:
    return get_live(session, LessonSession, session_id)


def _has_marks(session: Session, session_id: str) -> bool:
    live = select(Attendance.id).where(Attendance.session_id == session_id, Attendance.undone.is_(False))
    return session.scalar(live.limit(1)) is not None


def move_session(
    db: Database,
    actor: Actor,
    session_id: str,
    day: date,
    start: str | time,
    end: str | time,
    room_id: str | None = None,
) -> ScheduleResult:
    """调课: one lesson to another date, time or room, under the same checks as a new lesson.

    Only a lesson nobody has been marked in yet (undo the roll call first) and not cancelled.
    """
    require(actor, Permission.MANAGE_SCHEDULE)
    with db.transaction() as session:
        row = _live_session(session, session_id)
        if row.status == SessionStatus.CANCELLED or _has_marks(session, session_id):
            raise RuleViolation("session.not_movable")
        plan = plan_lessons(
            session, row.klass_id, [day], start, end, row.teacher_id, room_id or row.room_id, session_id
        )
        check_plan(session, plan)
        before = f"{row.date} {row.start_time}–{row.end_time}"
        row.date, row.start_time, row.end_time = day, hhmm(plan.start), hhmm(plan.end)
        row.room_id = plan.room_id
        after = f"{day} {row.start_time}–{row.end_time}"
        audit(
            session, actor, "schedule.move_session", "lesson_session", session_id, before=before, after=after
        )
        return ScheduleResult(row.rule_id, 1, (day,), (session_id,))


def substitute_teacher(db: Database, actor: Actor, session_id: str, teacher_id: str) -> ScheduleResult:
    """代课: another teacher for one lesson, who must be allowed to teach it and free at that time."""
    require(actor, Permission.MANAGE_SCHEDULE)
    with db.transaction() as session:
        row = _live_session(session, session_id)
        if row.status == SessionStatus.CANCELLED:
            raise RuleViolation("session.cancelled")
        if row.teacher_id == teacher_id:
            raise RuleViolation("session.same_teacher")
        plan = plan_lessons(
            session,
            row.klass_id,
            [row.date],
            row.start_time,
            row.end_time,
            teacher_id,
            row.room_id,
            session_id,
        )
        check_plan(session, plan)
        before, row.teacher_id = row.teacher_id, teacher_id
        audit(
            session,
            actor,
            "schedule.substitute",
            "lesson_session",
            session_id,
            before=before,
            after=teacher_id,
        )
        return ScheduleResult(row.rule_id, 1, (row.date,), (session_id,))
