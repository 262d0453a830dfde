"""The shell's home: navigation with icons, badges and Ctrl+1…9, the 今日 screen and its links, notices
(collected once, shown as passing notifications, kept under 平台 → 通知 until handled), empty states."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.db import Database
from app.services.notices import collect_notices, list_open_notices, mark_notices_handled
from app.services.rollcall import roll_call
from app.workcal import add_working_days
from localdb.models import Course
from sync.inbox import inbox_params, store_inbox
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.sizing import DialogSizes
from ui.main_window import DEFAULT_SIZE, MainWindow
from ui.panels.frontdesk import FrontDeskPanel
from ui.panels.inbox import InboxPanel
from ui.panels.staff import StaffPanel
from ui.panels.students import StudentsPanel
from ui.panels.today import TodayPanel
from ui.panels.users import UsersPanel


def _window(qtbot: QtBot, ctx: AppContext, seed: Seed) -> MainWindow:
    ctx.actor = seed.manager
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _set_review(db: Database, course_id: str, status: str, reason: str | None = None) -> None:
    with db.transaction() as session:
        session.execute(
            update(Course).where(Course.id == course_id).values(review_status=status, review_reason=reason)
        )


def _refund_request(db: Database, seed: Seed, request_id: str, today: date) -> None:
    from sqlalchemy import select

    from localdb.models import Contract

    with db.reading() as session:
        contract = str(
            session.scalar(select(Contract.id).where(Contract.student_id == seed.students["李四"]))
        )
    payload = {
        "id": request_id,
        "contract_id": contract,
        "amount_fen": 120000,
        "status": "requested",
        "reason": "孩子转学",
        "requested_on": today.isoformat(),
        "deadline": add_working_days(today, 5).isoformat(),
    }
    with db.transaction() as session:
        store_inbox(session.connection(), [inbox_params("refund_request", request_id, 1, False, payload)])


# --- navigation ------------------------------------------------------------------------------------------
def test_navigation_has_an_icon_per_screen_and_marks_the_current_one(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    window = _window(qtbot, ctx, seed)
    buttons = window.nav.buttons
    assert [b.text() for b in buttons] == [
        "今日",
        "前台",
        "学员",
        "课程",
        "排课",
        "员工",
        "平台",
        "统计",
        "用户",
        "先学后付",
    ]
    assert all(not b.icon().isNull() for b in buttons)
    assert buttons[0].isChecked() and window.page_title.text() == "今日"
    buttons[2].click()
    assert buttons[2].isChecked() and not buttons[0].isChecked()
    assert isinstance(window.stack.currentWidget(), StudentsPanel) and window.page_title.text() == "学员"


def test_ctrl_and_a_digit_switch_screens(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    window = _window(qtbot, ctx, seed)
    window.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is window.windowHandle())
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), FrontDeskPanel)
    QTest.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), InboxPanel)
    QTest.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), UsersPanel)
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), TodayPanel)


def test_badges_count_lessons_to_call_and_requests_to_answer(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    window = _window(qtbot, ctx, seed)
    frontdesk, platform = window.nav.buttons[1], window.nav.buttons[6]
    qtbot.waitUntil(lambda: frontdesk.badge == 1)
    assert platform.badge == 0 and platform.badge_text() == ""
    _refund_request(seed.db, seed, "rr-badge", ctx.today())
    roll_call(seed.db, seed.manager, seed.session_id, {seed.students["张三"]: "present"})
    window.refresh_badges()
    assert frontdesk.badge == 0 and platform.badge == 1 and platform.badge_text() == "1"
    frontdesk.set_badge(150)
    assert frontdesk.badge_text() == "99+"


def test_default_size_fits_a_1366_by_768_laptop(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    ctx.settings.window_geometry = b""
    window = _window(qtbot, ctx, seed)
    screen = QGuiApplication.primaryScreen().availableGeometry().size()
    assert window.size() == DEFAULT_SIZE.boundedTo(screen)  # never larger than the screen
    assert DEFAULT_SIZE.width() <= 1366 and DEFAULT_SIZE.height() <= 768 - 40  # a task bar
    window.resize(DEFAULT_SIZE)
    for key in ("frontdesk", "students"):
        panel = window.show_panel(key)
        qtbot.wait(10)
        if isinstance(panel, FrontDeskPanel):
            views = [panel.sessions_view, panel.roster_view]
        else:
            assert isinstance(panel, StudentsPanel)
            views = [panel.table]
        for view in views:
            assert view.horizontalScrollBar().maximum() == 0, f"{key}: columns do not fit"


# --- 今日 ----------------------------------------------------------------------------------------------
def test_today_lists_lessons_arrivals_low_balances_and_refunds(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    _refund_request(seed.db, seed, "rr-today", ctx.today())
    window = _window(qtbot, ctx, seed)
    panel = window.panel("today")
    assert isinstance(panel, TodayPanel)
    qtbot.waitUntil(lambda: panel.overview is not None)
    assert panel.lessons.model.index(0, 4).data() == "未点名"
    assert panel.lessons_figure.figure.text() == "1" and panel.lessons_figure.caption.text() == "未点名 1 节"
    low = {panel.low.model.index(r, 0).data() for r in range(panel.low.model.rowCount())}
    assert low == {"赵丽", "陈晨"}
    assert panel.refunds.model.index(0, 0).data() == "李四"
    assert panel.refunds.model.index(0, 2).data() == "剩 5 个工作日"
    assert not panel.refunds.empty.label.isVisible() and panel.refunds.view.isVisible()
    roll_call(seed.db, seed.manager, seed.session_id, {seed.students["张三"]: "present"})
    panel.refresh()
    assert panel.arrivals_figure.figure.text() == "1"
    assert panel.lessons.model.index(0, 4).data() == "点名中 1/5"


def test_each_item_of_today_opens_where_it_is_handled(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    _refund_request(seed.db, seed, "rr-open", ctx.today())
    window = _window(qtbot, ctx, seed)
    today = window.panel("today")
    assert isinstance(today, TodayPanel)
    qtbot.waitUntil(lambda: today.overview is not None)
    today.lessons.view.clicked.emit(today.lessons.model.index(0, 1))
    frontdesk = window.stack.currentWidget()
    assert isinstance(frontdesk, FrontDeskPanel)
    qtbot.waitUntil(lambda: frontdesk.session is not None and frontdesk.session.session_id == seed.session_id)
    window.show_panel("today")
    today.low.view.clicked.emit(today.low.model.index(0, 0))
    students = window.stack.currentWidget()
    assert isinstance(students, StudentsPanel) and students.current_id == seed.students["陈晨"]
    window.show_panel("today")
    today.refunds.view.activated.emit(today.refunds.model.index(0, 0))
    inbox = window.stack.currentWidget()
    assert isinstance(inbox, InboxPanel) and inbox.tabs.currentIndex() == inbox.tab_keys().index("refund")
    qtbot.waitUntil(lambda: inbox.by_kind["refund"].selected() is not None)
    assert inbox.by_kind["refund"].selected().item_id == "rr-open"


def test_a_day_without_lessons_says_so(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    ctx.today = lambda: date(2030, 1, 1)
    window = _window(qtbot, ctx, seed)
    panel = window.panel("today")
    assert isinstance(panel, TodayPanel)
    qtbot.waitUntil(lambda: panel.overview is not None)
    assert panel.lessons.empty.label.isVisible()
    assert "今天没有课" in panel.lessons.empty.label.text()


# --- notices -------------------------------------------------------------------------------------------
def test_notices_start_from_a_silent_baseline_and_note_each_change_once(seed: Seed) -> None:
    db, today = seed.db, date(2026, 12, 3)
    _set_review(db, seed.course_id, "approved")
    assert collect_notices(db, today) == []  # what was there at the first collection is not news
    assert collect_notices(db, today) == []
    _set_review(db, seed.course_id, "pending")
    assert collect_notices(db, today) == []  # recorded, but not news
    _set_review(db, seed.course_id, "rejected", "价格超过指导价")
    [rejected] = collect_notices(db, today)
    assert (rejected.kind, rejected.state, rejected.subject, rejected.detail) == (
        "course_review",
        "rejected",
        "少儿美术",
        "价格超过指导价",
    )
    assert collect_notices(db, today) == []  # the same state is not noticed twice
    _set_review(db, seed.course_id, "approved")
    _refund_request(db, seed, "rr-n", today)
    found = collect_notices(db, today)
    assert sorted((n.kind, n.state) for n in found) == [
        ("course_review", "approved"),
        ("refund_request", "requested"),
    ]
    assert len(list_open_notices(db, seed.manager, 0, 10)) == 3
    assert mark_notices_handled(db, seed.manager, [rejected.id]) == 1
    assert mark_notices_handled(db, seed.manager, [rejected.id]) == 0
    assert len(list_open_notices(db, seed.manager, 0, 10)) == 2
    assert mark_notices_handled(db, seed.manager) == 2
    assert list_open_notices(db, seed.manager, 0, 10) == []


def test_a_decision_arrives_as_a_notification_and_stays_in_the_platform_screen(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    collect_notices(seed.db, ctx.today())  # the baseline
    window = _window(qtbot, ctx, seed)
    _set_review(seed.db, seed.course_id, "approved")
    window.collect_notices()
    [toast] = window.toasts.visible()
    assert toast.title.text() == "课程审核" and toast.text.text() == "课程“少儿美术”审核通过，已上架"
    assert window.focusWidget() is not toast and toast.focusPolicy() == Qt.FocusPolicy.NoFocus
    toast.open_button.click()
    inbox = window.stack.currentWidget()
    assert isinstance(inbox, InboxPanel) and inbox.tabs.currentIndex() == 0
    notices = inbox.by_kind["notices"]
    qtbot.waitUntil(lambda: notices.model.rowCount() == 1)
    assert notices.model.index(0, 2).data() == "课程“少儿美术”审核通过，已上架"
    assert inbox.tabs.tabText(0) == "通知（1）"
    notices.view.selectRow(0)
    notices.buttons["read"].click()
    qtbot.waitUntil(lambda: notices.model.rowCount() == 0)
    assert inbox.tabs.tabText(0) == "通知"


def test_empty_platform_tabs_say_what_will_appear(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    window = _window(qtbot, ctx, seed)
    inbox = window.show_panel("platform")
    assert isinstance(inbox, InboxPanel)
    for kind in inbox.tab_keys():
        inbox.tabs.setCurrentIndex(inbox.tab_keys().index(kind))
        page = inbox.tabs.currentWidget()
        labels = [w.text() for w in page.findChildren(type(window.page_title)) if w.isVisible()]
        assert any("会" in text and "这里" in text for text in labels), kind


# --- dialogs ---------------------------------------------------------------------------------------------
def test_dialogs_are_resizable_and_reopen_at_the_size_they_were_given(
    qtbot: QtBot, qapp: QApplication, ctx: AppContext, seed: Seed
) -> None:
    sizes = DialogSizes(ctx.settings)
    qapp.installEventFilter(sizes)
    try:
        window = _window(qtbot, ctx, seed)
        staff = window.show_panel("staff")
        assert isinstance(staff, StaffPanel)
        first = staff.open_add()
        qtbot.addWidget(first)
        assert first.isSizeGripEnabled() and first.maximumWidth() > 2000
        first.resize(first.width() + 120, first.height() + 60)
        wanted = first.size()
        first.reject()
        again = staff.open_add()
        qtbot.addWidget(again)
        assert again.size() == wanted
        again.reject()
    finally:
        qapp.removeEventFilter(sizes)


def test_quit_closes_the_window(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    window = _window(qtbot, ctx, seed)
    assert window.quit_action.text() == "退出" and window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.quit_action.trigger()
    assert not window.isVisible()
