"""A desk that joined by platform login has the institution but no local user: the first-run wizard opens
on its account page alone and creates the first manager, who can then sign in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.institution import init_institution
from app.services.users import authenticate, has_users
from app.validators import make_uscc
from tests.ui.seed import PASSWORD
from ui import app as ui_app
from ui.context import AppContext
from ui.dialogs.first_run import ACCOUNT_PAGE, FirstRunWizard
from ui.messages import Message
from ui.settings import Settings


@pytest.fixture
def joined(tmp_path: Path) -> Database:
    """What a first sync leaves: the institution downloaded, no local user."""
    db = Database.open(tmp_path / "joined.sqlite3")
    init_institution(db, "新星培训学校", make_uscc("91350100MA2YH8K3T"))
    return db


def test_the_shell_opens_the_account_page_for_a_desk_without_users(
    qtbot: QtBot, joined: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch, shown: list[Message]
) -> None:
    opened: list[bool] = []

    def exec_(wizard: FirstRunWizard) -> int:
        opened.append(wizard.account_only)
        return int(QDialog.DialogCode.Rejected.value)

    monkeypatch.setattr(FirstRunWizard, "exec", exec_)
    assert not ui_app.Shell(AppContext(db=joined, settings=settings)).start()
    assert opened == [True]
    joined.close()


def test_first_manager_of_a_joined_desk(
    qtbot: QtBot, joined: Database, settings: Settings, shown: list[Message]
) -> None:
    wizard = FirstRunWizard(AppContext(db=joined, settings=settings), account_only=True)
    qtbot.addWidget(wizard)
    wizard.restart()
    assert wizard.currentId() == ACCOUNT_PAGE and "还没有用户" in wizard.currentPage().title()
    wizard.username.setText("boss")
    wizard.password.setText(PASSWORD)
    wizard.password2.setText("other")
    wizard.accept()
    assert wizard.error.text() == "两次输入的密码不一致" and not has_users(joined)
    wizard.password.setText("short")
    wizard.password2.setText("short")
    wizard.accept()
    assert "至少需要8个字符" in wizard.error.text() and not has_users(joined)
    wizard.password.setText(PASSWORD)
    wizard.password2.setText(PASSWORD)
    wizard.accept()
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert authenticate(joined, "boss", PASSWORD).role.value == "manager" and settings.last_user == "boss"
    joined.close()
