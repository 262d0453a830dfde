"""Statistics by student for a date range: lessons marked, attendance, 课消, payments and refunds.

The per-student figures are not kept in the summary tables (``localdb.summaries`` sums per session and
per class), so this reads the source rows of the range: the range's sessions by their date index, their
attendance rows by ``(session_id, student_id)``, and the payments and refunds by their time index. The
figures follow ``app.reports.stats``: expected = present, late, leave, absent; attended = present, late;
课消 = charged rows; undone rows count for nothing. The prepaid balance is not given per student (it needs
every contract's whole history; the 学员 screen shows each contract's balance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import ValidationError
from app.permissions import Actor, Permission, require
from app.reports.queries import utc_bound
from app.reports.stats import Figures, GroupRow
from localdb.models import Student

_LESSONS = text(
    """
SELECT a.student_id, COUNT(*),
       SUM(a.status IN ('present', 'late', 'leave', 'absent')), SUM(a.status IN ('present', 'late')),
       SUM(CASE WHEN a.charged THEN a.units_x100 ELSE 0 END),
       SUM(CASE WHEN a.charged THEN a.amount_fen ELSE 0 END)
FROM lesson_session s JOIN attendance a ON a.session_id = s.id
WHERE s.date >= :date_from AND s.date <= :date_to AND s.deleted_at IS NULL AND s.status <> 'cancelled'
  AND NOT a.undone
GROUP BY a.student_id
"""
)
_PAYMENTS = text(
    "SELECT student_id, SUM(amount_fen) FROM payment WHERE paid_at >= :start AND paid_at < :end "
    "GROUP BY student_id"
)
_REFUNDS = text(
    "SELECT student_id, SUM(amount_fen) FROM refund WHERE created_at >= :start AND created_at < :end "
    "GROUP BY student_id"
)


@dataclass(frozen=True)
class StudentStats:
    date_from: date
    date_to: date
    rows: tuple[GroupRow, ...]


def student_statistics(db: Database, actor: Actor, date_from: date, date_to: date) -> StudentStats:
    """One row per student with lessons or money in ``[date_from, date_to]``, by name."""
    require(actor, Permission.VIEW_STATS)
    if date_from > date_to:
        raise ValidationError("stats.bad_range", date_from=date_from, date_to=date_to)
    days = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    instants = {"start": utc_bound(date_from), "end": utc_bound(date_to + timedelta(days=1))}
    figures: dict[str, Figures] = {}
    with db.reading() as session:
        for sid, marked, expected, attended, units, fen in session.execute(_LESSONS, days):
            figures[str(sid)] = Figures(int(marked), int(expected), int(attended), int(units), int(fen))
        for sid, fen in session.execute(_PAYMENTS, instants):
            figures.setdefault(str(sid), Figures()).payments_fen = int(fen)
        for sid, fen in session.execute(_REFUNDS, instants):
            figures.setdefault(str(sid), Figures()).refunds_fen = int(fen)
        names = _names(session, list(figures))
    rows = [GroupRow("student", sid, names.get(sid, sid), f) for sid, f in figures.items()]
    return StudentStats(date_from, date_to, tuple(sorted(rows, key=lambda r: (r.label, r.key))))


def _names(session: Session, student_ids: list[str]) -> dict[str, str]:
    """Each student's name with the card code (two students may share a name)."""
    found: dict[str, str] = {}
    for chunk in range(0, len(student_ids), 500):
        ids = student_ids[chunk : chunk + 500]
        query = select(Student.id, Student.name, Student.card_code).where(Student.id.in_(ids))
        for sid, name, card in session.execute(query):
            found[str(sid)] = f"{name}（{card}）" if card else str(name)
    return found
