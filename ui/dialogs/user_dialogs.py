"""A new login for a staff member (user name, role 前台 / 管理 / 统计, password), and a new password for
a user who forgot theirs. Problems show under their fields as the user types (``login_problems``, the
use case's own checks); a refusal on save (a user name already taken) shows in the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.errors import InstDeskError
from app.permissions import Role
from app.services.users import StaffChoice, UserInfo, create_user, login_problems, reset_password
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info, show_exception
from ui.ops import Op
from ui.widgets.field_errors import FieldErrors, error_label

USER_CHANGES = Changes.of(Entity.USER)
ROLE_NAMES: dict[Role, Callable[[], str]] = {
    Role.FRONT_DESK: lambda: tr("前台"),
    Role.MANAGER: lambda: tr("管理"),
    Role.STATS: lambda: tr("统计"),
}


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _LoginForm(QDialog):
    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.form = QFormLayout(self)
        self.password, self.confirm = _password(), _password()
        self.form_error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.rejected.connect(self.reject)

    def finish_form(self) -> None:
        self.errors.add_row(self.form, tr("密码"), "password", self.password)
        self.errors.add_row(self.form, tr("确认密码"), "confirm", self.confirm)
        self.form.addRow(self.form_error)
        self.form.addRow(self.buttons)
        for line in (self.password, self.confirm):
            line.textChanged.connect(self.check)
        self.check()

    def username_text(self) -> str | None:
        return None

    def check(self) -> None:
        self.form_error.hide()
        problems = login_problems(self.username_text(), self.password.text(), self.confirm.text())
        self.errors.show([], lambda v: "form", problems)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    def run(self, change: Callable[[], Any], done: Callable[[Any], None]) -> None:
        Op(change).success(done).failure(self.refused).announce(USER_CHANGES).run()

    def refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            show_exception(exc)
            return
        self.form_error.setText(error_text(exc))
        self.form_error.show()


class AddLoginDialog(_LoginForm):
    """新增登录: for a staff member (or nobody on file), with a role."""

    def __init__(self, ctx: AppContext, staff: list[StaffChoice], parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("新增登录"), parent)
        self.created: UserInfo | None = None
        self.staff = QComboBox()
        self.staff.addItem(tr("（不关联员工）"), None)
        for person in staff:
            self.staff.addItem(person.name, person.staff_id)
        self.username = QLineEdit()
        self.username.setPlaceholderText(tr("字母、数字、下划线、点和横线"))
        self.role = QComboBox()
        for role, name in ROLE_NAMES.items():
            self.role.addItem(name(), role.value)
        self.form.addRow(tr("员工"), self.staff)
        self.errors.add_row(self.form, tr("用户名"), "username", self.username)
        self.form.addRow(tr("角色"), self.role)
        self.username.textChanged.connect(self.check)
        self.buttons.accepted.connect(self.save)
        self.finish_form()

    def username_text(self) -> str | None:
        return self.username.text()

    def save(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        name, password, role = (
            self.username.text().strip(),
            self.password.text(),
            str(self.role.currentData()),
        )
        staff_id = self.staff.currentData()
        self.run(lambda: create_user(db, actor, name, password, role, staff_id=staff_id), self._created)

    def _created(self, user: UserInfo) -> None:
        self.created = user
        info(tr("已新增登录：{name}（{role}）", name=user.username, role=ROLE_NAMES[user.role]()))
        self.accept()


class ResetPasswordDialog(_LoginForm):
    """重设密码: a manager gives a user a new password."""

    def __init__(self, ctx: AppContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("重设密码"), parent)
        self.user = user
        self.form.addRow(tr("用户"), QLabel(f"{user.username}（{user.display_name}）"))
        self.buttons.accepted.connect(self.save)
        self.finish_form()

    def save(self) -> None:
        db, actor, uid, password = (
            self.ctx.db,
            self.ctx.require_actor(),
            self.user.user_id,
            self.password.text(),
        )
        self.run(lambda: reset_password(db, actor, uid, password), self._done)

    def _done(self, user: UserInfo) -> None:
        info(tr("已重设 {name} 的密码", name=user.username))
        self.accept()
