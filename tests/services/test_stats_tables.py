"""统计 tables by class and by student, the quick ranges, and the export of one table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.clock import local_today
from app.errors import PermissionDenied, ValidationError
from app.io.export import period_label
from app.services import rollcall
from app.views import stats as views
from tests.services.factory import DESK, MANAGER, STATS, World, enroll, math_sessions


@pytest.fixture
def marked(world: World) -> World:
    lessons = math_sessions(world, weeks=2).session_ids
    a, b = world.students[0], world.students[1]
    enroll(world, a)
    enroll(world, b, units=Decimal(10), fee_fen=100_000)
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present", b: "leave"})
    rollcall.roll_call(world.db, DESK, lessons[1], {a: "late", b: "present"})
    return world


def test_by_class_and_by_student(marked: World) -> None:
    first, last = date(2026, 3, 1), local_today()
    stats = views.range_stats(marked.db, STATS, first, last)
    (math,) = [r for r in stats.by_class if r.key == marked.math_class_id]
    assert math.label == "初一数学 · 数学1班"
    assert (math.figures.lessons_held, math.figures.consumed_fen, math.figures.payments_fen) == (
        2,
        30_000,
        300_000,
    )
    rows = views.students_stats(marked.db, STATS, first, last).rows
    by_name = {r.label: r.figures for r in rows}
    zhang, li = by_name["张三（CARD000）"], by_name["李四（CARD001）"]
    assert (zhang.expected, zhang.attended, zhang.consumed_units, zhang.consumed_fen) == (
        2,
        2,
        Decimal(2),
        20_000,
    )
    assert (li.expected, li.attended, li.consumed_fen, li.payments_fen) == (2, 1, 10_000, 100_000)
    assert li.attendance_rate == Decimal("0.5000")
    # the class table agrees with the students' sums
    assert math.figures.consumed_fen == sum(r.figures.consumed_fen for r in rows)
    with pytest.raises(ValidationError):
        views.students_stats(marked.db, STATS, last, first)
    with pytest.raises(PermissionDenied):
        views.students_stats(marked.db, DESK, first, last)


def test_quick_ranges() -> None:
    today = date(2026, 3, 15)
    assert views.quick_range("this_month", today) == (date(2026, 3, 1), today)
    assert views.quick_range("last_month", today) == (date(2026, 2, 1), date(2026, 2, 28))
    assert views.quick_range("last_month", date(2026, 1, 5)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert views.quick_range("this_term", today) == (date(2026, 2, 1), today)
    assert views.quick_range("this_term", date(2026, 1, 10)) == (date(2025, 9, 1), date(2026, 1, 10))
    assert views.quick_range("this_year", today) == (date(2026, 1, 1), today)
    with pytest.raises(ValidationError):
        views.quick_range("someday", today)


def test_chart_months_follow_the_range() -> None:
    assert views.chart_months(date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, m, 1) for m in range(1, 13)
    ]
    assert views.chart_months(date(2026, 2, 1), date(2026, 3, 15)) == [date(2026, 2, 1), date(2026, 3, 1)]
    one = views.chart_months(date(2026, 3, 1), date(2026, 3, 31))
    assert len(one) == 12 and one[0] == date(2025, 4, 1) and one[-1] == date(2026, 3, 1)


def test_export_one_table(marked: World, tmp_path: Path) -> None:
    first, last = date(2026, 3, 1), local_today()
    out = tmp_path / "按学员.xlsx"
    assert views.export_table(marked.db, STATS, "student", out, first, last) == 2
    sheet = load_workbook(out).active
    assert sheet is not None
    title, *rows = list(sheet.iter_rows(values_only=True))
    assert title[0] == f"测试培训学校　统计（按学员）　{period_label(first, last)}"
    assert rows[0][0] == "学员" and "预收余额(元)" not in rows[0]
    assert rows[1][0] == "张三（CARD000）" and float(str(rows[1][6])) == 200.0
    klass = tmp_path / "按班级.csv"
    assert views.export_table(marked.db, MANAGER, "klass", klass, first, last) == 1
    assert "初一数学 · 数学1班" in klass.read_text(encoding="utf-8-sig")
    with pytest.raises(ValidationError):
        views.export_table(marked.db, MANAGER, "room", klass, first, last)
    with pytest.raises(PermissionDenied):
        views.export_table(marked.db, DESK, "course", klass, first, last)
