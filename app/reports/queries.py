"""The SQL behind the statistics: aggregates only, grouped on indexed columns, never ORM objects.

Each query returns small per-session or per-(course, class) sums; the grouping by course, teacher and
campus happens afterwards in Python over those few thousand rows. This keeps every query on an index
(``ix_lesson_session_date_start``, the attendance ``(session_id, student_id)`` key, ``paid_at``, the
covering ``ix_attendance_contract_charged``) and keeps one month of a 1M-row database under 200 ms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, text

#: China has had no daylight saving time since 1991: a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def utc_bound(day: date) -> str:
    """The stored UTC text of local midnight starting ``day`` (the comparison key of instants)."""
    local = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass(frozen=True, slots=True)
class SessionSums:
    """One lesson session in the range with the sums of its attendance rows."""

    session_id: str
    klass_id: str
    teacher_id: str | None
    room_id: str | None
    held: bool
    expected: int
    attended: int
    units_x100: int
    amount_fen: int


@dataclass(frozen=True, slots=True)
class ClassSums:
    """A money figure summed per (course, class) of the contracts it belongs to."""

    course_id: str
    klass_id: str | None
    fen: int


_SESSIONS = text(
    """
    SELECT id, klass_id, teacher_id, room_id, status FROM lesson_session
    WHERE date >= :date_from AND date <= :date_to AND deleted_at IS NULL
    """
)

# Attendance of those sessions, grouped by session: the IN list walks the (session_id, student_id) key in
# order, so the GROUP BY needs no sorter. Each row still costs a table read for status/charged/units/fen;
# a covering index (session_id, status, charged, units_x100, amount_fen) would make this index-only.
_ATTENDANCE_BY_SESSION = text(
    """
    SELECT a.session_id, COUNT(*),
           SUM(a.status IN ('present','late','leave','absent')),
           SUM(a.status IN ('present','late')),
           SUM(CASE WHEN a.charged THEN a.units_x100 ELSE 0 END),
           SUM(CASE WHEN a.charged THEN a.amount_fen ELSE 0 END)
    FROM attendance AS a
    WHERE a.session_id IN (SELECT id FROM lesson_session WHERE date >= :date_from AND date <= :date_to)
    GROUP BY a.session_id
    """
)


def session_sums(conn: Connection, date_from: date, date_to: date) -> Iterator[SessionSums]:
    """Per session in the range: held?, expected and attending students, charged units and fen.

    A session counts as held when it is marked held or has any attendance row; cancelled ones never do.
    """
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    sums = {
        str(r[0]): tuple(int(v or 0) for v in r[1:]) for r in conn.execute(_ATTENDANCE_BY_SESSION, params)
    }
    for sid, kid, tid, rid, status in conn.execute(_SESSIONS, params):
        rows, expected, attended, units, fen = sums.get(str(sid), (0, 0, 0, 0, 0))
        held = status != "cancelled" and (status == "held" or rows > 0)
        yield SessionSums(str(sid), str(kid), tid, rid, held, expected, attended, units, fen)


_PAYMENTS = text(
    """
    SELECT c.course_id, c.klass_id, SUM(p.amount_fen)
    FROM payment AS p JOIN contract AS c ON c.id = p.contract_id
    WHERE p.paid_at >= :start AND p.paid_at < :end
    GROUP BY c.course_id, c.klass_id
    """
)

_REFUNDS = text(
    """
    SELECT c.course_id, c.klass_id, SUM(r.amount_fen)
    FROM refund AS r JOIN contract AS c ON c.id = r.contract_id
    WHERE r.created_at >= :start AND r.created_at < :end
    GROUP BY c.course_id, c.klass_id
    """
)

_CONSUMED_BY_CONTRACT = text(
    """
    SELECT contract_id, SUM(amount_fen) FROM attendance
    WHERE charged = 1 AND contract_id IS NOT NULL GROUP BY contract_id
    """
)

_CONSUMED_AFTER = text(
    """
    SELECT a.contract_id, SUM(a.amount_fen) FROM attendance AS a
    WHERE a.session_id IN (SELECT id FROM lesson_session WHERE date > :date_to)
      AND a.charged = 1 AND a.contract_id IS NOT NULL
    GROUP BY a.contract_id
    """
)

_CONTRACT_CLASSES = text("SELECT id, course_id, klass_id FROM contract")


def _class_sums(conn: Connection, query: object, params: dict[str, str]) -> list[ClassSums]:
    rows = conn.execute(query, params)  # type: ignore[call-overload]
    return [ClassSums(str(course), klass, int(fen or 0)) for course, klass, fen in rows]


def payments_between(conn: Connection, start: str, end: str) -> list[ClassSums]:
    """Money received in ``[start, end)`` (UTC text bounds), per (course, class) of its contract."""
    return _class_sums(conn, _PAYMENTS, {"start": start, "end": end})


def refunds_between(conn: Connection, start: str, end: str) -> list[ClassSums]:
    """Money refunded in ``[start, end)``, per (course, class) of its contract."""
    return _class_sums(conn, _REFUNDS, {"start": start, "end": end})


def consumed_until(conn: Connection, date_to: date) -> dict[tuple[str, str | None], int]:
    """Charged fen of lessons up to ``date_to`` per (course, class): everything minus later lessons.

    The whole-history sum per contract reads only the covering (contract_id, charged, units, fen) index;
    the lessons after ``date_to`` are usually few (reports ask about the past). Contracts are mapped to
    their course and class in Python: one pass over the contract table beats a join per contract.
    """
    per_contract: dict[str, int] = {
        str(cid): int(fen or 0) for cid, fen in conn.execute(_CONSUMED_BY_CONTRACT)
    }
    for cid, fen in conn.execute(_CONSUMED_AFTER, {"date_to": date_to.isoformat()}):
        per_contract[str(cid)] = per_contract.get(str(cid), 0) - int(fen or 0)
    total: dict[tuple[str, str | None], int] = {}
    for cid, course, klass in conn.execute(_CONTRACT_CLASSES):
        fen = per_contract.get(str(cid))
        if fen:
            key = (str(course), klass)
            total[key] = total.get(key, 0) + fen
    return total


@dataclass(frozen=True, slots=True)
class Names:
    """Labels and the class → course/teacher/campus map the grouping needs (a few thousand rows)."""

    courses: dict[str, str]
    staff: dict[str, str]
    campuses: dict[str, str]
    room_campus: dict[str, str]
    klass: dict[str, tuple[str, str | None, str | None]]  # id → (course_id, teacher_id, room_id)


def load_names(conn: Connection) -> Names:
    """Every course, staff member, campus, room and class (tombstoned ones too: history refers to them)."""

    def pairs(sql: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in conn.execute(text(sql))}

    klass = {
        str(kid): (str(cid), tid, rid)
        for kid, cid, tid, rid in conn.execute(text("SELECT id, course_id, teacher_id, room_id FROM klass"))
    }
    return Names(
        courses=pairs("SELECT id, name FROM course"),
        staff=pairs("SELECT id, name FROM staff"),
        campuses=pairs("SELECT id, name FROM campus"),
        room_campus=pairs("SELECT id, campus_id FROM room"),
        klass=klass,
    )
