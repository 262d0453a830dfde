"""Statistics for any date range, by course, teacher and campus (for the owner and the bureau).

Figures, for lessons whose local date is in ``[date_from, date_to]`` and money whose instant falls in
those local days (Asia/Shanghai):

* lessons held: sessions marked held or with attendance, never cancelled ones;
* attendance rate: (present + late) ÷ expected, where expected counts present, late, leave and absent
  rows (trial and make-up guests are not on the class list), four decimals rounded half up;
* 课消: units and fen of charged attendance rows (recognised revenue; docs/domain.md: consumption *is* the
  charged rows);
* 先学后付 (docs/pay_after.md) apart: the fen of lessons charged on pay-after contracts (``pay_after_fen``,
  not in ``consumed_*``, which is prepaid 课消 only) and what families paid for them in the range
  (``pay_after_paid_fen``, not in ``payments_fen``);
* payments received and refunds in the range;
* prepaid balance outstanding as of ``date_to``: payments − refunds − consumption up to that day over all
  contracts (a used-up or refunded contract contributes zero by construction; an overdrawn one
  contributes its negative balance, a balance to settle).

Lessons are attributed to their session's teacher and room (falling back to the class's), money to the
class of its contract. The output is plain data, deterministically ordered, and ``stats_to_json`` is
byte-for-byte stable: the same database gives the same bytes (no time of the run in it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import orjson
from sqlalchemy import Connection

from app.db import Database
from app.errors import InstDeskError, ValidationError
from app.permissions import Actor, Permission, require
from app.reports import queries
from app.reports.queries import ClassSums, Names, SessionSums
from localdb.types import units_from_x100

InstDeskError.register({"stats.bad_range": "统计区间不正确：开始日期{date_from}晚于结束日期{date_to}"})

UNASSIGNED = "未指定"
DIMENSIONS = ("course", "teacher", "campus", "klass")


@dataclass(slots=True)
class Figures:
    """The figures of one group (or of the whole institution)."""

    lessons_held: int = 0
    expected: int = 0
    attended: int = 0
    consumed_units_x100: int = 0
    consumed_fen: int = 0
    payments_fen: int = 0
    refunds_fen: int = 0
    prepaid_outstanding_fen: int = 0
    pay_after_fen: int = 0
    pay_after_paid_fen: int = 0

    @property
    def attendance_rate(self) -> Decimal | None:
        """(present + late) ÷ expected, four places, or None when nobody was expected."""
        if not self.expected:
            return None
        return (Decimal(self.attended) / Decimal(self.expected)).quantize(Decimal("0.0001"), ROUND_HALF_UP)

    @property
    def consumed_units(self) -> Decimal:
        return units_from_x100(self.consumed_units_x100)


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One course, teacher or campus with its figures; ``key`` is its id ('' when unassigned)."""

    dimension: str
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class Stats:
    date_from: date
    date_to: date
    total: Figures
    by_course: tuple[GroupRow, ...] = field(default=())
    by_teacher: tuple[GroupRow, ...] = field(default=())
    by_campus: tuple[GroupRow, ...] = field(default=())
    by_class: tuple[GroupRow, ...] = field(default=())

    def groups(self) -> tuple[GroupRow, ...]:
        """The group rows of the institution-wide export: courses, then teachers, then campuses (the
        rows by class are shown and exported as their own table)."""
        return self.by_course + self.by_teacher + self.by_campus


class _Grouper:
    """Accumulates figures per dimension key; knows how a class maps to course, teacher and campus."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.total = Figures()
        self.groups: dict[tuple[str, str], Figures] = {}

    def _keys(
        self, course: str, teacher: str | None, room: str | None, klass: str | None
    ) -> list[tuple[str, str]]:
        campus = self.names.room_campus.get(room or "", "")
        return [("course", course), ("teacher", teacher or ""), ("campus", campus), ("klass", klass or "")]

    def _figures(self, keys: Iterable[tuple[str, str]]) -> list[Figures]:
        return [self.total] + [self.groups.setdefault(k, Figures()) for k in keys]

    def class_keys(self, course: str, klass: str | None) -> list[tuple[str, str]]:
        _, teacher, room = self.names.klass.get(klass or "", (course, None, None))
        return self._keys(course, teacher, room, klass)

    def add_session(self, s: SessionSums) -> None:
        course, k_teacher, k_room = self.names.klass.get(s.klass_id, ("", None, None))
        for f in self._figures(
            self._keys(course, s.teacher_id or k_teacher, s.room_id or k_room, s.klass_id)
        ):
            f.lessons_held += s.held
            f.expected += s.expected
            f.attended += s.attended
            f.consumed_units_x100 += s.units_x100
            f.consumed_fen += s.amount_fen

    def add_pay_after_lessons(self, rows: Iterable[SessionSums]) -> None:
        """先学后付 lessons leave prepaid 课消 (the summaries count them with it) for their own figure."""
        for s in rows:
            course, k_teacher, k_room = self.names.klass.get(s.klass_id, ("", None, None))
            keys = self._keys(course, s.teacher_id or k_teacher, s.room_id or k_room, s.klass_id)
            for f in self._figures(keys):
                f.consumed_units_x100 -= s.units_x100
                f.consumed_fen -= s.amount_fen
                f.pay_after_fen += s.amount_fen

    def add_money(self, rows: Iterable[ClassSums], attr: str, sign: int = 1) -> None:
        for row in rows:
            for f in self._figures(self.class_keys(row.course_id, row.klass_id)):
                setattr(f, attr, getattr(f, attr) + sign * row.fen)

    def rows(self, dimension: str) -> tuple[GroupRow, ...]:
        labels = {
            "course": self.names.courses,
            "teacher": self.names.staff,
            "campus": self.names.campuses,
            "klass": self.names.klass_names,
        }
        found = [
            GroupRow(dim, key, labels[dim].get(key, UNASSIGNED) if key else UNASSIGNED, figures)
            for (dim, key), figures in self.groups.items()
            if dim == dimension
        ]
        return tuple(sorted(found, key=lambda r: (r.label, r.key)))


def _collect(grouper: _Grouper, conn: Connection, date_from: date, date_to: date) -> None:
    for session in queries.session_sums(conn, date_from, date_to):
        grouper.add_session(session)
    money = queries.money(conn, date_from, date_to)
    grouper.add_money(money.payments, "payments_fen")
    grouper.add_money(money.refunds, "refunds_fen")
    grouper.add_money(money.outstanding, "prepaid_outstanding_fen")
    later = queries.pay_after(conn, date_from, date_to)
    grouper.add_pay_after_lessons(later.lessons)
    grouper.add_money(later.consumed, "prepaid_outstanding_fen")  # nothing prepaid was used by them
    grouper.add_money(later.paid, "pay_after_paid_fen")


def statistics(db: Database, actor: Actor, date_from: date, date_to: date) -> Stats:
    """The figures for ``[date_from, date_to]`` (local dates, both inclusive) in one read snapshot."""
    require(actor, Permission.VIEW_STATS)
    if date_from > date_to:
        raise ValidationError("stats.bad_range", date_from=date_from, date_to=date_to)
    with db.reading() as session:
        conn = session.connection()
        grouper = _Grouper(queries.load_names(conn))
        _collect(grouper, conn, date_from, date_to)
    return Stats(
        date_from=date_from,
        date_to=date_to,
        total=grouper.total,
        by_course=grouper.rows("course"),
        by_teacher=grouper.rows("teacher"),
        by_campus=grouper.rows("campus"),
        by_class=grouper.rows("klass"),
    )


def figures_dict(f: Figures) -> dict[str, Any]:
    """JSON-ready figures: money in fen (int), units and rate as exact decimal strings."""
    rate = f.attendance_rate
    return {
        "lessons_held": f.lessons_held,
        "expected": f.expected,
        "attended": f.attended,
        "attendance_rate": None if rate is None else str(rate),
        "consumed_units": str(f.consumed_units),
        "consumed_fen": f.consumed_fen,
        "payments_fen": f.payments_fen,
        "refunds_fen": f.refunds_fen,
        "prepaid_outstanding_fen": f.prepaid_outstanding_fen,
        "pay_after_fen": f.pay_after_fen,
        "pay_after_paid_fen": f.pay_after_paid_fen,
    }


def _group_dicts(rows: Iterable[GroupRow]) -> list[dict[str, Any]]:
    return [{"id": r.key, "name": r.label, **figures_dict(r.figures)} for r in rows]


def stats_to_json(stats: Stats) -> str:
    """Byte-for-byte stable JSON: sorted keys, fixed group order, no run timestamps."""
    data = {
        "date_from": stats.date_from.isoformat(),
        "date_to": stats.date_to.isoformat(),
        "total": figures_dict(stats.total),
        "by_course": _group_dicts(stats.by_course),
        "by_teacher": _group_dicts(stats.by_teacher),
        "by_campus": _group_dicts(stats.by_campus),
    }
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode("utf-8")
