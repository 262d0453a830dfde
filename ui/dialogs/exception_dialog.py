"""The bug dialog: what happened in one sentence, the details to copy, and where the log is."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


class ExceptionDialog(QDialog):
    def __init__(self, text: str, detail: str, log_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("程序错误"))
        self.detail = QPlainTextEdit(detail)
        self.detail.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(text))
        layout.addWidget(QLabel(tr("请把下面的详细信息复制给技术支持。日志文件：{path}", path=log_path)))
        layout.addWidget(self.detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton(tr("复制详细信息"))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_detail)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def copy_detail(self) -> None:
        QGuiApplication.clipboard().setText(self.detail.toPlainText())


def install_exception_hook() -> None:
    """Uncaught exceptions (also in slots) go through the message bridge as bugs."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if QApplication.instance() is None or issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        from ui.messages import show_exception

        show_exception(exc.with_traceback(tb))

    sys.excepthook = hook
