"""统计 › 管理评价 driven through the real widgets on a real database: by teacher and class, compared
with another period, the chart of a chosen metric, the comments of a row, and the export."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import openpyxl
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.refunds import execute_refund
from app.services.rollcall import roll_call
from app.views.evaluation import evaluate_compared, previous_period
from localdb.models import Contract
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.models.evaluation import delta_columns, evaluation_model
from ui.panels.stats import StatsPanel


def _contract(seed: Seed, name: str) -> str:
    with seed.db.reading() as session:
        return str(session.scalar(select(Contract.id).where(Contract.student_id == seed.students[name])))


def _activity(seed: Seed, ctx: AppContext) -> None:
    """Today: 张三 present, 李四 late, 王小明 leave, 赵丽 absent; two reviews of the class (today) and
    one last month; 李四's contract refunded."""
    s = seed.students
    marks = {s["张三"]: "present", s["李四"]: "late", s["王小明"]: "leave", s["赵丽"]: "absent"}
    roll_call(seed.db, seed.manager, seed.session_id, marks)
    today = ctx.today()
    reviews = [
        (5, "老师很耐心", today, "张三"),
        (3, "作业有点多", today, "王小明"),
        (4, "上月的评价", today.replace(day=1) - timedelta(days=3), "张三"),
    ]
    with seed.db.engine.begin() as conn:
        for i, (rating, text, day, name) in enumerate(reviews):
            payload = {
                "rating": rating,
                "text": text,
                "created_at": f"{day.isoformat()}T02:00:00Z",
                "contract_id": _contract(seed, name),
            }
            conn.exec_driver_sql(
                "INSERT INTO platform_inbox (entity, entity_id, version, payload) VALUES ('review', ?, 1, ?)",
                (f"review-{i}", json.dumps(payload, ensure_ascii=False)),
            )
    execute_refund(seed.db, seed.manager, _contract(seed, "李四"), "转学")


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> StatsPanel:
    ctx.actor = seed.stats
    panel = StatsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    panel.activated()
    panel.tables.setCurrentWidget(panel.evaluation)
    return panel


def _row(panel: StatsPanel, row: int) -> list[str]:
    model = panel.evaluation.model
    return [model.index(row, c).data() or "" for c in range(model.columnCount())]


def test_evaluation_tab_by_teacher_and_class_with_chart_and_comments(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    _activity(seed, ctx)
    panel = _panel(qtbot, ctx, seed)
    tab = panel.evaluation
    assert panel.current_table() == "evaluation"
    assert tab.model.rowCount() == 2  # 周老师 and the total
    zhou = _row(panel, 0)
    # name, then each metric and its (hidden) change: 上课次数, 出勤率, 每节课消, 补课率, 平均评分, 评价数 …
    assert zhou[0] == "周老师" and zhou[1] == "1" and zhou[3] == "50.0%"
    assert zhou[7] == "0.0%" and zhou[9] == "4.00" and zhou[11] == "2"  # 王小明's leave not made up yet
    assert _row(panel, 1)[0] == "合计"
    assert all(tab.table.isColumnHidden(c) for c in delta_columns())
    assert tab.chart.categories == ["周老师"] and tab.chart.values() == [50.0]
    tab.chart_metric.setCurrentIndex(tab.chart_metric.findData("average_rating"))
    tab.chart_metric.activated.emit(tab.chart_metric.currentIndex())
    assert tab.chart.values() == [4.0]
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    comments = tab.comments.toPlainText().splitlines()
    assert len(comments) == 2 and "★★★★★ 老师很耐心" in comments[0] + comments[1]
    tab.by.setCurrentIndex(tab.by.findData("klass"))
    tab.by.activated.emit(tab.by.currentIndex())
    assert _row(panel, 0)[0] == "少儿美术 · 美术周末班"
    roll_call(seed.db, seed.manager, seed.session_id, {seed.students["王小明"]: "present"})
    panel.refresh()  # what a change of attendance (here or pulled by sync) does to the screen
    assert _row(panel, 0)[3] == "75.0%"
    assert shown == []


def test_evaluation_tab_compares_with_the_previous_period_and_typed_dates(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    _activity(seed, ctx)
    panel = _panel(qtbot, ctx, seed)
    tab = panel.evaluation
    tab.compare.setCurrentIndex(tab.compare.findData("previous"))
    tab.compare.activated.emit(tab.compare.currentIndex())
    assert not any(tab.table.isColumnHidden(c) for c in delta_columns())
    previous = previous_period(*panel.chosen_range())
    assert previous[0].isoformat() in tab.summary.text()
    zhou = _row(panel, 0)
    # last month: one review of 4 stars and no lesson: one more lesson, no attendance rate to compare
    assert zhou[2] == "+1" and zhou[4] == "" and zhou[10] == "0.00" and zhou[12] == "+1"
    assert len(tab.chart.bar_sets) == 2
    tab.compare.setCurrentIndex(tab.compare.findData("custom"))
    tab.compare.activated.emit(tab.compare.currentIndex())
    assert tab.compare_from.isVisible() and tab.compare_from.text() == previous[0].isoformat()
    tab.compare_from.setText("2026-13-01")
    tab.compare_from.returnPressed.emit()
    assert tab.compare_error.isVisibleTo(tab) and "日期格式不正确" in tab.compare_error.text()
    tab.compare_from.setText(previous[0].isoformat())
    tab.compare_to.setText(previous[0].isoformat())
    tab.compare_to.returnPressed.emit()
    assert not tab.compare_error.isVisibleTo(tab)
    assert tab.comparison is not None and tab.comparison.previous is not None
    assert tab.comparison.previous.date_to == previous[0]


def test_evaluation_export_from_the_stats_export_button(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    _activity(seed, ctx)
    panel = _panel(qtbot, ctx, seed)
    assert panel.default_table_name().startswith("管理评价按教师-")
    out = tmp_path / "evaluation.xlsx"
    panel.export_table_to(out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    title, header, zhou, total = list(sheet.iter_rows(values_only=True))
    assert "管理评价（按教师）" in str(title[0])
    assert header[:3] == ("教师", "上课次数", "出勤率") and zhou[0] == "周老师" and total[0] == "合计"
    assert "老师很耐心" in str(zhou[-1])
    assert shown[-1].text == f"已导出 2 行到 {out.name}"


def test_evaluation_model(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    _activity(seed, ctx)
    comparison = evaluate_compared(seed.db, seed.stats, "teacher", (ctx.today(), ctx.today()))
    model = evaluation_model()
    model.set_rows([*comparison.rows, comparison.total])
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
