"""先学后付 on the platform's parent side: what a family owes per lesson, and paying it (simulated).

The desk pushes ``receivable_entry`` rows (a lesson owed, its reversal, payments against it); a parent
pays here, and the platform writes an ``owed_payment`` and one 'payment' entry per lesson it pays, which
flow down to the desk like any platform-made row. Nothing is prepaid, so nothing goes into escrow.
Amounts owed are read under the institution's counter lock (``Emitter``), so two payments of the same
lessons cannot both pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import iso_utc
from platform_server.errors import ApiError, NotFound
from platform_server.feed import Emitter
from platform_server.ids import new_row_id
from platform_server.models import EntityRow
from platform_server.runtime import Runtime
from platform_server.schemas_platform import OwedPaymentIn
from platform_server.scope import InstitutionScope, scoped


class Overpayment(ApiError):
    status = 422
    code = "overpayment"
    message = "付款金额超过所欠课费 / The amount is more than is owed on these lessons"


@dataclass
class _Lesson:
    entry_id: str
    payload: dict[str, Any]
    owed: int


def _lessons(session: Session, scope: InstitutionScope, student_id: str) -> list[_Lesson]:
    """The student's lesson entries with what is still owed on each, oldest first."""
    with scoped(session, scope):
        rows = session.scalars(
            select(EntityRow).where(
                EntityRow.entity == "receivable_entry",
                EntityRow.deleted.is_(False),
                EntityRow.payload["student_id"].as_string() == student_id,
            )
        ).all()
    net: dict[str, int] = {}
    lessons: dict[str, dict[str, Any]] = {}
    for row in rows:
        payload = row.payload
        amount = payload.get("amount_fen")
        key = payload.get("lesson_entry_id") or row.entity_id
        net[str(key)] = net.get(str(key), 0) + (amount if isinstance(amount, int) else 0)
        if payload.get("kind") == "lesson":
            lessons[row.entity_id] = payload
    found = [_Lesson(eid, p, net.get(eid, 0)) for eid, p in lessons.items()]
    found.sort(key=lambda lesson: (str(lesson.payload.get("lesson_date") or ""), lesson.entry_id))
    return found


def owed_lessons(session: Session, scope: InstitutionScope, student_id: str) -> list[dict[str, Any]]:
    """What the family of ``student_id`` owes, per lesson (404: no such student at this institution)."""
    _student(session, scope, student_id)
    return [_out(lesson) for lesson in _lessons(session, scope, student_id) if lesson.owed > 0]


def _out(lesson: _Lesson) -> dict[str, Any]:
    p = lesson.payload
    amount = p.get("amount_fen")
    return {
        "lesson_entry_id": lesson.entry_id,
        "contract_id": p.get("contract_id"),
        "course_id": p.get("course_id"),
        "lesson_date": p.get("lesson_date"),
        "amount_fen": amount if isinstance(amount, int) else 0,
        "owed_fen": lesson.owed,
    }


def _student(session: Session, scope: InstitutionScope, student_id: str) -> None:
    with scoped(session, scope):
        found = session.scalar(
            select(EntityRow.id).where(
                EntityRow.entity == "student",
                EntityRow.entity_id == student_id,
                EntityRow.deleted.is_(False),
            )
        )
    if found is None:
        raise NotFound("学员不存在 / Unknown student")


def pay(
    session: Session, rt: Runtime, scope: InstitutionScope, student_id: str, body: OwedPaymentIn
) -> dict[str, Any]:
    """The parent pays: the chosen lessons (or the oldest first); more than they owe is refused."""
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())  # locks the institution
    _student(session, scope, student_id)
    open_lessons = [lesson for lesson in _lessons(session, scope, student_id) if lesson.owed > 0]
    all_owed = sum(lesson.owed for lesson in open_lessons)
    if body.lesson_entry_ids:
        wanted = set(body.lesson_entry_ids)
        if wanted - {lesson.entry_id for lesson in open_lessons}:
            raise NotFound("所选课次不是待付的课 / A chosen lesson is not owed")
        open_lessons = [lesson for lesson in open_lessons if lesson.entry_id in wanted]
    owed = sum(lesson.owed for lesson in open_lessons)
    if body.amount_fen > owed:
        raise Overpayment(owed_fen=owed)
    now = iso_utc(rt.clock.now())
    payment_id = new_row_id()
    receipt_no = f"PT-{payment_id[:36]}"
    payment = {
        "id": payment_id, "receipt_no": receipt_no, "student_id": student_id, "amount_fen": body.amount_fen,
        "method": "platform", "source": "platform", "channel": body.channel, "paid_at": now,
        "note": f"平台家长端付款,支付渠道 {body.channel}",
    }  # fmt: skip
    emitter.put(emitter.new("owed_payment", payment_id), "insert", payment, None)
    left, paid = body.amount_fen, []
    for lesson in open_lessons:
        if left <= 0:
            break
        part = min(left, lesson.owed)
        left -= part
        entry_id = new_row_id()
        p = lesson.payload
        entry = {
            "id": entry_id, "student_id": student_id, "contract_id": p.get("contract_id"),
            "course_id": p.get("course_id"), "kind": "payment", "amount_fen": -part,
            "lesson_date": p.get("lesson_date"), "lesson_entry_id": lesson.entry_id, "payment_id": payment_id,
            "reason": receipt_no, "created_by": "platform", "created_at": now,
        }  # fmt: skip
        emitter.put(emitter.new("receivable_entry", entry_id), "insert", entry, None)
        paid.append({"lesson_entry_id": lesson.entry_id, "amount_fen": part})
    emitter.flush()
    return {
        "payment_id": payment_id,
        "receipt_no": receipt_no,
        "amount_fen": body.amount_fen,
        "paid": paid,
        "still_owed_fen": all_owed - body.amount_fen,
    }
