"""统计: the twelve-month charts carry the right totals on a small known dataset (payments, one roll call,
one refund), the range tables by course and teacher, and the Excel export written in the background."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.reports.stats import statistics
from app.services.refunds import execute_refund
from app.services.rollcall import roll_call
from app.views.stats import add_months, last_months, month_end
from localdb.models import Attendance, Contract, Refund
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.models.stats import stats_model
from ui.panels.stats import StatsPanel

PAYMENTS_FEN = 3 * 120000 + 12000  # three packages of 10 课时 and one of 1 课时, sold today by the seed


def _activity(seed: Seed) -> None:
    """Today's lesson: present, late, leave, absent (2 of 4 attend); then 李四's contract is refunded."""
    s = seed.students
    marks = {s["张三"]: "present", s["李四"]: "late", s["王小明"]: "leave", s["赵丽"]: "absent"}
    roll_call(seed.db, seed.manager, seed.session_id, marks)
    with seed.db.reading() as session:
        contract = session.scalar(select(Contract.id).where(Contract.student_id == s["李四"]))
    execute_refund(seed.db, seed.manager, str(contract), "转学")


def _sums(seed: Seed) -> tuple[int, int]:
    with seed.db.reading() as session:
        consumed = session.scalar(select(func.sum(Attendance.amount_fen)).where(Attendance.charged.is_(True)))
        refunded = session.scalar(select(func.sum(Refund.amount_fen)))
    return int(consumed or 0), int(refunded or 0)


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> StatsPanel:
    ctx.actor = seed.stats
    panel = StatsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 760)
    panel.show()
    panel.activated()
    return panel


def test_month_helpers() -> None:
    from datetime import date

    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)
    months = last_months(date(2026, 3, 15))
    assert len(months) == 12 and months[0] == date(2025, 4, 1) and months[-1] == date(2026, 3, 1)


def test_charts_have_the_right_totals(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    _activity(seed)
    consumed, refunded = _sums(seed)
    assert consumed > 0 and refunded > 0
    panel = _panel(qtbot, ctx, seed)
    charts = panel.charts
    assert [b.count() for b in charts.bar_sets.values()] == [12, 12, 12]
    assert charts.total("payments") == pytest.approx(PAYMENTS_FEN / 100)
    assert charts.total("consumed") == pytest.approx(consumed / 100)
    assert charts.total("refunds") == pytest.approx(refunded / 100)
    assert charts.bar_sets["payments"].at(11) == pytest.approx(PAYMENTS_FEN / 100)  # all of it this month
    points = charts.rate_series.points()
    assert len(points) == 1 and points[0].x() == 11 and points[0].y() == pytest.approx(50.0)
    assert shown == []


def test_range_tables_by_course_and_teacher(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    _activity(seed)
    consumed, refunded = _sums(seed)
    panel = _panel(qtbot, ctx, seed)
    course = [panel.by_course.index(0, c).data() for c in range(panel.by_course.columnCount())]
    assert course[:3] == ["少儿美术", "1", "50.0%"]
    assert panel.by_teacher.index(0, 0).data() == "周老师"
    stats = statistics(seed.db, seed.stats, *panel.chosen_range())
    assert stats.total.consumed_fen == consumed and stats.total.refunds_fen == refunded
    assert "出勤率 50.0%" in panel.totals.text()


def test_export_writes_an_excel_file(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    _activity(seed)
    panel = _panel(qtbot, ctx, seed)
    assert panel.export_button.isVisibleTo(panel)
    out = tmp_path / "stats.xlsx"
    panel.export_to(out)
    assert out.exists()
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    title, *rows = list(sheet.iter_rows(values_only=True))
    assert str(title[0]).startswith("星光艺术培训中心　统计　")
    assert rows[0][:2] == ("维度", "名称") and rows[1][:2] == ("合计", "全机构")
    assert shown[-1].text.startswith("已导出") and "stats.xlsx" in shown[-1].text


def test_stats_model(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    _activity(seed)
    model = stats_model()
    stats = statistics(seed.db, seed.stats, ctx.today(), ctx.today())
    model.set_rows(stats.by_course + stats.by_teacher)
    assert model.rowCount() == 2
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
