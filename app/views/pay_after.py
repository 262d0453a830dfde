"""先学后付 read models: what each family owes (per lesson), reminders, and the 今日 totals.

Owed per lesson = its 'lesson' receivable entry + the entries pointing at it (reversal, payments); a
family is listed while any lesson is still owed, oldest unpaid lesson first (docs/pay_after.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text

from app.clock import LOCAL_TZ, local_today
from app.db import Database
from app.money import format_fen
from app.permissions import Actor, Permission, require
from app.services.institution import get_institution
from app.services.pay_after import owed_lines
from localdb.types import parse_utc

#: one row per student who owes anything, with the primary guardian and the latest reminder
_FAMILIES = text(
    """
WITH lessons AS (
  SELECT coalesce(lesson_entry_id, id) AS lesson, student_id, min(lesson_date) AS day, sum(amount_fen) AS owed
  FROM receivable_entry GROUP BY lesson, student_id HAVING sum(amount_fen) > 0),
families AS (
  SELECT student_id, sum(owed) AS owed, count(*) AS n, min(day) AS oldest FROM lessons GROUP BY student_id)
SELECT f.student_id, st.name, f.owed, f.n, f.oldest,
  (SELECT g.name FROM guardian g WHERE g.student_id = f.student_id AND g.deleted_at IS NULL
   ORDER BY g.created_at, g.id LIMIT 1),
  (SELECT g.phone FROM guardian g WHERE g.student_id = f.student_id AND g.deleted_at IS NULL
   ORDER BY g.created_at, g.id LIMIT 1),
  (SELECT max(r.reminded_at) FROM owed_reminder r WHERE r.student_id = f.student_id)
FROM families f JOIN student st ON st.id = f.student_id
ORDER BY f.oldest, st.name, f.student_id
LIMIT :limit OFFSET :offset
"""
)

_TOTALS = text(
    """
WITH lessons AS (
  SELECT coalesce(lesson_entry_id, id) AS lesson, student_id, sum(amount_fen) AS owed
  FROM receivable_entry GROUP BY lesson, student_id HAVING sum(amount_fen) > 0)
SELECT count(DISTINCT student_id), coalesce(sum(owed), 0), count(*) FROM lessons
"""
)

_LESSON_NAMES = text(
    """
SELECT e.id, c.name, coalesce(k.name, ''), coalesce(a.status, '')
FROM receivable_entry e JOIN course c ON c.id = e.course_id
LEFT JOIN attendance a ON a.id = e.attendance_id
LEFT JOIN lesson_session s ON s.id = a.session_id
LEFT JOIN klass k ON k.id = s.klass_id
WHERE e.id IN (SELECT value FROM json_each(:ids))
"""
)


@dataclass(frozen=True)
class OwingFamily:
    """A family (student) that owes 先学后付 lesson fees."""

    student_id: str
    student_name: str
    guardian_name: str | None
    guardian_phone: str | None
    owed_fen: int
    lessons: int
    oldest_lesson: date
    days_outstanding: int
    reminded_on: date | None


@dataclass(frozen=True)
class OwedLesson:
    """One unpaid (or partly paid) lesson of a family."""

    entry_id: str
    lesson_date: date
    course_name: str
    klass_name: str
    status: str
    amount_fen: int
    owed_fen: int

    @property
    def paid_fen(self) -> int:
        return self.amount_fen - self.owed_fen


@dataclass(frozen=True)
class OwedTotals:
    families: int
    lessons: int
    owed_fen: int


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _local_day(value: object) -> date | None:
    if value is None:
        return None
    instant = value if isinstance(value, datetime) else parse_utc(str(value))
    return instant.astimezone(LOCAL_TZ).date()


def count_owing_families(db: Database, actor: Actor) -> int:
    """How many families owe anything (the list's length)."""
    require(actor, Permission.TAKE_PAYMENT)
    return owed_totals(db).families


def owing_families(
    db: Database, actor: Actor, today: date | None = None, offset: int = 0, limit: int = 2000
) -> list[OwingFamily]:
    """Families that owe, the longest outstanding first (one page of them)."""
    require(actor, Permission.TAKE_PAYMENT)
    day = today or local_today()
    with db.reading() as session:
        rows = session.execute(_FAMILIES, {"limit": limit, "offset": offset}).all()
    found = []
    for sid, name, owed, n, oldest, g_name, g_phone, reminded in rows:
        first = _day(oldest)
        found.append(
            OwingFamily(
                str(sid),
                str(name),
                g_name,
                g_phone,
                int(owed),
                int(n),
                first,
                (day - first).days,
                _local_day(reminded),
            )
        )
    return found


def owed_lessons(db: Database, actor: Actor, student_id: str) -> list[OwedLesson]:
    """The family's unpaid lessons, oldest first, with course, class and the roll call's status."""
    require(actor, Permission.TAKE_PAYMENT)
    with db.reading() as session:
        lines = owed_lines(session, student_id)
        ids = [line.entry_id for line in lines]
        names = {
            str(r[0]): (str(r[1]), str(r[2]), str(r[3]))
            for r in session.execute(_LESSON_NAMES, {"ids": json.dumps(ids)})
        }
    return [
        OwedLesson(
            line.entry_id,
            line.lesson_date,
            *names.get(line.entry_id, ("", "", "")),
            line.amount_fen,
            line.owed_fen,
        )
        for line in lines
    ]


def owed_totals(db: Database) -> OwedTotals:
    """How many families owe, for how many lessons, how much in all (今日)."""
    with db.reading() as session:
        families, owed, lessons = session.execute(_TOTALS).one()
    return OwedTotals(int(families or 0), int(lessons or 0), int(owed or 0))


def reminder_text(db: Database, family: OwingFamily, today: date | None = None) -> str:
    """The message the desk copies into WeChat or an SMS (Chinese: it goes to the parent)."""
    inst = get_institution(db).name
    greeting = f"{family.guardian_name}您好" if family.guardian_name else "家长您好"
    day = today or local_today()
    return (
        f"{greeting}：{family.student_name}在{inst}参加先学后付课程，截至{day:%Y年%m月%d日}"
        f"共有{family.lessons}节课的课费未付，合计{format_fen(family.owed_fen)}元"
        f"（最早一节为{family.oldest_lesson:%m月%d日}）。请按合同约定到前台付款，"
        "或在全国校外教育培训监管与服务综合平台家长端支付。谢谢！"
    )
