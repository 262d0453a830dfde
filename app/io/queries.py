"""The export queries: plain SQL over indexed columns, rows in a stable order, tombstones left out.

Date-ranged kinds filter lesson dates (``:date_from``/``:date_to``, local dates) or payment instants
(``:start``/``:end``, UTC text bounds of those local days); without a range the bounds cover everything.
"""

from __future__ import annotations

from sqlalchemy import text

STUDENTS = text(
    """
    SELECT s.name, s.gender, s.birth_date, s.id_type, s.id_number, s.school, s.grade, s.stage, s.phone,
           s.card_code, g.name, g.relation, g.phone
    FROM student AS s
    LEFT JOIN guardian AS g ON g.id = (
        SELECT g2.id FROM guardian AS g2
        WHERE g2.student_id = s.id AND g2.deleted_at IS NULL ORDER BY g2.id LIMIT 1)
    WHERE s.deleted_at IS NULL
    ORDER BY s.name_pinyin, s.id
    """
)

_LESSON_JOINS = """
    FROM lesson_session AS ls
    JOIN attendance AS a ON a.session_id = ls.id
    JOIN klass AS k ON k.id = ls.klass_id
    JOIN course AS c ON c.id = k.course_id
    JOIN student AS s ON s.id = a.student_id
    LEFT JOIN staff AS t ON t.id = COALESCE(ls.teacher_id, k.teacher_id)
    LEFT JOIN contract AS ct ON ct.id = a.contract_id
    WHERE ls.date >= :date_from AND ls.date <= :date_to AND ls.deleted_at IS NULL
"""

ATTENDANCE = text(
    """
    SELECT ls.date, ls.start_time, c.name, k.name, t.name, s.name, s.card_code, a.status, a.charged,
           a.units_x100, a.amount_fen, ct.contract_no
    """
    + _LESSON_JOINS
    + """
    ORDER BY ls.date, ls.start_time, ls.id, s.name_pinyin, a.id
    """
)

CONSUMPTION = text(
    """
    SELECT ls.date, c.name, k.name, t.name, s.name, s.card_code, a.units_x100, a.amount_fen, ct.contract_no
    """
    + _LESSON_JOINS
    + """
      AND a.charged = 1
    ORDER BY ls.date, ls.start_time, ls.id, s.name_pinyin, a.id
    """
)

PAYMENTS = text(
    """
    SELECT p.receipt_no, p.paid_at, s.name, ct.contract_no, c.name, p.amount_fen, p.method, p.desk_code
    FROM payment AS p
    JOIN contract AS ct ON ct.id = p.contract_id
    JOIN course AS c ON c.id = ct.course_id
    JOIN student AS s ON s.id = p.student_id
    WHERE p.paid_at >= :start AND p.paid_at < :end
    ORDER BY p.paid_at, p.receipt_no
    """
)
