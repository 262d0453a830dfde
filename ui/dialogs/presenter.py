"""Shows the message bridge's messages: info in the status bar, warnings and errors in a message box,
bugs in the exception dialog. Boxes are window-modal and opened with ``open()`` so nothing blocks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.dialogs.exception_dialog import ExceptionDialog
from ui.i18n import tr
from ui.messages import Level, Message


class Presenter:
    def __init__(self, parent: QWidget, status: Callable[[str], None], log_path: str) -> None:
        self._parent, self._status, self._log_path = parent, status, log_path
        self.open_dialogs: list[QWidget] = []

    def __call__(self, message: Message) -> None:
        if message.level is Level.INFO:
            self._status(message.text)
        elif message.level is Level.BUG:
            self._show(ExceptionDialog(message.text, message.detail, self._log_path, self._parent))
        else:
            self._show(self._box(message))

    def _box(self, message: Message) -> QMessageBox:
        icon = QMessageBox.Icon.Warning if message.level is Level.WARNING else QMessageBox.Icon.Critical
        box = QMessageBox(
            icon, tr("InstDesk 机构工作台"), message.text, QMessageBox.StandardButton.Ok, self._parent
        )
        if message.hint:
            box.setInformativeText(message.hint)
        return box

    def _show(self, dialog: QWidget) -> None:
        self.open_dialogs = [d for d in self.open_dialogs if d.isVisible()]
        self.open_dialogs.append(dialog)
        open_ = getattr(dialog, "open", dialog.show)
        open_()
