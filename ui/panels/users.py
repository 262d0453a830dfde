"""用户 Users: the logins of this desk with their role and state; a new login for a staff member (前台 /
管理 / 统计), a new password, disabling or enabling a login. Every action is audited by its use case;
a refusal (the last manager, oneself) is shown under the list."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.errors import InstDeskError
from app.services.users import StaffChoice, UserInfo, list_users, set_active, staff_choices
from ui.changes import Entity
from ui.context import AppContext
from ui.dialogs.user_dialogs import ROLE_NAMES, USER_CHANGES, AddLoginDialog, ResetPasswordDialog
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import show_exception
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.roster_view import configure_table


def users_model() -> PagedTableModel[UserInfo]:
    columns: list[Column[UserInfo]] = [
        Column(tr("用户名"), lambda u: u.username),
        Column(tr("姓名"), lambda u: u.display_name),
        Column(tr("角色"), lambda u: ROLE_NAMES[u.role]()),
        Column(
            tr("状态"),
            lambda u: tr("启用") if u.active else tr("已停用"),
            foreground=lambda u: None if u.active else WARN,
        ),
    ]
    return PagedTableModel(columns)


class UsersPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = users_model()
        self.table = QTableView()
        configure_table(self.table)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.dialog: AddLoginDialog | ResetPasswordDialog | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.add_button = QPushButton(tr("新增登录…"))
        self.reset_button = QPushButton(tr("重设密码…"))
        self.active_button = QPushButton(tr("停用登录"))
        self.add_button.clicked.connect(self.open_add)
        self.reset_button.clicked.connect(self.open_reset)
        self.active_button.clicked.connect(self.toggle_active)
        for button in (self.add_button, self.reset_button, self.active_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self._update_buttons()
        return bar

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.USER, Entity.STAFF)

    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: list_users(db, actor)).success(self._loaded).run()

    def _loaded(self, users: list[UserInfo]) -> None:
        self.model.replace_rows(users, key=lambda u: u.user_id)
        self._update_buttons()

    def selected(self) -> UserInfo | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        user = self.selected()
        self.reset_button.setEnabled(user is not None)
        self.active_button.setEnabled(user is not None)
        self.active_button.setText(tr("恢复登录") if user is not None and not user.active else tr("停用登录"))

    def open_add(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: staff_choices(db, actor)).success(self._open_add).run()

    def _open_add(self, staff: list[StaffChoice]) -> None:
        self.dialog = AddLoginDialog(self.ctx, staff, self)
        self.dialog.open()

    def open_reset(self) -> None:
        user = self.selected()
        if user is not None:
            self.dialog = ResetPasswordDialog(self.ctx, user, self)
            self.dialog.open()

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        db, actor, uid, active = self.ctx.db, self.ctx.require_actor(), user.user_id, not user.active
        op = Op(lambda: set_active(db, actor, uid, active)).success(self._toggled).failure(self._refused)
        op.announce(USER_CHANGES.by(self)).run()

    def _toggled(self, user: UserInfo) -> None:
        self.status.setStyleSheet("")
        self.status.setText(
            tr("已恢复 {name} 的登录", name=user.username)
            if user.active
            else tr("已停用 {name} 的登录", name=user.username)
        )
        self.refresh()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            show_exception(exc)
            return
        self.status.setStyleSheet(f"color: {WARN};")
        self.status.setText(error_text(exc))
