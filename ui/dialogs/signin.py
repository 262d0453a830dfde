"""Sign-in of the local user (前台 / 管理 / 统计): name and password checked on the database worker."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import InstDeskError
from app.permissions import Actor
from app.services.users import authenticate
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import show_exception
from ui.ops import Op


class SignInDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor: Actor | None = None
        self.setWindowTitle(tr("登录 InstDesk"))
        self.username = QLineEdit(ctx.settings.last_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel("")
        self.error.setObjectName("error")
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("密码"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def submit(self) -> None:
        db, name, password = self.ctx.db, self.username.text().strip(), self.password.text()
        self.buttons.setEnabled(False)
        Op(lambda: authenticate(db, name, password)).success(self._signed_in).failure(self._failed).run()

    def _signed_in(self, actor: Actor) -> None:
        self.actor = actor
        self.ctx.actor = actor
        self.ctx.settings.last_user = actor.username
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, InstDeskError):
            self.error.setText(error_text(exc))
            self.password.selectAll()
            self.password.setFocus()
        else:
            show_exception(exc)
