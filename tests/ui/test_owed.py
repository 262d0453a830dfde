"""先学后付 at the desk, driven through the widgets: join a pay-after course from its dialog, lessons owed
after the roll call, 收款 of a chosen lesson with its receipt, an overpayment refused, a reminder copied and
recorded, 今日 and 统计 showing what is owed apart from prepaid 课消."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services import rollcall
from app.services.catalog import CourseInput, add_course
from app.services.classes import KlassInput, add_class
from app.services.schedule import add_session
from app.views.pay_after import owed_lessons
from app.views.students import session_roster
from localdb.models import Course
from tests.documents.conftest import pdf_pages
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.pay_after_dialogs import JoinPayAfterDialog
from ui.messages import Message
from ui.models.frontdesk import RosterModel
from ui.panels.courses import CoursesPanel
from ui.panels.owed import OwedPanel
from ui.panels.today import TodayPanel


def _learn_first_lessons(seed: Seed, today: date) -> tuple[str, list[str]]:
    """A 先学后付 course with a class and two lessons (yesterday and today)."""
    course = CourseInput(
        name="少儿书法（先学后付）", category="non_subject", subject="书法", stage="compulsory",
        minutes_per_lesson=60, lessons_per_package=Decimal(10), price_fen=100_000, pay_after_learning=True,
    )  # fmt: skip
    course_id = add_course(seed.db, seed.manager, course).course_id
    klass_id = add_class(
        seed.db, seed.manager, KlassInput(course_id=course_id, name="书法班", capacity=10)
    ).klass_id
    lessons = [
        add_session(seed.db, seed.manager, klass_id, day, "18:00", "19:00").session_ids[0]
        for day in (today - timedelta(days=1), today)
    ]
    return course_id, lessons


def _join(qtbot: QtBot, ctx: AppContext, seed: Seed, name: str) -> JoinPayAfterDialog:
    dialog = JoinPayAfterDialog(ctx, seed.students[name], name)
    qtbot.addWidget(dialog)
    assert (
        dialog.course.count() == 1 and "先学后付" in dialog.course.currentText()
    )  # prepaid ones not offered
    assert dialog.price.text() == "100.00"  # the package price per lesson, proposed
    dialog.price.setText("90")
    dialog.confirm.click()
    assert dialog.result_ is not None
    return dialog


def test_join_owe_pay_and_remind_through_the_screen(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    ctx: AppContext,
    seed: Seed,
    shown: list[Message],
    tmp_path: Path,
) -> None:
    today = ctx.today()
    _, lessons = _learn_first_lessons(seed, today)
    joined = _join(qtbot, ctx, seed, "陈晨")
    assert "每节课 90.00 元" in shown[-1].text
    student = seed.students["陈晨"]
    for lesson in lessons:
        rollcall.roll_call(seed.db, ctx.require_actor(), lesson, {student: "present"})
    assert joined.result_ is not None

    panel = OwedPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    qtmodeltester.check(panel.families)  # type: ignore[no-untyped-call]
    qtmodeltester.check(panel.lessons)  # type: ignore[no-untyped-call]
    assert panel.families.rowCount() == 1 and panel.families.index(0, 0).data() == "陈晨"
    assert panel.families.index(0, 3).data() == "180.00 元" and panel.families.index(0, 7).data() == "未提醒"
    assert "1 户欠费，共 2 节课 180.00 元" in panel.totals.text()
    assert panel.lessons.rowCount() == 2 and panel.lessons.index(0, 3).data() == "出勤"

    # pay the newest lesson only (chosen in the lower table)
    panel.lesson_table.selectRow(1)
    dialog = panel.open_pay()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.amount.text() == "90.00" and "所选的 1 节课" in dialog.which.text()
    dialog.amount.setText("90.01")
    dialog.confirm.click()
    assert dialog.paid is None and "超过" in shown[-1].text  # refused, nothing saved
    dialog.amount.setText("90")
    dialog.confirm.click()
    assert dialog.paid is not None and "收据 A1-" in shown[-1].text and "仍欠 90.00 元" in shown[-1].text
    assert panel.families.index(0, 3).data() == "90.00 元"  # the screen followed the announcement
    assert panel.save_button.isEnabled() and panel.receipt is not None
    receipt = panel.save_receipt(tmp_path / "receipt.pdf")
    assert receipt is not None
    text = "".join(pdf_pages(receipt))
    assert panel.receipt.number in text and "先学后付1节课" in text and "不进入资金监管账户" in text
    [left] = owed_lessons(seed.db, ctx.require_actor(), student)
    assert left.lesson_date == today - timedelta(days=1)

    panel.remind_button.click()
    assert "90.00元" in QApplication.clipboard().text() and "陈" in QApplication.clipboard().text()
    assert panel.families.index(0, 7).data().endswith("已提醒")


def test_today_shows_what_families_owe(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    today = ctx.today()
    _, lessons = _learn_first_lessons(seed, today)
    _join(qtbot, ctx, seed, "刘洋")
    rollcall.roll_call(seed.db, ctx.require_actor(), lessons[0], {seed.students["刘洋"]: "present"})
    panel = TodayPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    assert panel.owed_figure.figure.text() == "90.00 元"
    assert panel.owed_figure.caption.text() == "1 户，1 节课未付"
    with qtbot.waitSignal(panel.navigate) as nav:
        panel.open_owed.click()
    assert nav.args == ["owed", ""]


def test_a_course_is_made_learn_first_in_its_form(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    ctx.actor = seed.manager
    panel = CoursesPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    panel.table.selectRow(0)
    assert not panel.form.pay_after.isChecked()
    panel.form.pay_after.setChecked(True)
    panel.save()
    assert panel.current is not None and panel.current.pay_after_learning
    with seed.db.reading() as session:
        course = session.get(Course, seed.course_id)
        assert course is not None and course.pay_after_learning
    panel.table.selectRow(0)
    assert panel.form.pay_after.isChecked()


def test_the_roll_call_roster_says_learn_first_instead_of_no_units(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    _, lessons = _learn_first_lessons(seed, ctx.today())
    _join(qtbot, ctx, seed, "陈晨")
    model = RosterModel()
    model.set_roster(session_roster(seed.db, ctx.require_actor(), lessons[1]))
    [row] = [r for r in range(model.rowCount()) if model.index(r, 0).data() == "陈晨"]
    assert model.index(row, 3).data() == "先学后付" and model.index(row, 4).data() == ""
