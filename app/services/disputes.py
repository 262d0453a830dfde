"""消课异议: answer a parent's dispute of a charged lesson with the roll-call record, or reverse the charge.

Both are offline-first, like refusing a refund request (``app.services.inbox``): the answer is stored as a
``dispute_answer`` row in one local transaction with its audit entry, and the next sync sends it
(``sync.dispute_answers``) and records what the platform said.

* **The roll-call record** (``answer_with_roll_call``) is assembled from local data: who called the roll
  and when (the attendance row's ``marked_by``/``marked_at``), the lesson (date, time, course, class,
  teacher) and the class list of that lesson with each student's status. The parent reads it, so the other
  children's names are masked (``张**``). Only a dispute (``disputed``) whose window is still open may be
  answered this way: after the platform's deadline the dispute has gone to the regulator, and a lesson that
  was auto-confirmed has nothing to answer (``app.rules.confirmation_window``).
* **Reversing the charge** (``reverse_charge``, manager only) books a reversing ledger entry on the
  lesson's contract (``adjust``: the lesson's units and money back; the attendance row stays as the record
  of the roll call), with an id derived from the attendance, so a second reversal — here or on another
  desk — is refused. The platform then never releases the lesson's money to the institution, and takes it
  back if it already had (docs/sync.md, 消课异议).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.rules.confirmation_window import countdown
from app.services.ledger import book
from app.services.lookups import display_name
from app.services.pay_after import reverse_disputed_lesson
from localdb.codes import AnswerState, Billing, ConfirmationStatus, DisputeDecision
from localdb.ids import dispute_reversal_id
from localdb.models import (
    Attendance,
    Contract,
    Course,
    Klass,
    LedgerEntry,
    LessonSession,
    Staff,
    Student,
)
from localdb.models_platform import DisputeAnswer, PlatformInbox

MESSAGES: dict[str, str] = {
    "disputes.not_found": "消课确认不存在或已撤回",
    "disputes.not_disputed": "这节课的消课没有异议（状态为“{status_label}”），无需答复",
    "disputes.window_closed": "确认期限已于{deadline}结束（{outcome_label}），不能再答复",
    "disputes.already_answered": "该异议已答复（{state_label}），不能重复答复",
    "disputes.answer_too_late": "平台上该消课已是“{status_label}”，答复未生效",
    "disputes.not_reversible": "这节课的消课状态为“{status_label}”，不能撤销扣课",
    "disputes.already_reversed": "这节课的扣课已撤销过，不能重复撤销",
    "disputes.no_charge": "本机没有这节课的扣课记录，无法核对或撤销",
    "disputes.contract_closed": "这节课所在的合同已结束或已退费，不能撤销扣课",
    "disputes.text_too_long": "说明不能超过 {limit} 个字",
    "disputes.reversal_reason": "消课异议：撤销{lesson_date}{course}的扣课",
}
InstDeskError.register(MESSAGES)

#: the platform's own limit on an answer's text
TEXT_LIMIT = 2000
#: a dispute the platform takes answers for
DISPUTED = ConfirmationStatus.DISPUTED
ROLL_CALL, REVERSE = DisputeDecision.ROLL_CALL, DisputeDecision.REVERSE
#: the platform states in which the charge may be given back (not withdrawn, not already reversed)
REVERSIBLE = tuple(
    s for s in ConfirmationStatus if s not in (ConfirmationStatus.REVERSED, ConfirmationStatus.CANCELLED)
)
STATUS_LABELS: dict[str, str] = {
    ConfirmationStatus.PENDING: "待家长确认",
    ConfirmationStatus.DISPUTED: "家长有异议",
    ConfirmationStatus.ANSWERED: "已答复，待家长回应",
    ConfirmationStatus.ESCALATED: "已转监管部门",
    ConfirmationStatus.CONFIRMED: "家长已确认",
    ConfirmationStatus.AUTO_CONFIRMED: "逾期自动确认",
    ConfirmationStatus.REVERSED: "已撤销扣课",
    ConfirmationStatus.CANCELLED: "已撤回",
}
OUTCOME_LABELS = {
    ConfirmationStatus.AUTO_CONFIRMED: "已自动确认",
    ConfirmationStatus.ESCALATED: "已转监管部门",
}
ANSWER_STATE_LABELS = {AnswerState.PENDING: "待同步到平台", AnswerState.SENT: "平台已收到"}
#: answers that stand: waiting to be sent, or taken by the platform
STANDING = (AnswerState.PENDING, AnswerState.SENT)


@dataclass(frozen=True)
class AnswerResult:
    confirmation_id: str
    decision: DisputeDecision
    state: AnswerState
    record: dict[str, Any] | None = None
    ledger_entry_id: str | None = None


def _text(text: str | None) -> str | None:
    cleaned = (text or "").strip()
    if len(cleaned) > TEXT_LIMIT:
        raise ValidationError("disputes.text_too_long", limit=TEXT_LIMIT)
    return cleaned or None


def _confirmation(session: Session, confirmation_id: str) -> PlatformInbox:
    row = session.get(PlatformInbox, ("consumption_confirmation", confirmation_id))
    if row is None or row.deleted or row.status == "cancelled":
        raise NotFound("disputes.not_found", confirmation_id=confirmation_id)
    return row


def _label(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


def mask_name(name: str) -> str:
    """Another child's name as the parent may read it: the family name, the rest hidden."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else "*"


def roll_call_record(session: Session, attendance_id: str) -> dict[str, Any]:
    """The roll-call record of the lesson of ``attendance_id`` (the platform's ``RollCallRecord``)."""
    att = session.get(Attendance, attendance_id)
    if att is None:
        raise RuleViolation("disputes.no_charge")
    lesson = session.get(LessonSession, att.session_id)
    klass = session.get(Klass, lesson.klass_id) if lesson else None
    course = session.get(Course, klass.course_id) if klass else None
    teacher_id = (lesson.teacher_id if lesson else None) or (klass.teacher_id if klass else None)
    teacher = session.get(Staff, teacher_id) if teacher_id else None
    rows = session.execute(
        select(Attendance.student_id, Attendance.status, Student.name)
        .join(Student, Student.id == Attendance.student_id)
        .where(
            Attendance.session_id == att.session_id,
            Attendance.undone.is_(False),
        )
        .order_by(Student.name, Attendance.student_id)
    ).all()
    class_list = [
        {
            "name": name if sid == att.student_id else mask_name(name),
            "status": status,
            "disputed": sid == att.student_id,
        }
        for sid, status, name in rows
    ]
    return {
        "lesson_date": lesson.date.isoformat() if lesson else att.marked_at.date().isoformat(),
        "lesson_time": f"{lesson.start_time}-{lesson.end_time}" if lesson else None,
        "course_name": course.name if course else "",
        "class_name": klass.name if klass else None,
        "teacher_name": teacher.name if teacher else None,
        "called_by": display_name(session, att.marked_by) or (att.marked_by or ""),
        "called_at": _iso_utc(att.marked_at),
        "student_status": att.status,
        "units": f"{Decimal(att.units).normalize():f}",
        "class_list": class_list,
    }


def _iso_utc(when: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, to the second (what the platform's record carries)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _for_an_earlier_dispute(answer: DisputeAnswer, row: PlatformInbox) -> bool:
    """A roll-call answer the platform settled, while its row is disputed again with no answer on it: the
    lesson was withdrawn, charged and disputed anew (the platform starts the new charge afresh)."""
    if answer.decision != ROLL_CALL or answer.state != AnswerState.SENT or row.status != DISPUTED:
        return False
    payload = json.loads(row.payload or "{}")
    return isinstance(payload, dict) and payload.get("answer_kind") is None


def _standing_answer(answer: DisputeAnswer | None, row: PlatformInbox) -> None:
    if answer is None or _for_an_earlier_dispute(answer, row):
        return
    if answer.decision == REVERSE:
        raise RuleViolation("disputes.already_reversed")
    if answer.state in STANDING:
        raise RuleViolation(
            "disputes.already_answered", state=answer.state, state_label=ANSWER_STATE_LABELS[answer.state]
        )
    if answer.state == AnswerState.CONFLICT:
        status = answer.server_status or ""
        raise RuleViolation("disputes.answer_too_late", status=status, status_label=_label(status))


def answer_with_roll_call(
    db: Database, actor: Actor, confirmation_id: str, text: str | None = None, now: datetime | None = None
) -> AnswerResult:
    """Answer an open dispute with the lesson's roll-call record; sent to the platform by the next sync."""
    require(actor, Permission.ROLL_CALL)
    note = _text(text)
    moment = now or now_utc()
    with db.transaction() as session:
        row = _confirmation(session, confirmation_id)
        if row.status != DISPUTED:
            raise RuleViolation(
                "disputes.not_disputed", status=row.status or "", status_label=_label(row.status)
            )
        left = countdown(row.status, row.deadline, moment)
        if left is not None and left.phase == "closed":
            raise RuleViolation(
                "disputes.window_closed",
                deadline=str(row.deadline),
                outcome=left.outcome,
                outcome_label=OUTCOME_LABELS[left.outcome],
            )
        answer = session.get(DisputeAnswer, confirmation_id)
        _standing_answer(answer, row)
        record = roll_call_record(session, str(row.related_id))
        answer = _fresh_answer(session, answer, confirmation_id, str(row.related_id), actor, moment)
        answer.decision, answer.text, answer.record = (
            ROLL_CALL,
            note,
            json.dumps(record, ensure_ascii=False),
        )
        audit(session, actor, "disputes.answer", "consumption_confirmation", confirmation_id, text=note)
        return AnswerResult(confirmation_id, ROLL_CALL, AnswerState.PENDING, record=record)


def _fresh_answer(
    session: Session,
    answer: DisputeAnswer | None,
    confirmation_id: str,
    attendance_id: str,
    actor: Actor,
    moment: datetime,
) -> DisputeAnswer:
    if answer is None:
        answer = DisputeAnswer(
            confirmation_id=confirmation_id, attendance_id=attendance_id, decision=ROLL_CALL
        )
        session.add(answer)
    answer.state, answer.attempts, answer.last_error, answer.server_status = (
        AnswerState.PENDING,
        0,
        None,
        None,
    )
    answer.record, answer.ledger_entry_id, answer.settled_at = None, None, None
    answer.created_by, answer.created_at = actor.username, moment
    return answer


def reverse_charge(
    db: Database, actor: Actor, confirmation_id: str, text: str | None = None, now: datetime | None = None
) -> AnswerResult:
    """Give a disputed lesson's charge back: a reversing ledger entry here, ``reverse`` to the platform."""
    require(actor, Permission.CORRECT_LEDGER)
    note = _text(text)
    moment = now or now_utc()
    owed = _pay_after_lesson(db, confirmation_id)
    if owed is not None:
        # nothing was taken from a package: what the family owes for the lesson is withdrawn instead
        attendance_id, reason = owed
        reverse_disputed_lesson(db, actor, attendance_id, note or reason)
        return AnswerResult(confirmation_id, REVERSE, AnswerState.PENDING)
    with db.transaction() as session:
        row = _confirmation(session, confirmation_id)
        if row.status not in REVERSIBLE:
            if row.status == "reversed":
                raise RuleViolation("disputes.already_reversed")
            raise RuleViolation(
                "disputes.not_reversible", status=row.status or "", status_label=_label(row.status)
            )
        answer = session.get(DisputeAnswer, confirmation_id)
        if answer is not None and answer.decision == REVERSE:
            raise RuleViolation("disputes.already_reversed")
        attendance_id = str(row.related_id)
        entry_id = dispute_reversal_id(attendance_id)
        if session.get(LedgerEntry, entry_id) is not None:
            raise RuleViolation("disputes.already_reversed")
        att = session.get(Attendance, attendance_id)
        if att is None or not att.charged or att.contract_id is None:
            raise RuleViolation("disputes.no_charge")
        contract = session.get(Contract, att.contract_id)
        if contract is None or contract.status != "active":
            raise RuleViolation("disputes.contract_closed")
        reason = _reversal_reason(session, att)
        units = Decimal(att.units)
        entry = book(
            session, actor, contract, "adjust", units, att.amount_fen, reason, check=False, entry_id=entry_id
        )
        answer = _fresh_answer(session, answer, confirmation_id, attendance_id, actor, moment)
        answer.decision, answer.text, answer.ledger_entry_id = REVERSE, note or reason, entry.id
        audit(
            session,
            actor,
            "disputes.reverse",
            "consumption_confirmation",
            confirmation_id,
            ledger_entry_id=entry.id,
            units=str(att.units),
            amount_fen=att.amount_fen,
        )
        return AnswerResult(confirmation_id, REVERSE, AnswerState.PENDING, ledger_entry_id=entry.id)


def _pay_after_lesson(db: Database, confirmation_id: str) -> tuple[str, str] | None:
    """(attendance id, reason) when the disputed lesson is a charged 先学后付 one, else None."""
    with db.reading() as session:
        row = _confirmation(session, confirmation_id)
        att = session.get(Attendance, str(row.related_id))
        if att is None or not att.charged or att.contract_id is None:
            return None
        contract = session.get(Contract, att.contract_id)
        if contract is None or contract.billing != Billing.PAY_AFTER:
            return None
        return att.id, _reversal_reason(session, att)


def _reversal_reason(session: Session, att: Attendance) -> str:
    lesson = session.get(LessonSession, att.session_id)
    klass = session.get(Klass, lesson.klass_id) if lesson else None
    course = session.get(Course, klass.course_id) if klass else None
    day = lesson.date.isoformat() if lesson else ""
    template = InstDeskError.messages["disputes.reversal_reason"]
    return template.format(lesson_date=day, course=course.name if course else "")


def preview_roll_call(db: Database, actor: Actor, confirmation_id: str) -> dict[str, Any]:
    """The roll-call record an answer would send, for the desk to read before sending it."""
    require(actor, Permission.SYNC)
    with db.reading() as session:
        row = _confirmation(session, confirmation_id)
        return roll_call_record(session, str(row.related_id))
