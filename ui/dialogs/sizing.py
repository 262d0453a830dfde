"""Every dialog of the app is resizable and opens at the size the user last gave it.

One event filter on the application, so no dialog has to remember to do it: when a dialog is first shown
it gets a size grip, loses any fixed-size constraint (a fixed dialog cuts a long error message) and takes
its saved size (never smaller than what its contents need, never larger than the screen); when it is
hidden its size is saved under its class name. Message boxes and progress dialogs size themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QDialog, QFileDialog, QLayout, QMessageBox, QProgressDialog

from ui.settings import Settings

SIZED = "instdeskSized"
SELF_SIZED = (QMessageBox, QProgressDialog, QFileDialog)
WATCHED = (QEvent.Type.Show, QEvent.Type.Hide)


def size_key(dialog: QDialog) -> str:
    return f"dialogs/{type(dialog).__name__}/size"


class DialogSizes(QObject):
    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()  # every event of the app passes here: the cheap test first
        if kind not in WATCHED or not isinstance(watched, QDialog) or isinstance(watched, SELF_SIZED):
            return False
        if kind == QEvent.Type.Show and not watched.property(SIZED):
            watched.setProperty(SIZED, True)
            self._restore(watched)
        elif kind == QEvent.Type.Hide and watched.property(SIZED):
            self._settings.store.setValue(size_key(watched), watched.size())
        return False

    def _restore(self, dialog: QDialog) -> None:
        dialog.setSizeGripEnabled(True)
        layout = dialog.layout()
        if layout is not None and layout.sizeConstraint() == QLayout.SizeConstraint.SetFixedSize:
            layout.setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
        dialog.setMinimumSize(0, 0)
        dialog.setMaximumSize(16777215, 16777215)
        saved = self._settings.store.value(size_key(dialog))
        if not isinstance(saved, QSize) or not saved.isValid():
            return
        wanted = saved.expandedTo(dialog.minimumSizeHint())
        screen = dialog.screen()
        if screen is not None:
            wanted = wanted.boundedTo(screen.availableGeometry().size())
        dialog.resize(wanted)
