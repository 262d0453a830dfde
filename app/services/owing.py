"""欠课时: lessons a student attended with no 课时 left, marked but not charged, for the desk to settle.

A roll call never blocks on one student (``app.services.rollcall``): such a row keeps its status, is not
charged and carries the note 欠课时. This module lists them and holds the manager's switch that forbids
them (a setting of this desk; then the roll call refuses the student as before). Settling — charging the
lesson to a package bought since — is ``rollcall.settle_owing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from app.db import Database, audit, get_setting, put_setting
from app.permissions import Actor, Permission, require
from app.services._rollcall_io import OWING_SETTING
from app.services.attendance_plan import OWING_NOTE


@dataclass(frozen=True)
class OwedLesson:
    session_id: str
    student_id: str
    student_name: str
    card_code: str | None
    status: str
    day: date
    start_time: str
    klass_name: str
    course_name: str


#: served by the partial index ``ix_attendance_owing`` (only owed rows are in it)
_OWED = text(
    """
SELECT a.session_id, a.student_id, st.name, st.card_code, a.status, s.date, s.start_time, k.name, c.name
FROM attendance a
JOIN student st ON st.id = a.student_id
JOIN lesson_session s ON s.id = a.session_id
JOIN klass k ON k.id = s.klass_id
JOIN course c ON c.id = k.course_id
WHERE a.note = :note AND a.charged = 0
ORDER BY s.date, s.start_time, st.name
LIMIT :limit
"""
)


def owed_lessons(db: Database, actor: Actor, limit: int = 500) -> list[OwedLesson]:
    """Every lesson still owed, oldest first."""
    require(actor, Permission.ROLL_CALL)
    with db.reading() as session:
        rows = session.execute(_OWED, {"note": OWING_NOTE, "limit": limit})
        return [
            OwedLesson(
                str(r[0]),
                str(r[1]),
                str(r[2]),
                r[3],
                str(r[4]),
                r[5] if isinstance(r[5], date) else date.fromisoformat(str(r[5])),
                str(r[6]),
                str(r[7]),
                str(r[8]),
            )
            for r in rows
        ]


def owing_allowed(db: Database) -> bool:
    """Whether the roll call may mark a student with no 课时 left as owing (the default)."""
    with db.reading() as session:
        return get_setting(session, OWING_SETTING) != "0"


def set_owing_allowed(db: Database, actor: Actor, allowed: bool) -> None:
    """The manager allows or forbids owed lessons on this desk (audited)."""
    require(actor, Permission.MANAGE_INSTITUTION)
    with db.transaction() as session:
        put_setting(session, OWING_SETTING, "1" if allowed else "0")
        audit(session, actor, "rollcall.allow_owing", "local_setting", OWING_SETTING, allowed=allowed)
