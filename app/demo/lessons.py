"""The lesson pass: attendance for every held session in date order, then make-ups and refunds.

Attendance is the big table (≈20 rows per student), so its rows are produced as plain tuples in date
order — the order a real desk writes them, which also keeps one month's rows close together on disk for
the statistics — and written in large batches by the caller. The id of each row is the deterministic
``attendance_id(session, student)`` every desk derives. Charged rows draw from the contract that covers
the day; a leave is uncharged and opens a make-up entitlement. Refunds are quoted with the same
``compute_refund`` the refund screen uses, from what was consumed by the refund day.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from app.demo import catalog
from app.demo.enrolment import ContractPlan, MemberPlan
from app.demo.people import Row, SeededIds, local_noon
from app.demo.school import ClassPlan
from app.rules.refund import RefundTerms, compute_refund
from localdb.ids import PROJECT_NAMESPACE
from localdb.types import format_utc

ATTENDANCE_COLUMNS = (
    "id",
    "session_id",
    "student_id",
    "status",
    "charged",
    "units_x100",
    "amount_fen",
    "contract_id",
    "marked_at",
    "marked_by",
    "version",
    "created_at",
    "updated_at",
)
_CUMULATIVE = [
    (s, sum(w for _, w in catalog.ATTENDANCE_ODDS[: i + 1]))
    for i, (s, _) in enumerate(catalog.ATTENDANCE_ODDS)
]
Attendance = tuple[object, ...]


@dataclass
class LessonCounts:
    """What the pass produced besides the rows: the count and the leaves (for make-up entitlements)."""

    attendance: int = 0
    leaves: list[tuple[str, str, str, date]] = field(default_factory=list)


class AttendanceIds:
    """``localdb.ids.attendance_id`` for many students of one session, hashing the shared prefix once.

    Same bytes as ``uuid5(PROJECT_NAMESPACE, "attendance/<session>/<student>")`` (a test compares them);
    ``uuid.uuid5`` builds three UUID objects per call, which costs seconds over a million rows.
    """

    def __init__(self, session_id: str) -> None:
        self._prefix = hashlib.sha1(PROJECT_NAMESPACE.bytes, usedforsecurity=False)
        self._prefix.update(f"attendance/{session_id.lower()}/".encode())

    def id(self, student_id: str) -> str:
        digest = self._prefix.copy()
        digest.update(student_id.lower().encode())
        raw = bytearray(digest.digest()[:16])
        raw[6] = (raw[6] & 0x0F) | 0x50
        raw[8] = (raw[8] & 0x3F) | 0x80
        h = raw.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _marked_at(day: date, end: str) -> str:
    """The end of the lesson (local) as stored UTC text: roll call is taken as the lesson ends."""
    hours, minutes = (int(p) for p in end.split(":"))
    local = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC) - timedelta(hours=8)
    return format_utc(local)


def _draw(rng: random.Random) -> str:
    """One outcome by the catalog's odds (a cumulative table: ``choices`` is 5x slower per call)."""
    r = rng.random()
    for status, bound in _CUMULATIVE:
        if r < bound:
            return status
    return _CUMULATIVE[-1][0]


def _status(rng: random.Random, contract: ContractPlan) -> str:
    status = _draw(rng)
    if status == "leave":
        if contract.leaves >= catalog.MAX_LEAVES_PER_CONTRACT:
            return "present"
        contract.leaves += 1
    return status


def _row(
    att_id: str, session: str, member: MemberPlan, contract: ContractPlan, status: str, stamp: str
) -> Attendance:
    charged = status != "leave"
    units = catalog.UNITS_PER_LESSON if charged else 0
    if charged:
        contract.charged_units += units
    amount = contract.fen_per_lesson if charged else 0
    return (
        att_id,
        session,
        member.student_id,
        status,
        int(charged),
        units * 100,
        amount,
        contract.id,
        stamp,
        "demo",
        0,
        stamp,
        stamp,
    )


def _sessions_in_order(classes: list[ClassPlan]) -> list[tuple[date, str, str, ClassPlan]]:
    events = [(day, klass.start, sid, klass) for klass in classes for sid, day in klass.sessions]
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return events


def attendance_rows(
    rng: random.Random, classes: list[ClassPlan], members: list[MemberPlan], counts: LessonCounts
) -> Iterator[Attendance]:
    """Every attendance row, in lesson date order (leaves are counted in ``counts``)."""
    by_class: dict[str, list[MemberPlan]] = {}
    for member in members:
        if member.contracts:
            by_class.setdefault(member.klass.id, []).append(member)
    for day, _, sid, klass in _sessions_in_order(classes):
        stamp = _marked_at(day, klass.end)
        ids_of = AttendanceIds(sid)
        for member in by_class.get(klass.id, ()):
            if day < member.joined or (member.refund_on is not None and day >= member.refund_on):
                continue
            contract = member.contract_on(day)
            if contract is None:
                continue
            status = _status(rng, contract)
            counts.attendance += 1
            row = _row(ids_of.id(member.student_id), sid, member, contract, status, stamp)
            if status == "leave":
                counts.leaves.append((str(row[0]), member.student_id, klass.course_id, day))
            yield row


def makeup_rows(ids: SeededIds, leaves: list[tuple[str, str, str, date]]) -> list[Row]:
    """One open make-up entitlement per leave: (attendance id, student, course, lesson day)."""
    rows: list[Row] = []
    for att_id, student, course, day in leaves:
        when = local_noon(day) + timedelta(hours=10)
        rows.append(
            {
                "id": ids.next(),
                "student_id": student,
                "course_id": course,
                "source_attendance_id": att_id,
                "status": "open",
                "expires_on": day + timedelta(days=90),
                "created_at": when,
                "updated_at": when,
            }
        )
    return rows


def refund_rows(ids: SeededIds, members: list[MemberPlan]) -> dict[str, list[Row]]:
    """Refund decisions and their ledger entries for the members who left with a refund."""
    rows: dict[str, list[Row]] = {"refund": [], "ledger_entry": []}
    for member in members:
        if member.refund_on is None:
            continue
        contract = member.contracts[-1]
        quote = compute_refund(
            RefundTerms(
                fee_fen=contract.fee_fen,
                bought_units=Decimal(contract.units),
                gift_units=Decimal(0),
                consumed_units=Decimal(contract.charged_units),
                start_date=contract.start,
                request_date=member.refund_on,
                full_refund_days_before_start=None,
                full_refund_days_after_start=None,
                full_refund_units_after_start=None,
                already_refunded_fen=0,
            )
        )
        when = local_noon(member.refund_on)
        stamp = {"created_at": when, "updated_at": when}
        base = {"contract_id": contract.id, "student_id": member.student_id}
        rows["refund"].append(
            {
                "id": ids.next(),
                **base,
                "units_x100": quote.units,
                "amount_fen": quote.amount_fen,
                "reason": "家长申请退费",
                "source": "desk",
                "created_by": "demo",
                **stamp,
            }
        )
        rows["ledger_entry"].append(
            {
                "id": ids.next(),
                **base,
                "course_id": contract.klass.course_id,
                "kind": "refund",
                "units_x100": -(quote.units + quote.forfeited_units),
                "amount_fen": -quote.amount_fen,
                "reason": "退费",
                "created_by": "demo",
                **stamp,
            }
        )
    return rows
