"""Pure planning of a roll call: which rows change, what each costs and which package pays.

No database here, so the hot path's arithmetic is testable on its own and ``rollcall`` only reads once
and writes once. Amounts follow the refund rule's reading of gifts (app/rules/refund.py): a package's
gift units are used before its paid units, and each lesson takes its share of the money still left for
the paid units still left (the last paid lesson takes the remainder), so the money left on a package
never goes negative on one desk and equals what a pro-rata refund would pay back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from localdb.codes import AbsentPolicy, AttendanceStatus

CHARGED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.MAKEUP})
#: a lesson attended with no 课时 left: marked, not charged, owed until settled (app.services.owing)
OWING_NOTE = "欠课时"
ZERO = Decimal(0)


@dataclass
class Package:
    """An active contract of the student for the session's course, with what is available to this call.

    ``units``/``fen`` are the balance plus whatever this session's own row already charges to it (a
    re-mark first gives its charge back).
    """

    contract_id: str
    bought: Decimal
    units: Decimal
    fen: int
    end_date: date | None = None  # the contract's 培训期限: no lesson after it is charged to it

    def valid_on(self, day: date) -> bool:
        return self.end_date is None or day <= self.end_date


@dataclass(frozen=True)
class RowState:
    """The state of one attendance row (what converges across desks)."""

    status: AttendanceStatus
    charged: bool
    units: Decimal
    amount_fen: int
    contract_id: str | None
    note: str | None
    #: undone rows keep their status for the record (``attendance.undone``)
    undone: bool = False

    @property
    def owing(self) -> bool:
        return self.note == OWING_NOTE and not self.charged


@dataclass
class StudentPlan:
    student_id: str
    attendance_id: str
    state: RowState
    overdrawn: bool = False
    owing: bool = False
    packages: list[Package] = field(default_factory=list)

    @property
    def units_left(self) -> Decimal:
        return sum((p.units for p in self.packages), ZERO)


def is_charged(status: AttendanceStatus, absent_policy: AbsentPolicy) -> bool:
    """Present, late and make-up lessons are charged; absence per the course; leave and trial are free."""
    return status in CHARGED or (status == AttendanceStatus.ABSENT and absent_policy == AbsentPolicy.CHARGE)


def lesson_amount(package: Package, units: Decimal) -> int:
    """The money one lesson of ``units`` takes from ``package`` (gift units first, remainder swept)."""
    available = max(package.fen, 0)
    if package.units - units <= 0:
        return available
    paid_before = min(max(package.units, ZERO), package.bought)
    paid_after = min(max(package.units - units, ZERO), package.bought)
    if paid_before <= 0:
        return 0
    return min(available, max(0, _prorate(available, paid_before - paid_after, paid_before)))


def _prorate(total: int, part: Decimal, whole: Decimal) -> int:
    """``app.money.prorate(total, part, whole)`` for ``total ≥ 0``, ``part ≥ 0``, ``whole > 0``.

    The same exact ratio rounded half up once, on integers (``Decimal.as_integer_ratio``) instead of
    ``Fraction`` objects: a roll call prices every student, and this is ~10x cheaper per call.
    """
    part_num, part_den = part.as_integer_ratio()
    whole_num, whole_den = whole.as_integer_ratio()
    num, den = total * part_num * whole_den, part_den * whole_num
    return (2 * num + den) // (2 * den)


def choose_package(packages: list[Package], units: Decimal, current: str | None) -> Package | None:
    """FIFO: the row's current package if it still covers the lesson, else the oldest that does."""
    for package in packages:
        if package.contract_id == current and package.units >= units:
            return package
    return next((p for p in packages if p.units >= units), None)


def overdraw_package(packages: list[Package]) -> Package | None:
    """Where an allowed overdraw lands: the oldest package with anything left, else the newest."""
    return next((p for p in packages if p.units > 0), packages[-1] if packages else None)


def charge(package: Package, units: Decimal) -> int:
    """Take one lesson from the package; returns its amount."""
    amount = lesson_amount(package, units)
    package.units -= units
    package.fen -= amount
    return amount
