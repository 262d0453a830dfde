"""Settings: the platform server, logging in to / out of the platform, the language, documents and printing,
(managers) whether the roll call may mark a student with no 课时 left as owing (欠课时), backups, and the
school calendar in force (read only: it comes with the policy profile)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.permissions import Permission
from ui import messages
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.backup_box import BackupBox
from ui.dialogs.documents_settings import DocumentsBox
from ui.i18n import LANGUAGES, tr
from ui.ops import Op
from ui.widgets.calendar_note import CalendarNote


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("设置"))
        layout = QVBoxLayout(self)
        layout.addWidget(self._platform_box())
        layout.addWidget(self._calendar_box())
        layout.addWidget(self._language_box())
        self.documents = DocumentsBox(ctx, self)
        layout.addWidget(self.documents)
        self.allow_owing: QCheckBox | None = None
        if ctx.may(Permission.MANAGE_INSTITUTION):
            layout.addWidget(self._rollcall_box())
        self.backup: BackupBox | None = None
        if ctx.may(Permission.MANAGE_INSTITUTION) and ctx.db.path is not None:
            self.backup = BackupBox(ctx, self)
            layout.addWidget(self.backup)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show_login_state()

    def _platform_box(self) -> QGroupBox:
        box = QGroupBox(tr("监管平台"))
        self.server = QLineEdit(self.ctx.settings.server_url)
        self.server.setPlaceholderText("https://")
        self.uscc = QLineEdit(self.ctx.settings.platform_uscc)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.login_state = QLabel()
        self.login_button = QPushButton(tr("登录平台"))
        self.logout_button = QPushButton(tr("退出平台"))
        self.login_button.clicked.connect(self.login)
        self.logout_button.clicked.connect(self.logout)
        row = QHBoxLayout()
        row.addWidget(self.login_state, 1)
        row.addWidget(self.login_button)
        row.addWidget(self.logout_button)
        form = QFormLayout(box)
        form.addRow(tr("服务器地址"), self.server)
        form.addRow(tr("统一社会信用代码"), self.uscc)
        form.addRow(tr("平台密码"), self.password)
        form.addRow(row)
        return box

    def _calendar_box(self) -> QGroupBox:
        box = QGroupBox(tr("校历（寒暑假）"))
        self.calendar = CalendarNote(self.ctx.db)
        QVBoxLayout(box).addWidget(self.calendar)
        return box

    def _language_box(self) -> QGroupBox:
        box = QGroupBox(tr("语言"))
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self.ctx.settings.language)))
        form = QFormLayout(box)
        form.addRow(tr("界面语言"), self.language)
        return box

    def _rollcall_box(self) -> QGroupBox:
        from app.services.owing import owing_allowed

        box = QGroupBox(tr("点名"))
        self.allow_owing = QCheckBox(tr("课时不足的学员照常点名，记为欠课时（不勾选则拒绝点名）"))
        check, db = self.allow_owing, self.ctx.db
        Op(lambda: owing_allowed(db)).success(check.setChecked).run()
        QVBoxLayout(box).addWidget(check)
        return box

    def _save_rollcall(self) -> None:
        from app.services.owing import owing_allowed, set_owing_allowed

        if self.allow_owing is None:
            return
        allowed, db, actor = self.allow_owing.isChecked(), self.ctx.db, self.ctx.require_actor()

        def save() -> None:
            if owing_allowed(db) != allowed:
                set_owing_allowed(db, actor, allowed)

        Op(save).run()

    def _show_login_state(self) -> None:
        status = self.ctx.sync.status()
        if status.login_expired:
            self.login_state.setText(tr("平台登录已失效，请重新登录"))
        else:
            self.login_state.setText(tr("已登录平台") if status.logged_in else tr("未登录平台"))
        self.logout_button.setEnabled(status.logged_in or status.login_expired)

    def login(self) -> None:
        sync, url, uscc, password = (
            self.ctx.sync,
            self.server.text().strip(),
            self.uscc.text().strip(),
            self.password.text(),
        )
        self.ctx.settings.server_url, self.ctx.settings.platform_uscc = url, uscc
        self.password.clear()
        op = Op(lambda: sync.login(url, uscc, password)).on_network().with_progress(tr("正在登录平台…"), self)
        op.success(lambda _r: self._logged_in()).announce(Changes.of(Entity.SYNC)).run()

    def _logged_in(self) -> None:
        self._show_login_state()
        messages.info(tr("已登录监管平台"))

    def logout(self) -> None:
        sync = self.ctx.sync
        Op(sync.logout).on_network().success(lambda _r: self._show_login_state()).announce(
            Changes.of(Entity.SYNC)
        ).run()

    def save(self) -> None:
        settings = self.ctx.settings
        settings.server_url = self.server.text().strip()
        settings.platform_uscc = self.uscc.text().strip()
        self.documents.save()
        language = str(self.language.currentData())
        if language != settings.language:
            settings.language = language
            messages.info(tr("界面语言将在重新启动后生效"))
        settings.sync()
        self._save_rollcall()
        self.accept()
