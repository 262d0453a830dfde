"""Passing notifications: a dark card in the bottom-right corner of the window, stacked, that goes away by
itself after a few seconds (or on ✕) and never takes the keyboard from what the user is typing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.i18n import tr
from ui.icons import icon

SHOWN_MS = 8000
MAX_SHOWN = 4
MARGIN = 16
WIDTH = 340


class Toast(QFrame):
    def __init__(self, title: str, text: str, parent: QWidget, on_open: Callable[[], None] | None) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFixedWidth(WIDTH)
        self.title = QLabel(title)
        self.title.setObjectName("toastTitle")
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        close = QPushButton()
        close.setIcon(icon("close", "#c9d3df", "#ffffff"))
        close.setToolTip(tr("关闭"))
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.dismiss)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 10, 12)
        layout.addLayout(head)
        layout.addWidget(self.text)
        if on_open is not None:
            self.open_button = QPushButton(tr("查看"))
            self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.open_button.clicked.connect(on_open)
            self.open_button.clicked.connect(self.dismiss)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.open_button)
            layout.addLayout(row)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._timer.start(SHOWN_MS)

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()
        self.deleteLater()


class ToastArea(QObject):
    """Keeps the window's toasts stacked in its bottom-right corner, newest at the bottom."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.toasts: list[Toast] = []
        window.installEventFilter(self)

    def show_toast(self, title: str, text: str, on_open: Callable[[], None] | None = None) -> Toast:
        toast = Toast(title, text, self._window, on_open)
        toast.destroyed.connect(lambda *_: self._forget(toast))
        self.toasts.append(toast)
        while len(self.visible()) > MAX_SHOWN:
            self.visible()[0].dismiss()
        toast.show()
        toast.raise_()
        self._place()
        return toast

    def visible(self) -> list[Toast]:
        return [t for t in self.toasts if isValid(t) and t.isVisible()]

    def _forget(self, toast: Toast) -> None:
        if toast in self.toasts:
            self.toasts.remove(toast)
        if isValid(self._window):  # toasts are also destroyed with the window
            self._place()

    def _place(self) -> None:
        bottom = self._window.height() - MARGIN - 28  # above the status bar
        for toast in reversed(self.visible()):
            toast.adjustSize()
            bottom -= toast.height()
            toast.move(self._window.width() - WIDTH - MARGIN, bottom)
            bottom -= 8

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self._place()
        return False
