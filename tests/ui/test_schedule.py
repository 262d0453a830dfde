"""排课: the week view, week navigation, a rule refused with every problem listed (nothing written), a
valid rule whose lessons appear, double bookings and rule violations highlighted with reasons on hover."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.views.schedule import monday_of, week_view
from localdb.models import Klass, LessonSession
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.lesson_dialogs import (
    CancelLessonDialog,
    MoveLessonDialog,
    OneOffLessonDialog,
    SubstituteDialog,
)
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


def _click_lesson(qtbot: QtBot, panel: SchedulePanel, start: str) -> None:
    block = next(b for b in panel.grid.blocks() if b.lesson.start == start)
    QTest.mouseClick(panel.grid, Qt.MouseButton.LeftButton, pos=block.rect.center().toPoint())
    assert panel.selected is not None and panel.selected.start == start


def test_cancel_a_lesson_with_its_reason_then_schedule_the_make_up(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    from app.services.rollcall import roll_call

    roll_call(seed.db, seed.front_desk, seed.session_id, {seed.students["张三"]: "present"})
    panel = _panel(qtbot, ctx, seed)
    assert not panel.cancel_button.isEnabled()  # nothing selected yet
    _click_lesson(qtbot, panel, "18:00")
    QTest.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, CancelLessonDialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled() and dialog.reason_error.text() == "请填写取消原因"
    assert not dialog.make_up_button.isVisibleTo(dialog)  # offered only once cancelled
    dialog.reason.setText("老师请假")
    assert save.isEnabled() and not dialog.reason_error.isVisible()
    QTest.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "已退回 1 名学员的课时" in dialog.summary.text() and dialog.make_up_button.isVisible()
    assert panel.selected is not None and panel.selected.status == "cancelled"
    assert not panel.cancel_button.isEnabled()
    QTest.mouseClick(dialog.make_up_button, Qt.MouseButton.LeftButton)
    make_up = panel.dialog
    assert isinstance(make_up, OneOffLessonDialog) and make_up.klass.currentData() == seed.klass_id
    assert make_up.day.date().toPython() == ctx.today() + timedelta(weeks=1)
    make_up.end.setTime(QTime(20, 45))  # offline lessons end by 20:30: refused, nothing saved
    make_up.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert any("不得晚于20:30" in line for line in make_up.problem_lines())
    make_up.end.setTime(QTime(19, 0))
    make_up.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert make_up.result() == QDialog.DialogCode.Accepted
    assert shown[-1].text.startswith("已加课")
    later = week_view(seed.db, seed.manager, ctx.today() + timedelta(weeks=1)).lessons
    assert [(s.start, s.end) for s in later] == [("18:00", "19:00")]


def test_move_a_lesson_and_refusals(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    _click_lesson(qtbot, panel, "18:00")
    QTest.mouseClick(panel.move_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, MoveLessonDialog)
    dialog.start.setTime(QTime(20, 0))
    dialog.end.setTime(QTime(21, 0))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert any("不得晚于20:30" in line for line in dialog.problem_lines())
    assert [s.start for s in panel.shown_lessons()] == ["18:00"]  # nothing saved
    dialog.start.setTime(QTime(19, 0))
    dialog.end.setTime(QTime(20, 0))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [s.start for s in panel.shown_lessons()] == ["19:00"]


def test_substitute_teacher_must_be_allowed(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    from app.services.staffing import StaffInput, add_staff, set_background_check

    add_staff(seed.db, seed.manager, StaffInput(name="新老师", ability_cert_no="MS-002"))  # not checked yet
    ok = add_staff(seed.db, seed.manager, StaffInput(name="吴老师", ability_cert_no="MS-003"))
    set_background_check(seed.db, seed.manager, ok.staff_id, "passed")
    panel = _panel(qtbot, ctx, seed)
    _click_lesson(qtbot, panel, "18:00")
    QTest.mouseClick(panel.substitute_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, SubstituteDialog)
    names = [dialog.teacher.itemText(i) for i in range(dialog.teacher.count())]
    assert "周老师" not in names  # the lesson's own teacher is not a substitute
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("新老师"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert any("准入查询" in line for line in dialog.problem_lines())
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("吴老师"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [s.teacher_name for s in panel.shown_lessons()] == ["吴老师"]


def test_rule_over_a_holiday_lists_the_skipped_dates_to_confirm(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    from app.services.catalog import CourseInput, add_course
    from app.services.classes import KlassInput, add_class
    from app.services.staffing import StaffInput, add_staff, set_background_check

    teacher = add_staff(seed.db, seed.manager, StaffInput(name="王老师", teacher_cert_subject="初中数学"))
    set_background_check(seed.db, seed.manager, teacher.staff_id, "passed")
    course = add_course(
        seed.db,
        seed.manager,
        CourseInput("初一数学", "subject", "数学", "compulsory", 45, Decimal(20), 200_000),
    )
    klass = add_class(seed.db, seed.manager, KlassInput(course.course_id, "数学1班", 20, 0, teacher.staff_id))
    panel = _panel(qtbot, ctx, seed)
    panel.open_add_rule()
    dialog = panel.rule_dialog
    dialog.klass.setCurrentIndex(dialog.klass.findData(klass.klass_id))
    dialog.weekday.setCurrentIndex(0)  # Mondays 2026-04-27 .. 2026-05-11: 05-04 is 劳动节
    dialog.start.setTime(QTime(18, 0))
    dialog.end.setTime(QTime(18, 45))
    dialog.valid_from.setDate(QDate(2026, 4, 27))
    dialog.valid_to.setDate(QDate(2026, 5, 11))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert dialog.outcome is None and save.text() == "确认排课"
    assert "将跳过" in dialog.summary.text() and "其余 2 节" in dialog.summary.text()
    assert [line[:10] for line in dialog.problem_lines()] == ["2026-05-04"]
    assert week_view(seed.db, seed.manager, date(2026, 4, 27)).lessons == ()  # nothing written yet
    save.click()
    assert dialog.outcome is not None and dialog.outcome.sessions_created == 2
    assert shown[-1].text == "已排课 2 节，跳过 1 个节假日或寒暑假日期"
    assert [s.day for s in week_view(seed.db, seed.manager, date(2026, 5, 4)).lessons] == []
    assert len(week_view(seed.db, seed.manager, date(2026, 5, 11)).lessons) == 1


def test_the_rule_dialog_says_which_school_calendar_is_in_force(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx, seed)
    panel.open_add_rule()
    dialog = panel.rule_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "当前校历" in dialog.calendar.text())
    text = dialog.calendar.text()
    assert "全国默认校历（InstDesk 的保守估计）" in text
    assert f"{ctx.today().year}-07-15 至 {ctx.today().year}-08-31" in text
    assert "请以当地教育局公布的校历为准" in text
