"""Three users' days, driven through the main window on a real database.

The front desk: a walk-in child enrolled from the new-student dialog, then called in today's lesson.

The manager: cancels a lesson (its student gets the lesson back, a make-up is scheduled), moves another
(调课), adds a login for the new front-desk colleague, who signs in, and refunds a contract at the desk.
The statistics clerk: picks 上月 and exports the whole
statistics and the table by class.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.permissions import Actor, Role
from app.services.rollcall import roll_call
from app.services.schedule import add_session
from app.services.staffing import StaffInput, add_staff
from app.services.users import authenticate
from app.views.schedule import week_view
from app.views.stats import add_months, month_end, month_start
from localdb.models import Refund
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.lesson_dialogs import CancelLessonDialog, MoveLessonDialog, OneOffLessonDialog
from ui.dialogs.user_dialogs import AddLoginDialog
from ui.main_window import MainWindow
from ui.messages import Message
from ui.panels.frontdesk import FrontDeskPanel
from ui.panels.schedule import SchedulePanel
from ui.panels.stats import StatsPanel
from ui.panels.students import StudentsPanel
from ui.panels.users import UsersPanel


def _window(qtbot: QtBot, ctx: AppContext, actor: Actor) -> MainWindow:
    ctx.actor = actor
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def _save(dialog: object) -> None:
    buttons = dialog.buttons  # type: ignore[attr-defined]
    assert isinstance(buttons, QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_managers_day(qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]) -> None:
    today = ctx.today()
    roll_call(seed.db, seed.front_desk, seed.session_id, {seed.students["张三"]: "present"})
    tomorrow = add_session(seed.db, seed.manager, seed.klass_id, today + timedelta(days=1), "18:00", "19:00")
    add_staff(seed.db, seed.manager, StaffInput(name="钱前台", kind="other"))
    window = _window(qtbot, ctx, seed.manager)

    schedule = window.show_panel("schedule")
    assert isinstance(schedule, SchedulePanel)
    if tomorrow.dates[0] > schedule.week.days()[-1]:  # type: ignore[union-attr]
        schedule.next_week()
    lesson = next(s for s in schedule.shown_lessons() if s.session_id == tomorrow.session_ids[0])
    schedule.select_lesson(lesson)
    schedule.open_move()
    move = schedule.dialog
    assert isinstance(move, MoveLessonDialog)
    move.start.setTime(QTime(19, 0))
    move.end.setTime(QTime(20, 0))
    _save(move)
    assert [
        s.start for s in week_view(seed.db, seed.manager, tomorrow.dates[0]).lessons if s.day == lesson.day
    ] == ["19:00"]

    schedule.this_week()
    today_lesson = next(s for s in schedule.shown_lessons() if s.session_id == seed.session_id)
    schedule.select_lesson(today_lesson)
    schedule.open_cancel()
    cancel = schedule.dialog
    assert isinstance(cancel, CancelLessonDialog)
    cancel.reason.setText("停电")
    _save(cancel)
    assert "已退回 1 名学员的课时" in cancel.summary.text()
    cancel.make_up_button.click()
    make_up = schedule.dialog
    assert isinstance(make_up, OneOffLessonDialog)
    _save(make_up)
    assert shown[-1].text.startswith("已加课")

    users = window.show_panel("users")
    assert isinstance(users, UsersPanel)
    users.open_add()
    login = users.dialog
    assert isinstance(login, AddLoginDialog)
    login.staff.setCurrentIndex(login.staff.findText("钱前台"))
    login.username.setText("qian")
    login.role.setCurrentIndex(login.role.findText("前台"))
    login.password.setText("qian-pass-1")
    login.confirm.setText("qian-pass-1")
    _save(login)
    assert authenticate(seed.db, "qian", "qian-pass-1").role is Role.FRONT_DESK

    students = window.show_panel("students")
    assert isinstance(students, StudentsPanel)
    students.search.setText("李四")
    qtbot.waitUntil(lambda: students.model.rowCount() == 1)
    students.table.selectRow(0)
    qtbot.waitUntil(lambda: students.profile.title.text() == "李四")
    students.profile.contracts_view.selectRow(0)
    refund = students.open_refund()
    assert refund is not None
    assert not refund.needs_approval  # a manager refunds without a second person
    refund.reason.insert("家长工作调动")
    refund.confirm.click()
    assert refund.finished_refund is not None and refund.finished_refund.approver == "admin"
    with seed.db.reading() as session:
        assert session.scalars(select(Refund.reason)).all() == ["家长工作调动"]


def test_the_clerks_day_exports_last_month(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    last = add_months(month_start(ctx.today()), -1)
    lesson = add_session(seed.db, seed.manager, seed.klass_id, last + timedelta(days=9), "18:00", "19:00")
    roll_call(seed.db, seed.manager, lesson.session_ids[0], {seed.students["张三"]: "present"})
    window = _window(qtbot, ctx, seed.stats)
    stats = window.show_panel("stats")
    assert isinstance(stats, StatsPanel)
    stats.quick.setCurrentIndex(stats.quick.findText("上月"))
    stats.quick.activated.emit(stats.quick.currentIndex())
    assert stats.chosen_range() == (last, month_end(last))
    assert stats.by_class.rowCount() == 1 and stats.by_class.index(0, 1).data() == "1"
    whole = tmp_path / "上月统计.xlsx"
    stats.export_to(whole)
    rows = list(openpyxl.load_workbook(whole).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert str(rows[0][0]).endswith(f"统计　{last.year}年{last.month}月")  # the title row names the month
    assert rows[2][:3] == ("合计", "全机构", 1)
    stats.tables.setCurrentIndex(2)
    by_class = tmp_path / "上月按班级.csv"
    stats.export_table_to(by_class)
    text = by_class.read_text(encoding="utf-8-sig")
    assert "少儿美术 · 美术周末班" in text and shown[-1].text == "已导出 1 行到 上月按班级.csv"


def test_the_front_desks_day_enrols_a_walk_in_child_and_calls_the_lesson(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    window = _window(qtbot, ctx, seed.front_desk)
    students = window.show_panel("students")
    assert isinstance(students, StudentsPanel)
    dialog = students.open_new()
    dialog.name.insert("周小宝")
    QTest.keyClicks(dialog.id_number, "110105201503070013")  # a boy born 2015-03-07
    QTest.keyClicks(dialog.phone, "13800138000")
    guardian = dialog.guardian_rows[0]
    guardian.name.insert("周爸爸")
    guardian.relation.setCurrentText("父亲")
    QTest.keyClicks(guardian.phone, "13900139000")
    dialog.enroll_button.click()
    wizard = students.enroll_wizard
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.deal.units.setValue(10)
    wizard.next()
    wizard.next()
    wizard.next()  # 签约并收费
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.receipt)
    wizard.button(QWizard.WizardButton.FinishButton).click()

    frontdesk = window.show_panel("frontdesk")
    assert isinstance(frontdesk, FrontDeskPanel)
    qtbot.waitUntil(lambda: frontdesk.session is not None and frontdesk.roster.rowCount() > 0)
    names = [line.name for line in frontdesk.roster.loaded_rows()]
    assert "周小宝" in names
    view = frontdesk.roster_view
    view.setFocus()
    view.selectRow(names.index("周小宝"))
    QTest.keyClick(view, Qt.Key.Key_1)
    QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已保存" in frontdesk.scan_result.text())
    child = next(line for line in frontdesk.roster.loaded_rows() if line.name == "周小宝")
    assert (child.status, child.charged) == ("present", True)
