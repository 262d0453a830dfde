"""Read models for the screens: a student's profile, today's lessons, a lesson's roster.

Each is a handful of queries returning plain frozen dataclasses (the UI's worker thread hands them to the
GUI thread). Ledger lines carry a Chinese sentence saying why the balance moved, so the desk can answer a
parent without reading codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session, aliased

from app.clock import LOCAL_TZ
from app.db import Database
from app.money import format_fen
from app.permissions import Actor, Permission, require
from app.services.attendance_plan import OWING_NOTE
from app.services.contracts import paused_since
from app.services.lookups import get_live, load_policy
from app.services.students import GuardianInfo, StudentInfo, student_info
from localdb.balances import contract_balances, students_balances
from localdb.codes import Billing, ContractStatus
from localdb.models import (
    Attendance,
    Contract,
    Course,
    Guardian,
    Klass,
    KlassMember,
    LedgerEntry,
    LessonSession,
    Room,
    Staff,
    Student,
)

KIND_LABELS = {
    "purchase": "购买",
    "gift": "赠送",
    "refund": "退费",
    "adjust": "调整",
    "expire": "过期",
    "reverse": "冲正",
}


@dataclass(frozen=True)
class ContractLine:
    contract_id: str
    contract_no: str
    course_name: str
    status: str
    total_units: Decimal
    gift_units: Decimal
    fee_fen: int
    units_left: Decimal
    fen_left: int
    start_date: date
    end_date: date | None
    klass_id: str | None = None
    klass_name: str | None = None
    paused_since: date | None = None
    course_id: str = ""
    low_balance: bool = False  # units left at or under the profile's ``low_balance_units``


@dataclass(frozen=True)
class LedgerLine:
    entry_id: str
    contract_no: str
    kind: str
    units: Decimal
    amount_fen: int
    created_at: datetime
    why: str


@dataclass(frozen=True)
class HistoryLine:
    """One line of the student's 流水: a ledger entry or a marked lesson, with why the balance moved.

    ``units`` and ``amount_fen`` are signed as the balance sees them (a charged lesson is negative).
    Lessons carry the class, the teacher, the attendance status and who marked it (or undid it);
    ``undone`` lessons were charged and given back (the row keeps its status for the record).
    """

    key: str
    source: str  # "ledger" or "lesson"
    at: datetime
    day: date
    contract_no: str
    kind: str  # a ledger kind, or the attendance status of a lesson
    units: Decimal
    amount_fen: int
    why: str
    klass_name: str | None = None
    teacher_name: str | None = None
    by: str | None = None
    undone: bool = False


@dataclass(frozen=True)
class StudentProfile:
    student: StudentInfo
    guardians: tuple[GuardianInfo, ...]
    contracts: tuple[ContractLine, ...]
    ledger: tuple[LedgerLine, ...]
    history: tuple[HistoryLine, ...] = ()


@dataclass(frozen=True)
class SessionLine:
    session_id: str
    klass_id: str
    klass_name: str
    course_name: str
    date: date
    start_time: str
    end_time: str
    teacher_name: str | None
    room_name: str | None
    status: str
    members: int
    marked: int


@dataclass(frozen=True)
class RosterLine:
    student_id: str
    name: str
    card_code: str | None
    member: bool
    status: str | None
    charged: bool
    units_left: Decimal
    owing: bool = False  # marked with no 课时 left, not charged (欠课时)
    #: units are left only on contracts whose end date is before the lesson (they cannot pay for it)
    expired: bool = False
    low_balance: bool = False  # units left at or under the profile's ``low_balance_units``
    #: 先学后付: the lesson is owed after it, there are no 课时 to run out of (docs/pay_after.md)
    pay_after: bool = False


def why_text(
    kind: str, units: Decimal, fen: int, reason: str | None, reversed_kind: str | None = None
) -> str:
    """One sentence for a ledger line: what happened, how many 课时 and how much money."""
    amount = f"{format_fen(fen)}元"
    if kind == "purchase":
        return f"购买{units.normalize():f}课时，收费{amount}"
    if kind == "gift":
        return f"赠送{units.normalize():f}课时"
    if kind == "reverse":
        target = KIND_LABELS.get(reversed_kind or "", "流水")
        return f"冲正{target}：{units.normalize():f}课时、{amount}（{reason or ''}）"
    label = KIND_LABELS.get(kind, kind)
    return f"{label}：{units.normalize():f}课时、{amount}" + (f"（{reason}）" if reason else "")


def _contracts(session: Session, student_id: str) -> tuple[ContractLine, ...]:
    rows = session.execute(
        select(Contract, Course.name, Klass.name)
        .join(Course, Course.id == Contract.course_id)
        .outerjoin(Klass, Klass.id == Contract.klass_id)
        .where(Contract.student_id == student_id)
        .order_by(Contract.signed_at, Contract.id)
    ).all()
    balances = contract_balances(session, [c.id for c, _n, _k in rows])
    low = load_policy(session).low_balance_units if rows else Decimal(0)
    return tuple(
        ContractLine(
            c.id,
            c.contract_no,
            name,
            c.status,
            c.total_units,
            c.gift_units,
            c.fee_fen,
            balances[c.id].units_left,
            balances[c.id].fen_left,
            c.start_date,
            c.end_date,
            c.klass_id,
            klass,
            paused_since(session, c),
            c.course_id,
            balances[c.id].units_left <= low,
        )
        for c, name, klass in rows
    )


def _ledger(session: Session, student_id: str) -> tuple[LedgerLine, ...]:
    target = aliased(LedgerEntry)
    rows = session.execute(
        select(LedgerEntry, Contract.contract_no, target.kind)
        .join(Contract, Contract.id == LedgerEntry.contract_id)
        .outerjoin(target, target.id == LedgerEntry.reverses_id)
        .where(LedgerEntry.student_id == student_id)
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    ).all()
    return tuple(
        LedgerLine(
            e.id,
            no,
            e.kind,
            e.units,
            e.amount_fen,
            e.created_at,
            why_text(e.kind, e.units, e.amount_fen, e.reason, reversed_kind),
        )
        for e, no, reversed_kind in rows
    )


STATUS_LABELS = {
    "present": "出勤",
    "late": "迟到",
    "leave": "请假",
    "absent": "缺勤",
    "trial": "试听",
    "makeup": "补课",
}


def lesson_why(status: str, charged: bool, units: Decimal, fen: int, undone: bool) -> str:
    """Why a lesson did or did not take 课时: the status, and what it cost."""
    label = STATUS_LABELS.get(status, status)
    if undone:
        return f"{label}，点名已撤销，课时已退回"
    if charged:
        return f"{label}，扣{units.normalize():f}课时、{format_fen(fen)}元"
    return f"{label}，不扣课时"


def _ledger_history(session: Session, student_id: str) -> list[HistoryLine]:
    target = aliased(LedgerEntry)
    rows = session.execute(
        select(LedgerEntry, Contract.contract_no, target.kind)
        .join(Contract, Contract.id == LedgerEntry.contract_id)
        .outerjoin(target, target.id == LedgerEntry.reverses_id)
        .where(LedgerEntry.student_id == student_id)
    ).all()
    return [
        HistoryLine(
            e.id,
            "ledger",
            e.created_at,
            e.created_at.astimezone(LOCAL_TZ).date(),
            no,
            e.kind,
            e.units,
            e.amount_fen,
            why_text(e.kind, e.units, e.amount_fen, e.reason, reversed_kind),
            by=e.created_by,
        )
        for e, no, reversed_kind in rows
    ]


def _lesson_history(session: Session, student_id: str) -> list[HistoryLine]:
    rows = session.execute(
        select(Attendance, LessonSession.date, Klass.name, Staff.name, Contract.contract_no)
        .join(LessonSession, LessonSession.id == Attendance.session_id)
        .join(Klass, Klass.id == LessonSession.klass_id)
        .outerjoin(Staff, Staff.id == LessonSession.teacher_id)
        .outerjoin(Contract, Contract.id == Attendance.contract_id)
        .where(Attendance.student_id == student_id)
    ).all()
    lines = []
    for a, day, klass, teacher, no in rows:
        undone = a.undone
        lines.append(
            HistoryLine(
                a.id,
                "lesson",
                a.marked_at,
                day,
                no or "",
                a.status,
                -a.units,
                -a.amount_fen,
                lesson_why(a.status, a.charged, a.units, a.amount_fen, undone),
                klass,
                teacher,
                a.marked_by,
                undone,
            )
        )
    return lines


def student_history(db: Database, actor: Actor, student_id: str) -> tuple[HistoryLine, ...]:
    """Every ledger line and every marked lesson of a student, in the order they were recorded (the 流水
    tab); a lesson also carries its own date."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        return _history(session, student_id)


def _history(session: Session, student_id: str) -> tuple[HistoryLine, ...]:
    lines = _ledger_history(session, student_id) + _lesson_history(session, student_id)
    return tuple(sorted(lines, key=lambda line: (line.at, line.key)))  # in the order the balance moved


def student_profile(db: Database, actor: Actor, student_id: str) -> StudentProfile:
    """Everything the desk shows about one student (ID number masked)."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        student = get_live(session, Student, student_id)
        guardians = session.scalars(
            select(Guardian).where(Guardian.student_id == student_id, Guardian.deleted_at.is_(None))
        )
        return StudentProfile(
            student_info(student),
            tuple(GuardianInfo(g.id, g.student_id, g.name, g.relation, g.phone) for g in guardians),
            _contracts(session, student_id),
            _ledger(session, student_id),
            _history(session, student_id),
        )


def _member_count(klass_id: Any) -> ScalarSelect[int]:
    return (
        select(func.count(KlassMember.id))
        .where(
            KlassMember.klass_id == klass_id, KlassMember.deleted_at.is_(None), KlassMember.left_on.is_(None)
        )
        .scalar_subquery()
    )


def today_sessions(db: Database, actor: Actor, day: date) -> list[SessionLine]:
    """The lessons of a day in time order, with how many students are marked so far."""
    require(actor, Permission.VIEW_STUDENTS)
    live_mark = Attendance.undone.is_(False)
    marked = (
        select(func.count(Attendance.id))
        .where(Attendance.session_id == LessonSession.id, live_mark)
        .scalar_subquery()
    )
    query = (
        select(LessonSession, Klass.name, Course.name, Staff.name, Room.name, _member_count(Klass.id), marked)
        .join(Klass, Klass.id == LessonSession.klass_id)
        .join(Course, Course.id == Klass.course_id)
        .outerjoin(Staff, Staff.id == LessonSession.teacher_id)
        .outerjoin(Room, Room.id == LessonSession.room_id)
        .where(LessonSession.date == day, LessonSession.deleted_at.is_(None))
        .order_by(LessonSession.start_time, Klass.name)
    )
    with db.reading() as session:
        return [
            SessionLine(
                s.id,
                s.klass_id,
                kname,
                cname,
                s.date,
                s.start_time,
                s.end_time,
                tname,
                rname,
                s.status,
                int(members),
                int(n),
            )
            for s, kname, cname, tname, rname, members, n in session.execute(query)
        ]


def session_roster(db: Database, actor: Actor, session_id: str) -> list[RosterLine]:
    """The class members plus anyone marked in the lesson (trial, make-up), with units left in the course."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        lesson = get_live(session, LessonSession, session_id)
        klass = get_live(session, Klass, lesson.klass_id)
        members = set(
            session.scalars(
                select(KlassMember.student_id).where(
                    KlassMember.klass_id == klass.id,
                    KlassMember.deleted_at.is_(None),
                    KlassMember.left_on.is_(None),
                )
            )
        )
        marks = {
            a.student_id: a
            for a in session.scalars(select(Attendance).where(Attendance.session_id == session_id))
        }
        ids = sorted(members | set(marks))
        students = {s.id: s for s in session.scalars(select(Student).where(Student.id.in_(ids)))}
        balances = students_balances(session, ids)
        ended = _ended_before(session, [c.contract_id for cs in balances.values() for c in cs], lesson.date)
        low = load_policy(session).low_balance_units
        learn_first = _pay_after_students(session, ids, klass.course_id)
        lines = []
        for sid in ids:
            mark = marks.get(sid)
            live = mark is not None and not mark.undone
            active = [
                c
                for c in balances.get(sid, [])
                if c.course_id == klass.course_id and c.status == ContractStatus.ACTIVE
            ]
            left = sum((c.units_left for c in active if c.contract_id not in ended), Decimal(0))
            stranded = sum((c.units_left for c in active if c.contract_id in ended), Decimal(0))
            lines.append(
                RosterLine(
                    sid,
                    students[sid].name,
                    students[sid].card_code,
                    sid in members,
                    mark.status if mark is not None and live else None,
                    bool(mark and live and mark.charged),
                    left,
                    bool(mark and live and not mark.charged and mark.note == OWING_NOTE),
                    expired=left <= 0 < stranded,
                    low_balance=left <= low,
                    pay_after=sid in learn_first,
                )
            )
        return sorted(lines, key=lambda line: (not line.member, line.name))


def _pay_after_students(session: Session, student_ids: list[str], course_id: str) -> set[str]:
    """Students with an active 先学后付 contract for the course."""
    query = select(Contract.student_id).where(
        Contract.student_id.in_(student_ids),
        Contract.course_id == course_id,
        Contract.billing == Billing.PAY_AFTER,
        Contract.status == "active",
    )
    return {str(s) for s in session.scalars(query)}


def _ended_before(session: Session, contract_ids: list[str], day: date) -> set[str]:
    """Which of these contracts ended (培训期限) before ``day``: no lesson that day is charged to them."""
    if not contract_ids:
        return set()
    query = select(Contract.id).where(Contract.id.in_(contract_ids), Contract.end_date < day)
    return {str(c) for c in session.scalars(query)}
