"""The SQL behind the statistics: reads of the trigger-maintained summaries, never of the raw rows.

The attendance, payment, refund and contract rows stay the truth (docs/architecture.md); the statistics
read the local-only caches of ``localdb.summaries``, which triggers keep exact and ``instdesk check``
verifies against a recomputation:

* lessons: the range's sessions (``ix_lesson_session_date_cover``, index-only) joined to ``session_tally``
  (one small row per session), summed per (class, teacher, room);
* money in the range and prepaid outstanding as of ``date_to`` (all history): whole months from
  ``money_month``, the partial months at either end from ``money_day`` — a few thousand small rows
  whatever the history's length.

The grouping by course, teacher and campus happens afterwards in Python over those rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, text

from localdb.cipher import driver_connection

#: China has had no daylight saving time since 1991: a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def utc_bound(day: date) -> str:
    """The stored UTC text of local midnight starting ``day`` (the comparison key of instants)."""
    local = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


@dataclass(frozen=True, slots=True)
class SessionSums:
    """The range's lessons of one (class, teacher, room) with the sums of their attendance rows.

    ``teacher_id`` and ``room_id`` are the sessions' own (None: the class's applies); ``held`` counts the
    sessions marked held or with any attendance row, never cancelled ones.
    """

    klass_id: str
    teacher_id: str | None
    room_id: str | None
    held: int
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


def _fetch(conn: Connection, sql: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the driver (thousands of rows: no per-row result objects)."""
    return list(driver_connection(conn).execute(sql, params).fetchall())


SESSIONS = """
SELECT s.klass_id, s.teacher_id, s.room_id,
       s.status <> 'cancelled' AND (s.status = 'held' OR COALESCE(t.n_rows, 0) > 0),
       COALESCE(t.expected, 0), COALESCE(t.attended, 0), COALESCE(t.units_x100, 0), COALESCE(t.fen, 0)
FROM lesson_session AS s LEFT JOIN session_tally AS t ON t.session_id = s.id
WHERE s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
"""


def session_sums(conn: Connection, date_from: date, date_to: date) -> list[SessionSums]:
    """The range's sessions (``ix_lesson_session_date_cover`` ⋈ ``session_tally``), summed per (class,
    teacher, room): everything the grouping by course, teacher and campus needs."""
    params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    acc: dict[tuple[str, str | None, str | None], list[int]] = {}
    for kid, tid, rid, held, expected, attended, units, fen in _fetch(conn, SESSIONS, params):
        sums = acc.get((kid, tid, rid))
        if sums is None:
            acc[(kid, tid, rid)] = [int(held), expected, attended, units, fen]
        else:
            sums[0] += held
            sums[1] += expected
            sums[2] += attended
            sums[3] += units
            sums[4] += fen
    return [SessionSums(str(k), t, r, *v) for (k, t, r), v in acc.items()]


_MONEY_COLUMNS = "course_id, klass_id, paid_n, paid_fen, refund_n, refund_fen, consumed_fen"


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _cut(date_to: date) -> date:
    """First day not covered by whole months up to ``date_to``: the 1st of its month, or the next month's
    1st when ``date_to`` is its month's last day."""
    after = date_to + timedelta(days=1)
    return after if after.day == 1 else date_to.replace(day=1)


def money_pieces(date_from: date | None, date_to: date) -> tuple[str, dict[str, str]]:
    """SQL reading ``[date_from, date_to]`` (None: all history) from the fewest summary rows: whole months
    from ``money_month``, the partial months at either end from ``money_day``."""
    parts: list[str] = []
    params: dict[str, str] = {}
    cut = _cut(date_to)
    if date_from is None:
        start, month_lo = None, ""  # '' also takes lessons whose session row is missing
    elif date_from.day != 1:
        head_end = min(date_to, _first_of_next_month(date_from) - timedelta(days=1))
        parts.append(f"SELECT {_MONEY_COLUMNS} FROM money_day WHERE day >= :h0 AND day <= :h1")
        params |= {"h0": date_from.isoformat(), "h1": head_end.isoformat()}
        start = _first_of_next_month(date_from)
        month_lo = start.isoformat()[:7]
    else:
        start, month_lo = date_from, date_from.isoformat()[:7]
    if start is None or start < cut:
        parts.append(f"SELECT {_MONEY_COLUMNS} FROM money_month WHERE month >= :m0 AND month < :m1")
        params |= {"m0": month_lo, "m1": cut.isoformat()[:7]}
    tail_start = cut if start is None else max(cut, start)
    if tail_start <= date_to:
        parts.append(f"SELECT {_MONEY_COLUMNS} FROM money_day WHERE day >= :t0 AND day <= :t1")
        params |= {"t0": tail_start.isoformat(), "t1": date_to.isoformat()}
    return "\nUNION ALL\n".join(parts) or f"SELECT {_MONEY_COLUMNS} FROM money_day WHERE 0", params


def _money_sums(conn: Connection, date_from: date | None, date_to: date) -> dict[tuple[str, str], list[int]]:
    """(course, class) → [payments, paid fen, refunds, refunded fen, consumed fen] over the span."""
    sql, params = money_pieces(date_from, date_to)
    acc: dict[tuple[str, str], list[int]] = {}
    for course, klass, pn, pf, rn, rf, cf in _fetch(conn, sql, params):
        sums = acc.get((course, klass))
        if sums is None:
            acc[(course, klass)] = [pn, pf, rn, rf, cf]
        else:
            sums[0] += pn
            sums[1] += pf
            sums[2] += rn
            sums[3] += rf
            sums[4] += cf
    return acc


@dataclass(frozen=True, slots=True)
class Money:
    """The money figures per (course, class): each list holds only the classes the figure concerns."""

    payments: list[ClassSums]
    refunds: list[ClassSums]
    outstanding: list[ClassSums]


def money(conn: Connection, date_from: date, date_to: date) -> Money:
    """Payments and refunds in ``[date_from, date_to]`` (local days) and the prepaid balance outstanding
    as of ``date_to`` (payments − refunds − consumption up to then), per (course, class) of the contract.

    A class takes part in a figure when it has a payment (or refund) in the span, or non-zero consumption.
    """
    payments: list[ClassSums] = []
    refunds: list[ClassSums] = []
    for (course, klass), (pn, pf, rn, rf, _) in _money_sums(conn, date_from, date_to).items():
        if pn:
            payments.append(ClassSums(str(course), klass or None, pf))
        if rn:
            refunds.append(ClassSums(str(course), klass or None, rf))
    outstanding: list[ClassSums] = []
    for (course, klass), (pn, pf, rn, rf, cf) in _money_sums(conn, None, date_to).items():
        if pn or rn or cf:
            fen = (pf if pn else 0) - (rf if rn else 0) - cf
            outstanding.append(ClassSums(str(course), klass or None, fen))
    return Money(payments, refunds, outstanding)


#: 先学后付 lessons (docs/pay_after.md) are in the summaries' 课消 like any charged lesson; the statistics
#: report them apart, read from the few pay-after contracts (partial index ``ix_contract_pay_after``)
PAY_AFTER_LESSONS = """
SELECT s.klass_id, s.teacher_id, s.room_id, sum(a.units_x100), sum(a.amount_fen)
FROM contract c INDEXED BY ix_contract_pay_after
JOIN attendance a ON a.contract_id = c.id AND a.charged = 1
JOIN lesson_session s ON s.id = a.session_id
WHERE c.billing = 'pay_after' AND s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
GROUP BY s.klass_id, s.teacher_id, s.room_id
"""

PAY_AFTER_CONSUMED = """
SELECT c.course_id, c.klass_id, sum(a.amount_fen)
FROM contract c INDEXED BY ix_contract_pay_after
JOIN attendance a ON a.contract_id = c.id AND a.charged = 1
JOIN lesson_session s ON s.id = a.session_id
WHERE c.billing = 'pay_after' AND s.date <= :date_to
GROUP BY c.course_id, c.klass_id
"""

PAY_AFTER_PAID = """
SELECT c.course_id, c.klass_id, -sum(e.amount_fen)
FROM owed_payment p JOIN receivable_entry e ON e.payment_id = p.id AND e.kind = 'payment'
JOIN contract c ON c.id = e.contract_id
WHERE p.paid_at >= :t0 AND p.paid_at < :t1
GROUP BY c.course_id, c.klass_id
"""


@dataclass(frozen=True, slots=True)
class PayAfter:
    """先学后付 figures: the range's lessons per (class, teacher, room), what was consumed up to
    ``date_to`` and paid in the range per (course, class) of the contract."""

    lessons: list[SessionSums]
    consumed: list[ClassSums]
    paid: list[ClassSums]


def pay_after(conn: Connection, date_from: date, date_to: date) -> PayAfter:
    """The 先学后付 lessons and payments, to report apart from prepaid 课消 and payments."""
    span = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    lessons = [
        SessionSums(str(k), t, r, 0, 0, 0, int(u or 0), int(f or 0))
        for k, t, r, u, f in _fetch(conn, PAY_AFTER_LESSONS, span)
    ]
    consumed = [
        ClassSums(str(c), k, int(f or 0))
        for c, k, f in _fetch(conn, PAY_AFTER_CONSUMED, {"date_to": span["date_to"]})
    ]
    bounds = {"t0": utc_bound(date_from), "t1": utc_bound(date_to + timedelta(days=1))}
    paid = [ClassSums(str(c), k, int(f or 0)) for c, k, f in _fetch(conn, PAY_AFTER_PAID, bounds)]
    return PayAfter(lessons, consumed, paid)


@dataclass(frozen=True, slots=True)
class Names:
    """Labels and the class → course/teacher/campus map the grouping needs (a few thousand rows)."""

    courses: dict[str, str]
    staff: dict[str, str]
    campuses: dict[str, str]
    room_campus: dict[str, str]
    klass: dict[str, tuple[str, str | None, str | None]]  # id → (course_id, teacher_id, room_id)
    klass_names: dict[str, str] = field(default_factory=dict)


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
        klass_names=pairs(
            "SELECT k.id, c.name || ' · ' || k.name FROM klass k JOIN course c ON c.id = k.course_id"
        ),
    )
