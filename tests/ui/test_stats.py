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


def test_quick_ranges_month_picker_and_typed_dates(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    from datetime import date

    from app.views.stats import add_months, month_start

    today = ctx.today()
    panel = _panel(qtbot, ctx, seed)
    assert panel.chosen_range() == (month_start(today), today) and panel.quick.currentText() == "本月"
    assert panel.charts.money.title() == f"{panel.months[0].month:%Y-%m} 至 {today:%Y-%m} 每月金额（元）"
    panel.quick.setCurrentIndex(panel.quick.findText("上月"))
    panel.quick.activated.emit(panel.quick.currentIndex())
    last = add_months(month_start(today), -1)
    assert panel.chosen_range() == (last, month_end(last))
    assert panel.date_from.text() == last.isoformat()
    panel.quick.setCurrentIndex(panel.quick.findText("今年"))
    panel.quick.activated.emit(panel.quick.currentIndex())
    assert panel.chosen_range() == (date(today.year, 1, 1), today)
    first_month = f"{date(today.year, 1, 1):%Y-%m}"
    if today.month > 1:  # the charts show the range's own months and say so
        assert panel.charts.money.title().startswith(f"{first_month} 至 {today:%Y-%m}")
        assert len(panel.months) == today.month
    picked = panel.month.findText(f"{last:%Y-%m}")
    panel.month.setCurrentIndex(picked)
    panel.month.activated.emit(picked)
    assert panel.chosen_range() == (last, month_end(last)) and panel.quick.currentText() == "自定义"
    # typed dates, in the ways people type them
    panel.date_from.setText(f"{today.year}/1/5")
    panel.date_to.setText(f"{today.year}年{today.month}月{today.day}日")
    panel.date_to.returnPressed.emit()
    assert panel.chosen_range() == (date(today.year, 1, 5), today)
    assert panel.date_from.text() == f"{today.year}-01-05" and not panel.date_error.isVisible()
    assert panel.totals.text().startswith(f"{today.year}-01-05 至 {today.isoformat()} 合计")
    panel.date_from.setText("2026-13-01")
    panel.apply_typed()
    assert "日期格式不正确" in panel.date_error.text() and panel.chosen_range() == (
        date(today.year, 1, 5),
        today,
    )
    panel.date_from.setText(today.isoformat())
    panel.date_to.setText(f"{today.year - 1}-01-01")
    panel.apply_typed()
    assert panel.date_error.text() == "开始日期不能晚于结束日期"


def test_money_axis_in_yuan_or_wan_with_separators() -> None:
    from datetime import date

    from app.views.stats import MonthFigures
    from ui.widgets.stats_charts import StatsCharts, nice_step, tick_label

    assert (
        nice_step(1234) == 250
        and nice_step(2_000_000) == 500_000
        and tick_label(1_500_000, 500_000) == "1,500,000"
    )
    charts = StatsCharts()
    small = [MonthFigures(date(2026, m, 1), 480_000, 1_230_000, 0, None) for m in (1, 2)]
    charts.show_months(small)
    assert charts.unit == "元" and charts.axis_labels[-1] == "12,500"  # 12,300 元 at most
    assert charts.money.title() == "2026-01 至 2026-02 每月金额（元）"
    large = [
        MonthFigures(date(2026, 1, 1), 0, 200_000_000, 0, None)
    ]  # 2,000,000 元: no "2000000" on the axis
    charts.show_months(large)
    assert charts.unit == "万元" and charts.axis_labels == ["0", "50", "100", "150", "200"]
    assert charts.total("payments") == pytest.approx(2_000_000)
    assert charts.money.title() == "2026-01 每月金额（万元）"


def test_tables_by_class_and_student_and_export_of_each(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    _activity(seed)
    panel = _panel(qtbot, ctx, seed)
    assert panel.by_class.index(0, 0).data() == "少儿美术 · 美术周末班"
    assert panel.by_student.rowCount() == 0  # read when its tab is shown
    panel.tables.setCurrentIndex(3)
    names = [panel.by_student.index(i, 0).data() for i in range(panel.by_student.rowCount())]
    assert "张三（C1000）" in names and "李四（C1001）" in names
    zhang = names.index("张三（C1000）")
    assert panel.by_student.index(zhang, 2).data() == "100.0%"
    for tab, header in enumerate(("课程", "教师", "班级", "学员")):
        panel.tables.setCurrentIndex(tab)
        out = tmp_path / f"table-{tab}.xlsx"
        panel.export_table_to(out)
        sheet = openpyxl.load_workbook(out).active
        assert sheet is not None
        title, *rows = list(sheet.iter_rows(values_only=True))  # the title row names the table and period
        assert f"统计（按{header}）" in str(title[0])
        assert rows[0][0] == header and len(rows) >= 2, header
        assert shown[-1].text == f"已导出 {len(rows) - 1} 行到 {out.name}"


def test_export_is_refused_without_the_permission(
    qtbot: QtBot, ctx: AppContext, seed: Seed, tmp_path: Path, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    ctx.actor = seed.front_desk  # a role without 导出数据 (the buttons are hidden for it)
    panel.export_table_to(tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists() and "权限不足" in shown[-1].text
