"""The shell: navigation by role, sign-in, first run, settings, the status bar, the bug dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.permissions import Actor
from app.services.institution import get_institution
from localdb.models import Institution, PolicyProfile
from tests.localdb.test_fileguard import _damaged_copy
from tests.ui.seed import PASSWORD, Seed
from ui.app import report_damage
from ui.context import AppContext
from ui.dialogs.exception_dialog import ExceptionDialog
from ui.dialogs.first_run import FirstRunWizard
from ui.dialogs.presenter import Presenter
from ui.dialogs.settings_dialog import SettingsDialog
from ui.dialogs.signin import SignInDialog
from ui.main_window import MainWindow
from ui.messages import Level, Message
from ui.panels.frontdesk import FrontDeskPanel
from ui.panels.today import TodayPanel
from ui.settings import Settings
from ui.sync_port import NullSync, SyncSnapshot
from ui.widgets.sync_status import describe


def _window(qtbot: QtBot, ctx: AppContext, actor: Actor) -> MainWindow:
    ctx.actor = actor
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        (
            "manager",
            [
                "today",
                "frontdesk",
                "students",
                "courses",
                "schedule",
                "staff",
                "platform",
                "stats",
                "users",
                "owed",
            ],  # fmt: skip
        ),
        ("front_desk", ["today", "frontdesk", "students", "platform", "owed"]),
        ("stats", ["today", "students", "stats"]),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(
    qtbot: QtBot, ctx: AppContext, seed: Seed, role: str, keys: list[str]
) -> None:
    actor = {"manager": seed.manager, "front_desk": seed.front_desk, "stats": seed.stats}[role]
    window = _window(qtbot, ctx, actor)
    assert window.panel_keys() == keys
    assert window.nav.count() == len(keys)


def test_front_desk_opens_on_todays_lessons(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    ctx.actor = seed.front_desk
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    panel = window.panel("today")
    assert isinstance(panel, TodayPanel) and window.stack.currentWidget() is panel
    assert panel.lessons.model.rowCount() == 0  # the first query waits until the window is shown
    window.show()
    qtbot.waitUntil(lambda: panel.lessons.model.rowCount() == 1)
    frontdesk = window.show_panel("frontdesk")
    assert isinstance(frontdesk, FrontDeskPanel)
    qtbot.waitUntil(lambda: frontdesk.sessions.rowCount() == 1)
    students = window.show_panel("students")
    assert window.stack.currentWidget() is students
    assert "desk（前台）" in window.user_label.text()


def test_sign_in(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.actor = None
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.username.setText("desk")
    dialog.password.setText("wrong-password")
    dialog.submit()
    assert dialog.error.text() == "用户名或密码错误" and dialog.actor is None
    dialog.password.setText(PASSWORD)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert ctx.actor is not None and ctx.actor.username == "desk" and ctx.settings.last_user == "desk"


def test_first_run_creates_institution_and_manager(
    qtbot: QtBot, tmp_path: Path, settings: Settings, shown: list[Message]
) -> None:
    db = Database.open(tmp_path / "new.sqlite3")
    ctx = AppContext(db=db, settings=settings)
    wizard = FirstRunWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.name.setText("新星培训学校")
    wizard.uscc.setText("91350100MA2YH8K3TX")  # wrong check character
    wizard.username.setText("boss")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    wizard.accept()
    assert "校验" in wizard.error.text() or "统一社会信用代码" in wizard.error.text()
    from app.validators import make_uscc

    wizard.uscc.setText(make_uscc("91350100MA2YH8K3T"))
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert get_institution(db).name == "新星培训学校" and settings.first_run_done
    db.close()


def test_settings_dialog_saves_server_and_language(
    qtbot: QtBot, ctx: AppContext, shown: list[Message]
) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.login_state.text() == "未登录平台"
    dialog.server.setText("http://127.0.0.1:8000")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.save()
    assert ctx.settings.server_url == "http://127.0.0.1:8000" and ctx.settings.language == "en"
    assert shown[-1].text == "界面语言将在重新启动后生效"


def test_settings_dialog_says_the_platform_login_expired(qtbot: QtBot, ctx: AppContext) -> None:
    class ExpiredSync(NullSync):
        def status(self) -> SyncSnapshot:
            return SyncSnapshot(configured=True, online=True, login_expired=True)

    ctx.sync = ExpiredSync()
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.login_state.text() == "平台登录已失效，请重新登录"
    assert dialog.logout_button.isEnabled()


def test_status_bar_texts() -> None:
    assert describe(NullSync().status())[0] == "未连接平台"
    snapshot = SyncSnapshot(configured=True, online=False, pending_ops=3, problems=2)
    assert describe(snapshot) == ("离线", "待上传 3 项", "上次同步：从未", "同步问题 2 项")


def test_presenter_shows_bugs_with_copyable_details(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    window = _window(qtbot, ctx, seed.manager)
    presenter = Presenter(window, window.show_status, "/tmp/instdesk.log")
    presenter(Message(Level.BUG, "程序出现了意外错误。", detail="Traceback: boom"))
    dialog = presenter.open_dialogs[-1]
    assert isinstance(dialog, ExceptionDialog) and dialog.detail.toPlainText() == "Traceback: boom"
    dialog.copy_detail()
    presenter(Message(Level.INFO, "已保存"))
    assert window.statusBar().currentMessage() == "已保存"


def test_settings_show_the_regional_school_calendar(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    """A region's profile (as the platform sends it) replaces the national estimate; 设置 names it."""
    regional = {
        "school_calendar": "福建省中小学校历",
        "winter_break": [["2027-01-23", "2027-02-21"]],
        "summer_break": [["2027-07-03", "2027-08-31"]],
    }
    with seed.db.transaction() as session:
        profile_id = session.scalar(select(Institution.policy_profile_id))
        profile = session.get(PolicyProfile, profile_id)
        assert profile is not None
        profile.params = json.dumps(regional, ensure_ascii=False)
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "当前校历" in dialog.calendar.text())
    text = dialog.calendar.text()
    assert "福建省中小学校历" in text and "全国默认" not in text
    assert "2027-07-03 至 2027-08-31" in text
    assert "请以当地教育局公布的校历为准" in text


def test_the_app_says_at_start_up_that_the_file_is_damaged(
    qtbot: QtBot, migrated_template: Path, tmp_path: Path, shown: list[Message]
) -> None:
    db = Database.open(_damaged_copy(migrated_template, tmp_path), verify=True)
    try:
        report_damage(db)
        qtbot.waitUntil(lambda: any(m.level is Level.ERROR for m in shown))
        [message] = [m for m in shown if m.level is Level.ERROR]
        assert "已损坏" in message.text and "instdesk restore" in message.text
    finally:
        db.close()
