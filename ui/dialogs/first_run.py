"""First-run wizard: create a local institution, or log in to the platform and download it; then the
first manager account of this desk. A desk that already joined by platform login (``instdesk login``)
but has no local user yet gets only the account page (``account_only``)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.errors import NotFound
from app.services.institution import get_institution, init_institution
from app.services.users import bootstrap_admin
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.ops import Op
from ui.sync_port import SyncPort

MODE_PAGE, LOCAL_PAGE, PLATFORM_PAGE, ACCOUNT_PAGE = range(4)


@dataclass(frozen=True)
class FirstRunData:
    from_platform: bool
    name: str
    uscc: str
    server_url: str
    platform_password: str
    username: str
    password: str


def _has_institution(db: Database) -> bool:
    try:
        get_institution(db)
    except NotFound:
        return False
    return True


def set_up(db: Database, sync: SyncPort, data: FirstRunData) -> None:
    """The worker side: create (or download) the institution, then the first manager."""
    if data.from_platform:
        sync.login(data.server_url, data.uscc, data.platform_password)
    elif not _has_institution(db):
        init_institution(db, data.name, data.uscc)
    bootstrap_admin(db, data.username, data.password)


def _line(password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _ModePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(tr("欢迎使用 InstDesk 机构工作台"))
        self.local = QRadioButton(tr("在本机创建机构（可离线使用，稍后再登录平台）"))
        self.platform = QRadioButton(tr("登录监管平台，下载本机构的数据"))
        self.local.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.platform)

    def nextId(self) -> int:
        return PLATFORM_PAGE if self.platform.isChecked() else LOCAL_PAGE


class _FormPage(QWizardPage):
    def __init__(self, title: str, next_id: int) -> None:
        super().__init__()
        self.setTitle(title)
        self._next = next_id
        self.form = QFormLayout(self)

    def nextId(self) -> int:
        return self._next


class FirstRunWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, account_only: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_only = account_only
        self.setWindowTitle(tr("首次使用"))
        self.mode = _ModePage()
        self.setPage(MODE_PAGE, self.mode)
        self.setPage(LOCAL_PAGE, self._local_page())
        self.setPage(PLATFORM_PAGE, self._platform_page())
        self.setPage(ACCOUNT_PAGE, self._account_page())
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("上一步"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("取消"))
        if account_only:
            self.setStartId(ACCOUNT_PAGE)
            self.page(ACCOUNT_PAGE).setTitle(tr("本机已加入机构，但还没有用户：请创建第一个管理员账号"))

    def _local_page(self) -> QWizardPage:
        page = _FormPage(tr("机构信息"), ACCOUNT_PAGE)
        self.name, self.uscc = QLineEdit(), QLineEdit()
        page.form.addRow(tr("机构名称"), self.name)
        page.form.addRow(tr("统一社会信用代码"), self.uscc)
        return page

    def _platform_page(self) -> QWizardPage:
        page = _FormPage(tr("登录监管平台"), ACCOUNT_PAGE)
        self.server = QLineEdit(self.ctx.settings.server_url)
        self.platform_uscc, self.platform_password = QLineEdit(), _line(password=True)
        page.form.addRow(tr("服务器地址"), self.server)
        page.form.addRow(tr("统一社会信用代码"), self.platform_uscc)
        page.form.addRow(tr("平台密码"), self.platform_password)
        return page

    def _account_page(self) -> QWizardPage:
        page = _FormPage(tr("第一个管理员账号"), -1)
        self.username, self.password, self.password2 = QLineEdit("admin"), _line(True), _line(True)
        self.error = QLabel("")
        self.error.setObjectName("error")
        page.form.addRow(tr("用户名"), self.username)
        page.form.addRow(tr("密码"), self.password)
        page.form.addRow(tr("确认密码"), self.password2)
        page.form.addRow(self.error)
        return page

    def data(self) -> FirstRunData:
        from_platform = self.mode.platform.isChecked() and not self.account_only
        return FirstRunData(
            from_platform=from_platform,
            name=self.name.text().strip(),
            uscc=(self.platform_uscc if from_platform else self.uscc).text().strip(),
            server_url=self.server.text().strip(),
            platform_password=self.platform_password.text(),
            username=self.username.text().strip(),
            password=self.password.text(),
        )

    def accept(self) -> None:
        if self.password.text() != self.password2.text():
            self.error.setText(tr("两次输入的密码不一致"))
            return
        data, db, sync = self.data(), self.ctx.db, self.ctx.sync
        op = Op(lambda: set_up(db, sync, data)).with_progress(tr("正在创建机构…"), self)
        op.success(lambda _r: self._done(data)).failure(self._failed).run()

    def _done(self, data: FirstRunData) -> None:
        settings = self.ctx.settings
        settings.first_run_done, settings.last_user = True, data.username
        if data.from_platform:
            settings.server_url, settings.platform_uscc = data.server_url, data.uscc
        settings.sync()
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        from app.errors import InstDeskError
        from ui.messages import show_exception

        if isinstance(exc, InstDeskError):
            self.error.setText(error_text(exc))
        else:
            show_exception(exc)
