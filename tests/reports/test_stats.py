"""Statistics on a small hand-computed dataset (tests/reports/dataset.py), and their determinism."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.permissions import SYSTEM_ACTOR, Actor, Role
from app.reports.stats import Figures, statistics, stats_to_json
from tests.reports.dataset import build

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _figures(f: Figures) -> tuple[object, ...]:
    return (
        f.lessons_held,
        f.expected,
        f.attended,
        f.attendance_rate,
        f.consumed_units,
        f.consumed_fen,
        f.payments_fen,
        f.refunds_fen,
        f.prepaid_outstanding_fen,
    )


def test_totals_for_march(db: Database) -> None:
    build(db)
    stats = statistics(db, SYSTEM_ACTOR, *MARCH)
    # 4 held lessons (the cancelled one and April's excluded); 4 of 6 expected attended;
    # 5 charged units of 100 元; March payments 1000 + 1000 元 (the 23:30 one is still March locally);
    # one refund of 200 元; outstanding = 2600 paid − 200 refunded − 500 consumed up to 03-31.
    assert _figures(stats.total) == (
        4,
        6,
        4,
        Decimal("0.6667"),
        Decimal("5.00"),
        50000,
        200000,
        20000,
        190000,
    )


def test_by_course_teacher_campus(db: Database) -> None:
    build(db)
    stats = statistics(db, SYSTEM_ACTOR, *MARCH)
    by_course = {r.label: _figures(r.figures) for r in stats.by_course}
    assert by_course == {
        "初中数学": (2, 4, 2, Decimal("0.5000"), Decimal("3.00"), 30000, 200000, 0, 170000),
        "少儿美术": (2, 2, 2, Decimal("1.0000"), Decimal("2.00"), 20000, 0, 20000, 20000),
    }
    by_teacher = {r.label: _figures(r.figures) for r in stats.by_teacher}
    # the substitute lesson of 03-14 counts for 王老师; money follows the contract's class (李老师)
    assert by_teacher == {
        "王老师": (3, 5, 3, Decimal("0.6000"), Decimal("4.00"), 40000, 200000, 0, 170000),
        "李老师": (1, 1, 1, Decimal("1.0000"), Decimal("1.00"), 10000, 0, 20000, 20000),
    }
    by_campus = {r.label: _figures(r.figures) for r in stats.by_campus}
    assert by_campus == {
        "总部": (2, 4, 2, Decimal("0.5000"), Decimal("3.00"), 30000, 200000, 0, 170000),
        "分校": (2, 2, 2, Decimal("1.0000"), Decimal("2.00"), 20000, 0, 20000, 20000),
    }


def test_outstanding_as_of_a_later_day_counts_april_lesson(db: Database) -> None:
    build(db)
    stats = statistics(db, SYSTEM_ACTOR, date(2026, 4, 1), date(2026, 4, 30))
    assert stats.total.lessons_held == 1
    assert stats.total.prepaid_outstanding_fen == 180000
    assert stats.total.attendance_rate == Decimal("1.0000")


def test_empty_range_has_no_rate(db: Database) -> None:
    build(db)
    stats = statistics(db, SYSTEM_ACTOR, date(2025, 1, 1), date(2025, 1, 31))
    assert stats.total.lessons_held == 0 and stats.total.attendance_rate is None
    assert json.loads(stats_to_json(stats))["total"]["attendance_rate"] is None


def test_json_is_byte_for_byte_stable(db: Database) -> None:
    build(db)
    first = stats_to_json(statistics(db, SYSTEM_ACTOR, *MARCH))
    second = stats_to_json(statistics(db, SYSTEM_ACTOR, *MARCH))
    assert first == second
    data = json.loads(first)
    assert list(data) == sorted(data)
    assert data["total"]["consumed_units"] == "5.00"
    assert [g["name"] for g in data["by_course"]] == ["初中数学", "少儿美术"]


def test_bad_range_and_permissions(db: Database) -> None:
    with pytest.raises(ValidationError):
        statistics(db, SYSTEM_ACTOR, date(2026, 3, 2), date(2026, 3, 1))
    front_desk = Actor("u1", "desk", Role.FRONT_DESK)
    with pytest.raises(PermissionDenied):
        statistics(db, front_desk, *MARCH)
    assert statistics(db, Actor("u2", "owner", Role.STATS), *MARCH).total.lessons_held == 0
