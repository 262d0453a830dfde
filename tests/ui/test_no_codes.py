"""No status code (``pending``, ``auto_agreed`` …) is ever shown to a user: every panel and dialog of a
database holding items in every state is walked and each visible text is checked against the core's codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.services.notices import collect_notices
from app.services.staffing import StaffInput, add_staff
from app.workcal import add_working_days
from localdb import codes
from localdb.models import Course, Staff, SyncProblem
from localdb.models_platform import DisputeAnswer
from sync.inbox import inbox_params, store_inbox
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.exception_dialog import ExceptionDialog
from ui.dialogs.first_run import FirstRunWizard
from ui.dialogs.signin import SignInDialog
from ui.main_window import MainWindow
from ui.panels.courses import CoursesPanel
from ui.panels.inbox import InboxPanel
from ui.panels.schedule import SchedulePanel
from ui.panels.staff import StaffPanel
from ui.panels.students import StudentsPanel
from ui.panels.users import UsersPanel

WORD = re.compile(r"[A-Za-z_]+")
ALL_CODES = {
    value
    for name in dir(codes)
    if name.isupper()
    for value in getattr(codes, name)
    if isinstance(value, str) and len(value) >= 3
} | {"auto_agreed", "requested", "disputed", "open", "checked_in", "unknown_card", "no_units", "not_in_class"}


def codes_in(text: str) -> set[str]:
    return {word for word in WORD.findall(text or "") if word in ALL_CODES}


#: columns of login names as people typed them (the seed's "desk" and "stats" are names, not codes)
TYPED_NAME_HEADERS = {"用户名"}


def model_texts(model: QAbstractItemModel, rows: int = 50) -> Iterator[str]:
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    headers = [str(model.headerData(column, Qt.Orientation.Horizontal) or "") for column in range(columns)]
    yield from headers
    for row in range(min(rows, model.rowCount(QModelIndex()))):
        for column in range(columns):
            if headers[column] in TYPED_NAME_HEADERS:
                continue
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.index(row, column).data(role)
                if isinstance(value, str):
                    yield value


def visible_texts(root: QWidget) -> Iterator[str]:
    yield root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget.text()
            yield widget.toolTip()
        elif isinstance(widget, QLineEdit):
            yield widget.text()
            yield widget.placeholderText()
        elif isinstance(widget, QComboBox):
            yield from (widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QGroupBox):
            yield widget.title()
        elif isinstance(widget, QTabWidget):
            yield from (widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from model_texts(widget.model())


def assert_no_codes(root: QWidget, where: str) -> None:
    found = {code: text for text in visible_texts(root) for code in codes_in(text)}
    assert not found, f"{where} shows codes: {found}"


def _every_state(seed: Seed, today: date) -> None:
    """Items in each state a user can meet: courses under review and rejected, staff checks, inbox kinds."""
    db = seed.db
    add_staff(db, seed.manager, StaffInput(name="钱会计", kind="other"))
    collect_notices(db, today)  # baseline, then changes that become notices
    with db.transaction() as session:
        session.execute(
            update(Course)
            .where(Course.id == seed.course_id)
            .values(review_status="rejected", review_reason="价格")
        )
        session.execute(update(Staff).where(Staff.name == "钱会计").values(background_check="pending"))
        session.add(
            SyncProblem(entity="course", entity_id=seed.course_id, kind="conflict", reason="version_conflict")
        )
        session.add(SyncProblem(entity="student", entity_id="x", kind="rejected", reason="invalid"))
    deadline = add_working_days(today, 5).isoformat()
    items: list[tuple[str, str, dict[str, object]]] = [
        ("refund_request", "rr-1", {"status": "requested", "amount_fen": 100, "deadline": deadline}),
        ("refund_request", "rr-2", {"status": "auto_agreed", "amount_fen": 100, "deadline": deadline}),
        ("consumption_confirmation", "cc-1", {"status": "disputed", "reason": "没来上课"}),
        ("consumption_confirmation", "cc-2", {"status": "pending", "amount_fen": 100, "deadline": deadline}),
        ("consumption_confirmation", "cc-3", {"status": "answered", "deadline": deadline}),
        ("consumption_confirmation", "cc-4", {"status": "escalated", "parent_reply": "记录不符"}),
        ("consumption_confirmation", "cc-5", {"status": "disputed", "deadline": today.isoformat()}),
        ("complaint", "cp-1", {"status": "open", "subject": "上课时间", "text": "迟到"}),
        ("review", "rv-1", {"status": "open", "rating": 4, "text": "很好"}),
    ]
    with db.transaction() as session:
        store_inbox(session.connection(), [inbox_params(e, i, 1, False, {"id": i, **p}) for e, i, p in items])
        session.add(
            DisputeAnswer(
                confirmation_id="cc-5",
                attendance_id="a-5",
                decision="roll_call",
                state="conflict",
                server_status="escalated",
            )
        )
    collect_notices(db, today)


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, seed: Seed) -> MainWindow:
    _every_state(seed, ctx.today())
    ctx.actor = seed.manager
    shown = MainWindow(ctx)
    qtbot.addWidget(shown)
    shown.resize(1360, 720)
    shown.show()
    return shown


def test_no_panel_shows_a_code(qtbot: QtBot, window: MainWindow) -> None:
    for key in window.panel_keys():
        panel = window.show_panel(key)
        panel.refresh()
        qtbot.wait(5)
        if isinstance(panel, InboxPanel):
            for index in range(panel.tabs.count()):
                panel.tabs.setCurrentIndex(index)
                assert_no_codes(panel, f"平台 tab {panel.tabs.tabText(index)}")
        if isinstance(panel, StudentsPanel | CoursesPanel | StaffPanel):
            table = getattr(panel, "table", None)
            if table is not None and table.model().rowCount():
                table.selectRow(0)
                qtbot.wait(5)
        assert_no_codes(panel, key)
    assert_no_codes(window, "the main window")


def test_no_dialog_shows_a_code(qtbot: QtBot, window: MainWindow, ctx: AppContext, seed: Seed) -> None:
    dialogs: list[QWidget] = [window.open_settings(), SignInDialog(ctx), FirstRunWizard(ctx)]
    dialogs.append(ExceptionDialog("出错了", "Traceback …", "/tmp/instdesk.log", window))
    staff = window.show_panel("staff")
    assert isinstance(staff, StaffPanel)
    dialogs.append(staff.open_add())
    students = window.show_panel("students")
    assert isinstance(students, StudentsPanel)
    students.show_item(seed.students["张三"])
    qtbot.waitUntil(lambda: students.profile.profile is not None)
    wizard = students.open_enroll()
    assert wizard is not None
    dialogs.append(wizard)
    dialogs += [students.open_new(), students.open_import()]
    dialogs += [d for d in (students.open_edit(), students.open_refund()) if d is not None]
    students.profile.contracts_view.selectRow(0)
    dialogs += [d for k in ("transfer", "pause", "resume") if (d := students.open_move(k)) is not None]
    courses = window.show_panel("courses")
    assert isinstance(courses, CoursesPanel)
    courses.table.selectRow(0)
    qtbot.wait(5)
    klass = courses.open_add_class()
    if klass is not None:
        dialogs.append(klass)
    schedule = window.show_panel("schedule")
    assert isinstance(schedule, SchedulePanel)
    schedule.open_add_rule()
    qtbot.waitUntil(lambda: getattr(schedule, "rule_dialog", None) is not None)
    dialogs.append(schedule.rule_dialog)
    lesson = schedule.shown_lessons()[0]
    schedule.select_lesson(lesson)
    for open_dialog in (
        schedule.open_cancel,
        schedule.open_move,
        schedule.open_substitute,
        schedule.open_one_off,
    ):
        open_dialog()
        assert schedule.dialog is not None
        dialogs.append(schedule.dialog)
    users = window.show_panel("users")
    assert isinstance(users, UsersPanel)
    users.open_add()
    assert users.dialog is not None
    dialogs.append(users.dialog)
    inbox = window.show_panel("platform")
    assert isinstance(inbox, InboxPanel)
    refunds = inbox.by_kind["refund"]
    refunds.model.row_at(0)  # what painting the tab would ask for
    qtbot.waitUntil(lambda: any(item.status == "requested" for item in refunds.model.loaded_rows()))
    rows = [item for item in refunds.model.loaded_rows() if item.status == "requested"]
    refuse = inbox.open_refuse(rows[0])
    assert refuse is not None
    dialogs.append(refuse)
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert_no_codes(dialog, type(dialog).__name__)
        dialog.close()
    assert all(w.isHidden() for w in dialogs)
    QApplication.processEvents()
