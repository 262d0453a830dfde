"""用户: a login for a staff member with a role, problems as you type, a new password, disabling a login
(the last manager and oneself refused); every action audited; the new login signs in."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.errors import InstDeskError
from app.permissions import Role
from app.services.staffing import StaffInput, add_staff
from app.services.users import authenticate
from localdb.models import AuditLog
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.user_dialogs import AddLoginDialog, ResetPasswordDialog
from ui.messages import Message
from ui.panels.users import UsersPanel


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> UsersPanel:
    ctx.actor = seed.manager
    panel = UsersPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _select(panel: UsersPanel, username: str) -> None:
    rows = [panel.model.row_at(i) for i in range(panel.model.rowCount())]
    panel.table.selectRow(next(i for i, u in enumerate(rows) if u is not None and u.username == username))


def _audits(seed: Seed, action: str) -> int:
    with seed.db.reading() as session:
        return int(session.scalar(select(func.count()).where(AuditLog.action == action)) or 0)


def test_add_a_login_for_a_staff_member(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    add_staff(seed.db, seed.manager, StaffInput(name="孙前台", kind="other"))
    panel = _panel(qtbot, ctx, seed)
    assert [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())] == [
        "admin",
        "desk",
        "stats",
    ]
    panel.open_add()
    dialog = panel.dialog
    assert isinstance(dialog, AddLoginDialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.staff.setCurrentIndex(dialog.staff.findText("孙前台"))
    dialog.username.setText("sun qian")
    dialog.password.setText("short")
    dialog.confirm.setText("shorter")
    assert "用户名只能包含" in dialog.errors.text("username")
    assert "至少需要8个字符" in dialog.errors.text("password")
    assert dialog.errors.text("confirm") == "两次输入的密码不一致" and not save.isEnabled()
    dialog.username.setText("desk")  # taken: refused on save, shown in the form
    dialog.password.setText("sun-pass-1")
    dialog.confirm.setText("sun-pass-1")
    assert save.isEnabled()
    save.click()
    assert "已存在" in dialog.form_error.text() and dialog.created is None
    dialog.username.setText("sunqian")
    dialog.role.setCurrentIndex(dialog.role.findText("前台"))
    save.click()
    assert dialog.created is not None and dialog.created.display_name == "孙前台"
    assert shown[-1].text == "已新增登录：sunqian（前台）"
    row = [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())].index("sunqian")
    assert panel.model.index(row, 1).data() == "孙前台" and panel.model.index(row, 2).data() == "前台"
    assert authenticate(seed.db, "sunqian", "sun-pass-1").role is Role.FRONT_DESK
    assert _audits(seed, "user.create") == 4  # admin, desk and stats from the seed, and this one


def test_reset_password_and_disable_a_login(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    _select(panel, "desk")
    panel.open_reset()
    dialog = panel.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    dialog.password.setText("new-desk-1")
    dialog.confirm.setText("new-desk-1")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert shown[-1].text == "已重设 desk 的密码"
    authenticate(seed.db, "desk", "new-desk-1")
    _select(panel, "desk")
    assert panel.active_button.text() == "停用登录"
    panel.toggle_active()
    assert panel.status.text() == "已停用 desk 的登录"
    with pytest.raises(InstDeskError) as disabled:
        authenticate(seed.db, "desk", "new-desk-1")
    assert disabled.value.code == "auth.inactive"
    _select(panel, "desk")
    assert panel.active_button.text() == "恢复登录"
    _select(panel, "admin")
    panel.toggle_active()  # oneself, and the last manager: refused, shown under the list
    assert panel.status.text() == "不能停用当前登录的用户"
    assert _audits(seed, "user.reset_password") == 1 and _audits(seed, "user.set_active") == 1


def test_users_model(qtmodeltester: ModelTester, qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    qtmodeltester.check(panel.model)  # type: ignore[no-untyped-call]
