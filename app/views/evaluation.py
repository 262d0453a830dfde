"""机构内部管理评价: per teacher or per class, for a period of local days, how the teaching went — from what
the desk already holds (lessons and roll calls, make-up rights, refunds, and the platform's reviews,
complaints and 消课 disputes); nothing is typed for it. Two periods can be compared row by row.

The precise definitions (what counts as held, expected, made up; the period's bounds in local time; the
rounding) are in docs/domain.md, 管理评价. In short:

* attendance rate = attended ÷ expected of the period's lessons, undone roll calls left out;
* 课消 per lesson = charged fen ÷ lessons held (whole fen, half up);
* make-up rate = leaves with a make-up right that were made up by the period's last day ÷ such leaves;
* reviews: count, average rating (two places, half up) and the comments; complaints; disputes;
* refunds of the class's students: count and fen, on the refund's local day.

Rates are ``Decimal`` with four places, rounded half up; no figure divides by zero (``None`` instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection

from app.db import Database
from app.errors import InstDeskError, ValidationError
from app.permissions import Actor, Permission, require
from app.reports.queries import Names, load_names
from app.reports.stats import UNASSIGNED
from app.views import evaluation_queries as q
from app.views.evaluation_queries import PlatformItem

InstDeskError.register(
    {
        "evaluation.bad_by": "管理评价只能按教师或按班级：{by}",
        "evaluation.bad_range": "评价区间不正确：开始日期{date_from}晚于结束日期{date_to}",
        "evaluation.compare_both": "对比时段需要同时给出开始和结束日期",
    }
)

#: the two ways of grouping: by teacher (``teacher``) or by class (``klass``)
BY = ("teacher", "klass")
_RATE = Decimal("0.0001")
_RATING = Decimal("0.01")


def ratio(part: int, whole: int, places: Decimal = _RATE) -> Decimal | None:
    """``part ÷ whole`` rounded half up to ``places``; None when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(places, ROUND_HALF_UP)


def per_lesson_fen(fen: int, lessons: int) -> int | None:
    """Whole fen per lesson, half up (away from zero for negative sums); None without lessons."""
    if not lessons:
        return None
    return int((Decimal(fen) / Decimal(lessons)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Comment:
    """A parent's review as the evaluation shows it."""

    day: date
    rating: int | None
    text: str


@dataclass(slots=True)
class EvalFigures:
    """The figures of one teacher or class (or of the whole institution) in one period."""

    lessons_held: int = 0
    expected: int = 0
    attended: int = 0
    consumed_fen: int = 0
    leaves: int = 0
    made_up: int = 0
    reviews: int = 0
    rated: int = 0
    rating_sum: int = 0
    complaints: int = 0
    disputes: int = 0
    refunds: int = 0
    refund_fen: int = 0
    comments: list[Comment] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing happened: only lessons that were scheduled and not held, say."""
        counts = (
            self.lessons_held,
            self.expected,
            self.consumed_fen,
            self.leaves,
            self.reviews,
            self.complaints,
            self.disputes,
            self.refunds,
        )
        return not any(counts)

    @property
    def attendance_rate(self) -> Decimal | None:
        return ratio(self.attended, self.expected)

    @property
    def fen_per_lesson(self) -> int | None:
        return per_lesson_fen(self.consumed_fen, self.lessons_held)

    @property
    def makeup_rate(self) -> Decimal | None:
        return ratio(self.made_up, self.leaves)

    @property
    def average_rating(self) -> Decimal | None:
        return ratio(self.rating_sum, self.rated, _RATING)


Number = int | Decimal | None


@dataclass(frozen=True, slots=True)
class Metric:
    """One column of the evaluation: its key, Chinese title, kind (``int``/``rate``/``money``/``rating``)
    and how to read it from the figures (money in fen)."""

    key: str
    title: str
    kind: str
    read: Callable[[EvalFigures], Number]


METRICS: tuple[Metric, ...] = (
    Metric("lessons_held", "上课次数", "int", lambda f: f.lessons_held),
    Metric("attendance_rate", "出勤率", "rate", lambda f: f.attendance_rate),
    Metric("fen_per_lesson", "每节课消(元)", "money", lambda f: f.fen_per_lesson),
    Metric("makeup_rate", "补课率", "rate", lambda f: f.makeup_rate),
    Metric("average_rating", "平均评分", "rating", lambda f: f.average_rating),
    Metric("reviews", "评价数", "int", lambda f: f.reviews),
    Metric("complaints", "投诉", "int", lambda f: f.complaints),
    Metric("disputes", "消课争议", "int", lambda f: f.disputes),
    Metric("refunds", "退费笔数", "int", lambda f: f.refunds),
    Metric("refund_fen", "退费(元)", "money", lambda f: f.refund_fen),
)
METRIC = {m.key: m for m in METRICS}


def delta(metric: Metric, current: EvalFigures | None, previous: EvalFigures | None) -> Number:
    """current − previous of one metric (rates in fractions: 0.05 is five percentage points); None when
    either side has no value."""
    now = metric.read(current) if current is not None else None
    before = metric.read(previous) if previous is not None else None
    if now is None or before is None:
        return None
    return now - before


@dataclass(frozen=True, slots=True)
class EvalRow:
    """One teacher or class: ``key`` is its id ('' for lessons and money of no teacher or class)."""

    key: str
    label: str
    figures: EvalFigures


@dataclass(frozen=True, slots=True)
class Evaluation:
    by: str
    date_from: date
    date_to: date
    total: EvalFigures
    rows: tuple[EvalRow, ...]


class _Groups:
    """Accumulates figures per teacher or class; knows a class's teacher and a lesson's."""

    def __init__(self, by: str, names: Names) -> None:
        self.by, self.names = by, names
        self.total = EvalFigures()
        self.groups: dict[str, EvalFigures] = {}

    def key(self, klass: str | None, teacher: str | None = None) -> str:
        """The group of a lesson (its own teacher, else its class's) or of a class (its teacher)."""
        if self.by == "klass":
            return klass or ""
        if teacher:
            return teacher
        return (self.names.klass.get(klass or "", ("", None, None))[1]) or ""

    def figures(self, klass: str | None, teacher: str | None = None) -> tuple[EvalFigures, EvalFigures]:
        return self.total, self.groups.setdefault(self.key(klass, teacher), EvalFigures())

    def rows(self) -> tuple[EvalRow, ...]:
        labels = self.names.staff if self.by == "teacher" else self.names.klass_names
        found = [
            EvalRow(key, labels.get(key, UNASSIGNED) if key else UNASSIGNED, figures)
            for key, figures in self.groups.items()
            if not figures.empty
        ]
        return tuple(sorted(found, key=lambda r: (r.key == "", r.label, r.key)))


def _add_lessons(groups: _Groups, conn: Connection, date_from: date, date_to: date) -> None:
    for s in q.lesson_sums(conn, date_from, date_to):
        for f in groups.figures(s.klass_id, s.teacher_id):
            f.lessons_held += s.held
            f.expected += s.expected
            f.attended += s.attended
            f.consumed_fen += s.consumed_fen
            f.leaves += s.leaves
            f.made_up += s.made_up
    for klass, teacher, count in q.dispute_sums(conn, date_from, date_to):
        for f in groups.figures(klass, teacher):
            f.disputes += count


def _add_refunds(groups: _Groups, conn: Connection, date_from: date, date_to: date) -> None:
    for refund in q.refund_sums(conn, date_from, date_to):
        for f in groups.figures(refund.klass_id or None):
            f.refunds += refund.count
            f.refund_fen += refund.fen


def _targets(groups: _Groups, item: PlatformItem) -> tuple[EvalFigures, ...]:
    """The institution, plus the group of the lesson the item names, else of its contract's class; an
    item naming neither (a review of a course) counts for the institution only."""
    if not item.linked:
        return (groups.total,)
    return groups.figures(item.klass_id, item.teacher_id)


def _add_platform(groups: _Groups, conn: Connection, date_from: date, date_to: date) -> None:
    for item in q.platform_items(conn, "review", date_from, date_to):
        for f in _targets(groups, item):
            f.reviews += 1
            if item.rating is not None:
                f.rated += 1
                f.rating_sum += item.rating
            if item.text or item.rating is not None:
                f.comments.append(Comment(item.day, item.rating, item.text))
    for item in q.platform_items(conn, "complaint", date_from, date_to):
        for f in _targets(groups, item):
            f.complaints += 1
    for f in [groups.total, *groups.groups.values()]:
        f.comments.sort(key=lambda c: (c.day, c.rating or 0, c.text), reverse=True)


def evaluation(conn: Connection, by: str, date_from: date, date_to: date) -> Evaluation:
    """The evaluation of ``[date_from, date_to]`` (local days, both inclusive) on one connection."""
    if by not in BY:
        raise ValidationError("evaluation.bad_by", by=by)
    if date_from > date_to:
        raise ValidationError("evaluation.bad_range", date_from=date_from, date_to=date_to)
    groups = _Groups(by, load_names(conn))
    _add_lessons(groups, conn, date_from, date_to)
    _add_refunds(groups, conn, date_from, date_to)
    _add_platform(groups, conn, date_from, date_to)
    return Evaluation(by, date_from, date_to, groups.total, groups.rows())


def evaluate(db: Database, actor: Actor, by: str, date_from: date, date_to: date) -> Evaluation:
    """The evaluation for the screen, the CLI and the export (one read snapshot)."""
    require(actor, Permission.VIEW_STATS)
    with db.reading() as session:
        return evaluation(session.connection(), by, date_from, date_to)


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One teacher or class in two periods (None where it had nothing in that period)."""

    key: str
    label: str
    current: EvalFigures | None
    previous: EvalFigures | None
    #: the institution's row (合计), not a teacher or class
    is_total: bool = False

    def delta(self, metric: str) -> Number:
        return delta(METRIC[metric], self.current, self.previous)


@dataclass(frozen=True, slots=True)
class Comparison:
    """A period's evaluation, with another period's beside it when one was chosen."""

    current: Evaluation
    previous: Evaluation | None
    total: CompareRow
    rows: tuple[CompareRow, ...]

    @property
    def compared(self) -> bool:
        return self.previous is not None


def compare(current: Evaluation, previous: Evaluation | None = None) -> Comparison:
    """The rows of both periods side by side, by teacher or class id (the current period's order, then
    those only in the previous period); without ``previous``, the current period alone."""
    if previous is not None and current.by != previous.by:
        raise ValidationError("evaluation.bad_by", by=previous.by)
    before = {row.key: row for row in previous.rows} if previous is not None else {}
    rows = [CompareRow(r.key, r.label, r.figures, _figures(before.get(r.key))) for r in current.rows]
    seen = {r.key for r in current.rows}
    rows += [CompareRow(r.key, r.label, None, r.figures) for r in before.values() if r.key not in seen]
    total = CompareRow("", "合计", current.total, previous.total if previous is not None else None, True)
    return Comparison(current, previous, total, tuple(rows))


def _figures(row: EvalRow | None) -> EvalFigures | None:
    return row.figures if row is not None else None


def evaluate_compared(
    db: Database, actor: Actor, by: str, period: tuple[date, date], other: tuple[date, date] | None = None
) -> Comparison:
    """The evaluation of ``period``, beside that of ``other`` when given."""
    current = evaluate(db, actor, by, *period)
    previous = evaluate(db, actor, by, *other) if other is not None else None
    return compare(current, previous)


#: the screen's choices of a period to compare with, in its order
COMPARE_CHOICES = ("none", "previous", "year_before", "custom")


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period just before: as many whole months before whole months (March → February), else as
    many days ending the day before."""
    if date_from.day == 1 and date_to == _month_end(date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        start = _months_back(date_from, months)
        return start, date_from - timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_before(date_from: date, date_to: date) -> tuple[date, date]:
    """The same dates a year earlier (去年同期; 29 February becomes the 28th)."""
    return _a_year_before(date_from), _a_year_before(date_to)


def chart_rows(comparison: Comparison, limit: int = 20) -> list[CompareRow]:
    """The rows a chart has room for: the ``limit`` with the most lessons held this period (then
    reviews), in label order."""

    def weight(row: CompareRow) -> tuple[int, int]:
        f = row.current or EvalFigures()
        return f.lessons_held, f.reviews

    chosen = sorted(comparison.rows, key=weight, reverse=True)[:limit]
    return sorted(chosen, key=lambda r: (r.key == "", r.label, r.key))
