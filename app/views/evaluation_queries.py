"""The reads behind the 机构内部管理评价 (``app.views.evaluation``): what the desk already holds, per class
and teacher of a period. Definitions: docs/domain.md (管理评价).

* lessons, leaves and make-ups, in one pass: the period's sessions (``ix_lesson_session_date_cover``,
  index-only) joined to the trigger-kept ``session_tally`` (which also counts each lesson's leaves with a
  make-up right and how many of them were made up), summed per (class, session teacher); only a lesson
  with a made-up leave is read further, and only when some lesson is dated after the period: its leave
  rows (``ix_attendance_leave_session``) and their used entitlements (``ix_makeup_entitlement_source``),
  to see whether the make-up lesson is on or before the period's last day. Then the roll calls that
  were undone (a few rows, ``ix_attendance_undone``) are taken back out of the lessons, since the tally
  still counts them;
* refunds: ``money_day``/``money_month`` (``app.reports.queries.money_pieces``), per class of the contract;
* platform items (reviews, complaints, 消课 disputes): ``platform_inbox`` rows with the lesson or contract
  they concern.

Everything returns plain tuples; the grouping happens in ``app.views.evaluation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from app.reports.queries import SHANGHAI, money_pieces


def _fetch(conn: Connection, sql: str, params: dict[str, Any] | tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Plain tuples straight from the driver (no per-row result objects)."""
    raw: Any = conn.connection.driver_connection
    return list(raw.execute(sql, params).fetchall())


def _span(date_from: date, date_to: date) -> dict[str, Any]:
    return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}


@dataclass(frozen=True, slots=True)
class LessonSums:
    """Lessons of one (class, session teacher) in the period; ``teacher_id`` None: the class's applies."""

    klass_id: str
    teacher_id: str | None
    held: int
    expected: int
    attended: int
    consumed_fen: int
    leaves: int
    made_up: int


# ``t.leaves``: the leave rows whose make-up entitlement is not cancelled (``localdb.summaries``). A leave
# whose roll call was undone has its open entitlement cancelled (app.services.rollcall), so it is out.
# ``t.used``: those made up (used by a make-up row). When no lesson at all is dated after the period, each
# make-up lesson is on or before its last day and ``t.used`` is the answer; otherwise the subquery (run
# for the lessons with a make-up only) keeps the ones made up by a lesson dated on or before that day.
LESSONS = """
SELECT s.klass_id, s.teacher_id,
       SUM(s.status <> 'cancelled' AND (s.status = 'held' OR COALESCE(t.n_rows, 0) > 0)),
       SUM(COALESCE(t.expected, 0)), SUM(COALESCE(t.attended, 0)), SUM(COALESCE(t.fen, 0)),
       SUM(COALESCE(t.leaves, 0)),
       SUM(CASE WHEN t.used > 0 AND :date_to < (SELECT MAX(date) FROM lesson_session) THEN (
           SELECT COUNT(*)
           FROM attendance AS a INDEXED BY ix_attendance_leave_session
           JOIN makeup_entitlement AS e ON e.source_attendance_id = a.id AND e.status = 'used'
           JOIN attendance AS u ON u.id = e.used_attendance_id
           JOIN lesson_session AS us ON us.id = u.session_id
           WHERE a.session_id = s.id AND a.status = 'leave' AND us.date <= :date_to
       ) ELSE COALESCE(t.used, 0) END)
FROM lesson_session AS s INDEXED BY ix_lesson_session_date_cover
LEFT JOIN session_tally AS t ON t.session_id = s.id
WHERE s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
GROUP BY s.klass_id, s.teacher_id
"""

# The tally counts every attendance row; an undone roll call keeps its row (status as the record),
# uncharged and marked ``undone``: its expected/attended are taken back out here, and a lesson whose every
# row was undone (and that is not marked held) is no longer held.
UNDONE = """
SELECT s.klass_id, s.teacher_id,
       s.status <> 'cancelled' AND s.status <> 'held' AND COUNT(*) >= COALESCE(t.n_rows, 0),
       SUM(a.status IN ('present', 'late', 'leave', 'absent')), SUM(a.status IN ('present', 'late'))
FROM attendance AS a INDEXED BY ix_attendance_undone
JOIN lesson_session AS s ON s.id = a.session_id
LEFT JOIN session_tally AS t ON t.session_id = s.id
WHERE a.undone AND s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
GROUP BY s.id
"""


def lesson_sums(conn: Connection, date_from: date, date_to: date) -> list[LessonSums]:
    """The period's lessons per (class, session teacher), undone roll calls left out, with their leaves
    and make-ups."""
    acc: dict[tuple[str, str | None], list[int]] = {
        (str(k), t): [int(h or 0), int(e or 0), int(a or 0), int(f or 0), int(n or 0), int(m or 0)]
        for k, t, h, e, a, f, n, m in _fetch(conn, LESSONS, _span(date_from, date_to))
    }
    for klass, teacher, unheld, expected, attended in _fetch(conn, UNDONE, _span(date_from, date_to)):
        sums = acc.get((str(klass), teacher))
        if sums is not None:
            sums[0] -= int(unheld)
            sums[1] -= int(expected)
            sums[2] -= int(attended)
    return [LessonSums(k, t, *v) for (k, t), v in acc.items()]


@dataclass(frozen=True, slots=True)
class RefundSums:
    """Refunds booked in the period for contracts of one class ('' for contracts without a class)."""

    klass_id: str
    count: int
    fen: int


def refund_sums(conn: Connection, date_from: date, date_to: date) -> list[RefundSums]:
    """From the money summaries, on the Asia/Shanghai day of each refund (as the 统计 tables)."""
    sql, params = money_pieces(date_from, date_to)
    acc: dict[str, list[int]] = {}
    for _course, klass, _pn, _pf, rn, rf, _cf in _fetch(conn, sql, params):
        if rn:
            sums = acc.setdefault(str(klass or ""), [0, 0])
            sums[0] += int(rn)
            sums[1] += int(rf)
    return [RefundSums(k, n, f) for k, (n, f) in acc.items()]


DISPUTES = """
SELECT s.klass_id, s.teacher_id, COUNT(*)
FROM platform_inbox AS i
JOIN attendance AS a ON a.id = i.related_id
JOIN lesson_session AS s ON s.id = a.session_id
WHERE i.entity = 'consumption_confirmation' AND i.status = 'disputed' AND NOT i.deleted
  AND s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
GROUP BY s.klass_id, s.teacher_id
"""


def dispute_sums(conn: Connection, date_from: date, date_to: date) -> list[tuple[str, str | None, int]]:
    """(class, session teacher, disputes) of the 消课 the platform reports disputed, by lesson date."""
    return [(str(k), t, int(n)) for k, t, n in _fetch(conn, DISPUTES, _span(date_from, date_to))]


@dataclass(frozen=True, slots=True)
class PlatformItem:
    """A review or complaint from the platform: when (local day), what it says, and where it belongs —
    the lesson it names (its class and the lesson's own teacher), else its contract's class; ``linked``
    is False when it names neither (or names rows this desk does not have)."""

    item_id: str
    day: date
    rating: int | None
    text: str
    linked: bool
    klass_id: str | None
    teacher_id: str | None


# The instants are ISO text from the platform: SQL keeps a day's margin either side (any offset
# notation), the exact local day is decided in Python (``local_day``).
ITEMS = """
SELECT i.entity_id, json_extract(i.payload, '$.' || :stamp), json_extract(i.payload, '$.rating'),
       json_extract(i.payload, '$.subject'), json_extract(i.payload, '$.text'),
       ls.id IS NOT NULL, ls.klass_id, ls.teacher_id, c.id IS NOT NULL, c.klass_id
FROM platform_inbox AS i
LEFT JOIN attendance AS a ON a.id = json_extract(i.payload, '$.attendance_id')
LEFT JOIN lesson_session AS ls ON ls.id = a.session_id
LEFT JOIN contract AS c ON c.id = json_extract(i.payload, '$.contract_id')
WHERE i.entity = :entity AND NOT i.deleted
  AND json_extract(i.payload, '$.' || :stamp) >= :low AND json_extract(i.payload, '$.' || :stamp) < :high
ORDER BY i.entity_id
"""


def local_day(instant: object) -> date | None:
    """The Asia/Shanghai day of an ISO instant the platform sent (naive = UTC); None when unreadable."""
    if not isinstance(instant, str):
        return None
    try:
        moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def _rating(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def _text(parts: Iterable[object]) -> str:
    return "：".join(p for p in parts if isinstance(p, str) and p)


def platform_items(conn: Connection, entity: str, date_from: date, date_to: date) -> list[PlatformItem]:
    """The live reviews (``entity='review'``, dated ``created_at``) or complaints (``filed_at``) whose
    local day is in the period, with the class and teacher they belong to."""
    stamp = "created_at" if entity == "review" else "filed_at"
    params = {
        "entity": entity,
        "stamp": stamp,
        "low": (date_from - timedelta(days=1)).isoformat(),
        "high": (date_to + timedelta(days=2)).isoformat(),
    }
    found = []
    for item_id, at, rating, subject, text, on_lesson, l_klass, l_teacher, on_contract, c_klass in _fetch(
        conn, ITEMS, params
    ):
        day = local_day(at)
        if day is None or not date_from <= day <= date_to:
            continue
        texts = [subject, text] if entity == "complaint" else [text]
        if on_lesson:
            where: tuple[bool, str | None, str | None] = (True, l_klass, l_teacher)
        else:
            where = (bool(on_contract), c_klass, None)
        found.append(PlatformItem(str(item_id), day, _rating(rating), _text(texts), *where))
    return found
