"""A barcode scanner's code caught wherever the focus is in a panel, told apart from a person's keys.

A scanner "types" its code as a burst of keystrokes a few milliseconds apart and ends with Enter; a person
pressing 1–4 on the roster presses one key at a time. So printable keys are held for ``GAP_MS``: a key that
another key follows within the gap is part of a burst; a burst of at least ``MIN_LENGTH`` characters that
ends with Enter within the gap is a scan (``scanned`` is emitted and nothing else sees those keys); any
other held key is delivered to the widget it was meant for, unchanged, once the gap has passed (so a
single 1 marks the row ~50 ms later, which nobody notices).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QTextEdit, QWidget

from ui.qt_compat import emit

GAP_MS = 50
MIN_LENGTH = 3
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_COMMAND = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(
        event.type(), event.key(), event.modifiers(), event.text(), event.isAutoRepeat(), event.count()
    )


class ScanCatcher(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._held: list[tuple[QKeyEvent, QObject]] = []
        self._last = 0.0
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(GAP_MS)
        self._timer.timeout.connect(self.release)

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            if event.modifiers() & _COMMAND:
                self.release()  # a shortcut (Ctrl+Enter saves) acts on every key typed before it
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if isinstance(watched, QLineEdit | QTextEdit | QAbstractSpinBox):
            return False  # a field being typed into keeps its keys
        now = self._clock()
        fast = (now - self._last) * 1000 <= GAP_MS
        if event.key() in _ENTER and not event.modifiers() & _COMMAND:
            if len(self._held) >= MIN_LENGTH and fast:
                code = "".join(e.text() for e, _ in self._held)
                self._held = []
                self._timer.stop()
                emit(self.scanned, code)
                return True
            self.release()
            return False
        text = event.text()
        if text and text.isprintable() and not event.modifiers() & _COMMAND:
            if self._held and not fast:
                self.release()  # the keys before were typed by a person
            self._held.append((_copy(event), watched))
            self._last = now
            self._timer.start()
            return True
        self.release()
        return False

    def release(self) -> None:
        """Deliver the held keys to their widgets as typed (they were not a scan)."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for event, target in held:
                QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
