"""排课: the week view, week navigation, a rule refused with every problem listed (nothing written), a
valid rule whose lessons appear, double bookings and rule violations highlighted with reasons on hover."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QTime
from pytestqt.qtbot import QtBot

from app.views.schedule import monday_of, week_view
from localdb.models import Klass, LessonSession
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.panels.schedule import SchedulePanel
from ui.widgets.week_grid import describe, lanes


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> SchedulePanel:
    ctx.actor = seed.manager
    panel = SchedulePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    panel.activated()
    return panel


def _extra_session(seed: Seed, start: str, end: str) -> None:
    """A lesson written behind the checks' back (as a second desk offline could), to be flagged."""
    with seed.db.transaction() as session:
        klass = session.get(Klass, seed.klass_id)
        assert klass is not None
        session.add(
            LessonSession(
                klass_id=klass.id,
                date=seed_today(seed),
                start_time=start,
                end_time=end,
                teacher_id=klass.teacher_id,
            )
        )


def seed_today(seed: Seed) -> object:
    with seed.db.reading() as session:
        lesson = session.get(LessonSession, seed.session_id)
        assert lesson is not None
        return lesson.date


def test_week_shows_lessons_and_navigates(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    assert panel.monday == monday_of(ctx.today())
    assert [s.klass_name for s in panel.shown_lessons()] == ["美术周末班"]
    assert panel.summary.text() == "本周 1 节课"
    blocks = panel.grid.blocks()
    assert len(blocks) == 1 and not blocks[0].lesson.conflicted
    assert "周老师" in panel.grid.tooltip_at(blocks[0].rect.center().toPoint())
    panel.next_week()
    assert panel.shown_lessons() == [] and panel.monday == monday_of(ctx.today()) + timedelta(weeks=1)
    panel.this_week()
    assert len(panel.shown_lessons()) == 1


def test_rule_with_violations_is_refused_then_a_valid_one_fills_the_week(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    panel.open_add_rule()
    dialog = panel.rule_dialog
    qtbot.addWidget(dialog)
    dialog.weekday.setCurrentIndex(ctx.today().weekday())
    dialog.start.setTime(QTime(18, 30))
    dialog.end.setTime(QTime(20, 45))  # overlaps today's lesson, and ends after 20:30
    dialog.save()
    lines = dialog.problem_lines()
    assert any("本班在18:00–19:00已有课" in line for line in lines)
    assert any("不得晚于20:30" in line for line in lines)
    assert "未保存" in dialog.summary.text() and dialog.outcome is None
    assert len(week_view(seed.db, seed.manager, ctx.today()).lessons) == 1  # nothing was written
    dialog.weekday.setCurrentIndex((ctx.today().weekday() + 3) % 7)
    dialog.start.setTime(QTime(17, 0))
    dialog.end.setTime(QTime(18, 0))
    dialog.save()
    assert dialog.outcome is not None
    created = dialog.outcome.sessions_created
    assert created in (12, 13)  # every week from this Monday to twelve weeks on
    assert shown[-1].text == f"已排课 {created} 节"
    assert len(panel.shown_lessons()) == 2  # refreshed by the announced change
    assert {s.start for s in panel.shown_lessons()} == {"17:00", "18:00"}


def test_double_booking_and_rule_violation_are_highlighted(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    _extra_session(seed, "18:30", "19:30")  # the same teacher twice
    _extra_session(seed, "20:00", "21:00")  # offline after 20:30
    panel = _panel(qtbot, ctx, seed)
    lessons = {s.start: s for s in panel.shown_lessons()}
    assert lessons["18:00"].conflicted and lessons["18:30"].conflicted
    assert "教师周老师在18:00–19:00同时有两节课" in describe(lessons["18:00"])
    assert "线下培训结束时间不得晚于20:30" in describe(lessons["20:00"])
    assert "3 节有冲突或违规" in panel.summary.text()
    block = next(b for b in panel.grid.blocks() if b.lesson.start == "18:30")
    assert "同时有两节课" in panel.grid.tooltip_at(block.rect.center().toPoint())
    panel.filter.setCurrentIndex(panel.filter.findText("教师：周老师"))
    assert len(panel.shown_lessons()) == 3


def test_overlapping_lessons_share_the_day_column(ctx: AppContext, seed: Seed) -> None:
    _extra_session(seed, "18:30", "19:30")
    week = week_view(seed.db, seed.manager, ctx.today())
    placed = lanes(list(week.lessons))
    assert sorted(placed.values()) == [(0, 2), (1, 2)]
