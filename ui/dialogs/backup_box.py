"""设置 → 备份: where backups go, when the last one was made, whether the database is encrypted; back up
now, change the folder, restore from a file. Restoring closes the database and then the app: every panel
and the sync engine hold the open database, so InstDesk starts again on the restored file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.backup import (
    BackupFile,
    BackupOverview,
    RestoreResult,
    database_path,
    make_backup,
    overview,
    restore,
    set_backup_dir,
    verify_database_file,
)
from app.dbkey import Encryption
from ui import messages
from ui.context import AppContext
from ui.i18n import tr
from ui.ops import Op


def encryption_text(encryption: Encryption) -> str:
    if encryption is Encryption.ENCRYPTED:
        return tr("已加密（密钥保存在系统密钥环中）")
    if encryption is Encryption.PLAIN_NO_KEYRING:
        return tr("未加密：没有可用的系统密钥环")
    return tr("未加密（关闭 InstDesk 后运行 instdesk encrypt 加密）")


class BackupBox(QGroupBox):
    """The 备份 group of the settings dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(tr("备份"), parent)
        self.ctx = ctx
        self.overview: BackupOverview | None = None
        self.quit_app: Callable[[], None] = QApplication.quit  # after a restore (tests replace it)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.last = QLabel()
        self.encryption = QLabel(encryption_text(ctx.db.encryption))
        self.backup_button = QPushButton(tr("立即备份"))
        self.folder_button = QPushButton(tr("更改文件夹…"))
        self.restore_button = QPushButton(tr("从备份恢复…"))
        self.backup_button.clicked.connect(self.backup_now)
        self.folder_button.clicked.connect(self.choose_folder)
        self.restore_button.clicked.connect(self.choose_restore)
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.folder_button, self.restore_button):
            buttons.addWidget(button)
        form = QFormLayout(self)
        form.addRow(tr("备份文件夹"), self.folder)
        form.addRow(tr("上次备份"), self.last)
        form.addRow(tr("数据库"), self.encryption)
        form.addRow(QLabel(tr("每天自动备份一次，保留最近 7 天和之前 4 周的备份。")))
        form.addRow(buttons)
        self.refresh()

    def refresh(self) -> None:
        db = self.ctx.db
        Op(lambda: overview(db)).success(self._show).run()

    def _show(self, seen: BackupOverview) -> None:
        self.overview = seen
        self.folder.setText(str(seen.folder))
        if seen.last is None:
            self.last.setText(tr("尚无备份"))
        else:
            when = seen.last.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.last.setText(tr("{when}（共 {count} 份）", when=when, count=seen.count))

    def backup_now(self) -> Op[BackupFile]:
        db = self.ctx.db
        op: Op[BackupFile] = Op(lambda: make_backup(db)).with_progress(tr("正在备份…"), self)
        op.success(self._backed_up).run()
        return op

    def _backed_up(self, made: BackupFile) -> None:
        messages.info(tr("已备份并校验：{file}", file=made.path.name))
        self.refresh()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("选择备份文件夹"), self._start_dir())
        if chosen:
            self.set_folder(Path(chosen))

    def _start_dir(self) -> str:
        return str(self.overview.folder if self.overview is not None else Path.home())

    def set_folder(self, folder: Path) -> None:
        db = self.ctx.db
        Op(lambda: set_backup_dir(db, folder)).success(lambda _r: self.refresh()).run()

    def choose_restore(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("选择备份文件"), self._start_dir(), tr("InstDesk 备份 (*.sqlite3);;所有文件 (*)")
        )
        if path and self._confirm_restore(Path(path)):
            self.restore_from(Path(path))

    def _confirm_restore(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            tr("从备份恢复"),
            tr(
                "用 {file} 替换当前数据？当前数据库会改名保留，不会删除。恢复后 InstDesk 将关闭，"
                "请重新打开；同步会重新发送平台尚未确认的变更。",
                file=path.name,
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_from(self, backup: Path) -> Op[None]:
        """Check the file first (the app keeps running if it is refused), then close and restore."""
        op: Op[None] = Op(lambda: verify_database_file(backup)).with_progress(tr("正在检查备份…"), self)
        op.success(lambda _r: self._close_and_restore(backup)).run()
        return op

    def _close_and_restore(self, backup: Path) -> None:
        ctx = self.ctx
        path = database_path(ctx.db)
        ctx.sync.stop()

        def work() -> RestoreResult:
            ctx.db.close()
            return restore(path, backup)

        Op(work).with_progress(tr("正在恢复…"), self).success(self._restored).failure(
            self._not_restored
        ).run()

    def _restored(self, result: RestoreResult) -> None:
        messages.info(
            tr(
                "已从备份恢复。原数据库已保留为 {aside}。InstDesk 将关闭，请重新打开。",
                aside=result.aside.name,
            )
        )
        self.quit_app()

    def _not_restored(self, exc: BaseException) -> None:
        messages.show_exception(exc)
        messages.warning(tr("数据库已关闭，InstDesk 将关闭，请重新打开。"))
        self.quit_app()
