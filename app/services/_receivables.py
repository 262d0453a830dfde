"""The 先学后付 side of a roll call: which contracts are paid after learning, and the receivable entries.

A charged lesson of a pay-after contract is owed, not taken from a package (docs/pay_after.md). The
attendance row stays the state of the lesson (charged, units, amount, the contract); the receivable
ledger follows it with append-only entries: a 'lesson' entry when the lesson becomes owed, a 'reverse'
entry when it stops being owed (undo, a status that is not charged, a dispute reversed) or its amount
changes. Entry ids are derived from the attendance row (UUIDv5), so two desks marking the same lesson
write the same entry. A lesson that has been paid (in part) is not reversed: the payment would have to be
given back first, which this module refuses with ``owed.lesson_paid``.

Runs on the roll call's sqlite3 connection, inside its transaction (``Database.write_transaction``).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.errors import InstDeskError, RuleViolation
from app.money import prorate
from app.services.attendance_plan import RowState
from localdb.codes import AttendanceStatus
from localdb.ids import PROJECT_NAMESPACE

MESSAGES: dict[str, str] = {
    "owed.lesson_paid": "学员{name}这节课的课费已付款，不能撤销或冲正；请先办理该笔付款的退还",
    "rollcall.pay_after_ended": "学员{name}的先学后付合同已于{end_date}到期，{lesson_date}的课不能再计费",
}
InstDeskError.register(MESSAGES)

LESSON_REASON = "点名计费"
UNDO_REASON = "撤销点名"
CHANGE_REASON = "考勤更改"


@dataclass(frozen=True)
class PayAfterContract:
    """An active 先学后付 contract of a student for the session's course."""

    contract_id: str
    price_fen: int
    end_date: date | None

    def valid_on(self, day: date) -> bool:
        return self.end_date is None or day <= self.end_date


@dataclass(frozen=True)
class OpenLesson:
    """A lesson entry not reversed, with what has been paid against it (≤ 0)."""

    entry_id: str
    attendance_id: str
    contract_id: str
    amount_fen: int
    paid_fen: int


_PAY_AFTER = """
SELECT id, student_id, lesson_price_fen, end_date FROM contract
WHERE student_id IN (SELECT value FROM json_each(:ids)) AND course_id = :course AND status = 'active'
  AND billing = 'pay_after'
ORDER BY student_id, signed_at, id
"""

_OPEN = """
SELECT e.id, e.attendance_id, e.contract_id, e.amount_fen,
  (SELECT coalesce(sum(p.amount_fen), 0) FROM receivable_entry p
   WHERE p.lesson_entry_id = e.id AND p.kind = 'payment')
FROM receivable_entry e
WHERE e.kind = 'lesson' AND e.attendance_id IN (SELECT value FROM json_each(?))
  AND NOT EXISTS (SELECT 1 FROM receivable_entry r WHERE r.lesson_entry_id = e.id AND r.kind = 'reverse')
"""

_COUNTS = """
SELECT attendance_id, count(*) FROM receivable_entry
WHERE kind = 'lesson' AND attendance_id IN (SELECT value FROM json_each(?)) GROUP BY attendance_id
"""

_INSERT = (
    "INSERT INTO receivable_entry (id, student_id, contract_id, course_id, kind, amount_fen, lesson_date, "
    "attendance_id, lesson_entry_id, payment_id, reason, created_by, version, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, ?, ?)"
)


def pay_after_contracts(
    conn: sqlite3.Connection, course_id: str, student_ids: Collection[str]
) -> dict[str, list[PayAfterContract]]:
    """Active 先学后付 contracts of the students for the course, oldest first (one query)."""
    found: dict[str, list[PayAfterContract]] = defaultdict(list)
    params = {"ids": json.dumps(list(student_ids)), "course": course_id}
    for cid, sid, price, end in conn.execute(_PAY_AFTER, params):
        ends = date.fromisoformat(end) if end else None
        found[str(sid)].append(PayAfterContract(str(cid), int(price or 0), ends))
    return found


def lesson_fee(price_fen: int, units: Decimal, lesson_units: Decimal) -> int:
    """The fee of a lesson of ``units`` 课时 at ``price_fen`` per standard lesson of ``lesson_units``."""
    if lesson_units <= 0 or units <= 0:
        return 0
    return prorate(price_fen, units, lesson_units)


def pay_after_state(
    status: AttendanceStatus, charged: bool, contracts: Sequence[PayAfterContract], day: date, units: Decimal,
    lesson_units: Decimal, note: str | None, name: str,
) -> RowState:  # fmt: skip
    """The row of a student who learns first and pays after: charged lessons owe the agreed price."""
    if not charged:
        return RowState(status, False, Decimal(0), 0, None, note)
    valid = [c for c in contracts if c.valid_on(day)]
    if not valid:
        last = max(contracts, key=lambda c: c.end_date or day)
        raise RuleViolation("rollcall.pay_after_ended", name=name, end_date=last.end_date, lesson_date=day)
    contract = valid[0]
    return RowState(
        status, True, units, lesson_fee(contract.price_fen, units, lesson_units), contract.contract_id, note
    )


@dataclass(frozen=True)
class LessonChange:
    """One attendance row whose state this transaction writes, with what the receivable needs."""

    attendance_id: str
    student_id: str
    state: RowState
    name: str


def _entry_id(key: str) -> str:
    return str(uuid.uuid5(PROJECT_NAMESPACE, f"receivable_entry/{key}"))


@dataclass(frozen=True)
class _Lesson:
    """What every entry of one reconciliation shares."""

    course_id: str
    lesson_date: date
    username: str
    now: str

    def row(
        self, entry_id: str, change: LessonChange, contract_id: str | None, kind: str, amount: int,
        lesson_entry_id: str | None, reason: str,
    ) -> tuple[object, ...]:  # fmt: skip
        day = self.lesson_date.isoformat()
        return (
            entry_id, change.student_id, contract_id, self.course_id, kind, amount, day, change.attendance_id,
            lesson_entry_id, reason, self.username, self.now, self.now,
        )  # fmt: skip


def _open_lessons(conn: sqlite3.Connection, atts: str) -> dict[str, OpenLesson]:
    rows = conn.execute(_OPEN, (atts,))
    return {str(r[1]): OpenLesson(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4])) for r in rows}


def reconcile(
    conn: sqlite3.Connection,
    changes: Sequence[LessonChange],
    pay_after_ids: Collection[str],
    course_id: str,
    lesson_date: date,
    username: str,
    now: str,
    reason: str | None = None,
) -> int:
    """Bring the receivable ledger in line with the rows' new states; returns the entries written.

    ``pay_after_ids``: the contracts of this lesson that are paid after learning (a charged row on one of
    them is owed).
    """
    if not changes:
        return 0
    atts = json.dumps([c.attendance_id for c in changes])
    open_by_att = _open_lessons(conn, atts)
    if not open_by_att and not any(c.state.charged and c.state.contract_id in pay_after_ids for c in changes):
        return 0  # the usual roll call of a prepaid course: nothing owed before or after
    counts = {str(a): int(n) for a, n in conn.execute(_COUNTS, (atts,))}
    lesson = _Lesson(course_id, lesson_date, username, now)
    rows: list[tuple[object, ...]] = []
    for change in changes:
        state, old = change.state, open_by_att.get(change.attendance_id)
        want = state.charged and state.contract_id in pay_after_ids
        same = old is not None and (old.contract_id, old.amount_fen) == (state.contract_id, state.amount_fen)
        if old is not None and not (want and same):
            if old.paid_fen != 0:
                raise RuleViolation("owed.lesson_paid", name=change.name, student_id=change.student_id)
            why = reason or (CHANGE_REASON if want else UNDO_REASON)
            rid = _entry_id(f"{old.entry_id}/reverse")
            rows.append(
                lesson.row(rid, change, old.contract_id, "reverse", -old.amount_fen, old.entry_id, why)
            )
            old = None
        if want and old is None and state.amount_fen > 0:
            n = counts.get(change.attendance_id, 0)
            counts[change.attendance_id] = n + 1
            lid = _entry_id(f"{change.attendance_id}/{n}")
            rows.append(
                lesson.row(lid, change, state.contract_id, "lesson", state.amount_fen, None, LESSON_REASON)
            )
    if rows:
        conn.executemany(_INSERT, rows)
    return len(rows)
