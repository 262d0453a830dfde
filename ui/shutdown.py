"""Ctrl+C and SIGTERM end the app like closing its window: the event loop returns, and ``run_gui`` stops
sync, the workers and the database in its ``finally``.

Python runs a signal handler only between bytecodes, and while Qt's event loop waits in C++ no bytecode
runs: a Ctrl+C would wait for the next mouse move and then raise ``KeyboardInterrupt`` somewhere inside a
slot (a traceback, and the app kept running). ``signal.set_wakeup_fd`` makes the C-level handler write to
a socket; a ``QSocketNotifier`` on the other end wakes the event loop, Python code runs, and with it the
handler, which asks every event loop (also a modal dialog's) to return.
"""

from __future__ import annotations

import logging
import signal
import socket
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

log = logging.getLogger("ui.shutdown")
QUIT_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None)


class SignalQuit(QObject):
    """While installed, SIGINT and SIGTERM close the windows and end the event loops (exit code 0)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.received: int | None = None
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous: dict[int, Any] = {sig: signal.signal(sig, self._handle) for sig in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        """Empty the wake-up socket; the Python handler itself runs right after this slot's bytecode."""
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.received is not None:
            return
        self.received = signum
        log.info("signal %s: quitting", signal.Signals(signum).name)
        had_windows = self._windows_open()
        # Closing saves what the windows keep on close; the last one closed ends app.exec() by itself
        # (Qt posts a Quit event that this loop consumes: calling exit() too would leave that event for
        # whatever loop runs next).
        self.app.closeAllWindows()
        if not had_windows or self._windows_open() or not self.app.quitOnLastWindowClosed():
            self.app.exit(0)  # every running event loop returns, a modal dialog's too

    def _windows_open(self) -> bool:
        return any(w.isVisible() for w in self.app.topLevelWidgets())

    def uninstall(self) -> None:
        """Restore the previous handlers; until then a second Ctrl+C during the shutdown is ignored."""
        self._notifier.setEnabled(False)
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()
        self.setParent(None)  # nothing of it stays on the application
