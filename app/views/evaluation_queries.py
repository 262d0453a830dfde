"""The reads behind the 机构内部管理评价 (``app.views.evaluation``): what the desk already holds, per class
and teacher of a period. Definitions: docs/domain.md (管理评价).

* lessons: the period's sessions (``ix_lesson_session_date_cover``, index-only) joined to the
  trigger-kept ``session_tally``, summed per (class, session teacher); then the roll calls that were undone
  (a few rows, ``ix_attendance_undone``) are taken back out, since the tally still counts them;
* leaves and make-ups: the leave rows of those sessions (``ix_attendance_leave_session``) with their
  make-up entitlement (``ix_makeup_entitlement_source``), both index-only;
* refunds: ``money_day``/``money_month`` (``app.reports.queries.money_pieces``), per class of the contract;
* platform items (reviews, complaints, 消课 disputes): ``platform_inbox`` rows with the lesson or contract
  they concern.

Everything returns plain tuples; the grouping happens in ``app.views.evaluation``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from app.reports.queries import SHANGHAI, money_pieces

#: ids per ``IN (...)`` list (SQLite's variable limit is far above; small lists keep statements cached)
_CHUNK = 500


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


LESSONS = """
SELECT s.klass_id, s.teacher_id,
       SUM(s.status <> 'cancelled' AND (s.status = 'held' OR COALESCE(t.n_rows, 0) > 0)),
       SUM(COALESCE(t.expected, 0)), SUM(COALESCE(t.attended, 0)), SUM(COALESCE(t.fen, 0))
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
    """The period's lessons per (class, session teacher), undone roll calls left out."""
    acc: dict[tuple[str, str | None], list[int]] = {
        (str(k), t): [int(h or 0), int(e or 0), int(a or 0), int(f or 0)]
        for k, t, h, e, a, f in _fetch(conn, LESSONS, _span(date_from, date_to))
    }
    for klass, teacher, unheld, expected, attended in _fetch(conn, UNDONE, _span(date_from, date_to)):
        sums = acc.get((str(klass), teacher))
        if sums is not None:
            sums[0] -= int(unheld)
            sums[1] -= int(expected)
            sums[2] -= int(attended)
    return [LessonSums(k, t, *v) for (k, t), v in acc.items()]


@dataclass(frozen=True, slots=True)
class LeaveSums:
    """Leaves with a make-up right in the period's lessons of one (class, session teacher), and how many
    of them were made up by a lesson on or before the period's last day."""

    klass_id: str
    teacher_id: str | None
    leaves: int
    made_up: int


# A leave whose roll call was undone has its entitlement cancelled (app.services.rollcall): leaving
# cancelled entitlements out leaves those out without reading the attendance rows themselves.
LEAVES = """
SELECT s.klass_id, s.teacher_id, COUNT(*),
       SUM(e.status = 'used' AND us.date IS NOT NULL AND us.date <= :date_to)
FROM lesson_session AS s INDEXED BY ix_lesson_session_date_cover
JOIN attendance AS a INDEXED BY ix_attendance_leave_session ON a.session_id = s.id AND a.status = 'leave'
JOIN makeup_entitlement AS e ON e.source_attendance_id = a.id AND e.status <> 'cancelled'
LEFT JOIN attendance AS u ON u.id = e.used_attendance_id AND e.status = 'used'
LEFT JOIN lesson_session AS us ON us.id = u.session_id
WHERE s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL
GROUP BY s.klass_id, s.teacher_id
"""


def leave_sums(conn: Connection, date_from: date, date_to: date) -> list[LeaveSums]:
    return [
        LeaveSums(str(k), t, int(n), int(m or 0))
        for k, t, n, m in _fetch(conn, LEAVES, _span(date_from, date_to))
    ]


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


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


Lesson = tuple[str, str | None]  # (class, the session's own teacher)


def lesson_of_attendance(conn: Connection, attendance_ids: Iterable[str]) -> dict[str, Lesson]:
    """attendance id → (class, session teacher) of its lesson."""
    found: dict[str, Lesson] = {}
    for chunk in _chunks(attendance_ids):
        marks = ", ".join("?" * len(chunk))
        sql = (
            "SELECT a.id, s.klass_id, s.teacher_id FROM attendance AS a "
            f"JOIN lesson_session AS s ON s.id = a.session_id WHERE a.id IN ({marks})"
        )
        found.update({str(a): (str(k), t) for a, k, t in _fetch(conn, sql, tuple(chunk))})
    return found


def class_of_contract(conn: Connection, contract_ids: Iterable[str]) -> dict[str, str | None]:
    """contract id → its class (None when it has none)."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(contract_ids):
        sql = f"SELECT id, klass_id FROM contract WHERE id IN ({', '.join('?' * len(chunk))})"
        found.update({str(c): k for c, k in _fetch(conn, sql, tuple(chunk))})
    return found


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
    """A review or complaint from the platform: when (local day), what it concerns, what it says."""

    item_id: str
    day: date
    attendance_id: str | None
    contract_id: str | None
    rating: int | None
    text: str


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


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _rating(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5 else None


def platform_items(conn: Connection, entity: str, date_from: date, date_to: date) -> list[PlatformItem]:
    """The live reviews (``entity='review'``, dated ``created_at``) or complaints (``filed_at``) whose
    local day is in the period. A few per lesson at most: read whole and filtered here."""
    stamp = "created_at" if entity == "review" else "filed_at"
    rows = _fetch(
        conn,
        "SELECT entity_id, payload FROM platform_inbox WHERE entity = ? AND NOT deleted ORDER BY entity_id",
        (entity,),
    )
    found = []
    for item_id, payload in rows:
        data = _payload(payload)
        day = local_day(data.get(stamp))
        if day is None or not date_from <= day <= date_to:
            continue
        texts = [data.get("subject"), data.get("text")] if entity == "complaint" else [data.get("text")]
        found.append(
            PlatformItem(
                str(item_id), day, _text_or_none(data.get("attendance_id")),
                _text_or_none(data.get("contract_id")), _rating(data.get("rating")),
                "：".join(t for t in texts if isinstance(t, str) and t),
            )
        )  # fmt: skip
    return found


def _payload(text: object) -> dict[str, Any]:
    try:
        data = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
