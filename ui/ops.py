"""One helper for background work: ``Op(fn).success(cb).failure(cb).with_progress(label).run()``.

``fn`` runs off the GUI thread on a worker lane; the callbacks run on the GUI thread. Database work runs on
the single database worker (``Lane.DB``, one thread owns the write session); network work on another pool
(``Lane.NET``). A busy cursor appears after ``BUSY_CURSOR_MS``, a progress dialog with a cancel button after
``PROGRESS_DIALOG_MS`` (only for ops given ``with_progress``). Workers return plain dataclasses.

Tests install ``Workers.inline()``: ``fn`` and its callbacks then run synchronously inside ``run()``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ui.changes import Changes, change_bus
from ui.i18n import tr
from ui.qt_compat import emit

T = TypeVar("T")
log = logging.getLogger("ui.ops")

BUSY_CURSOR_MS = 300
PROGRESS_DIALOG_MS = 600


class Lane(Enum):
    DB = "db"
    NET = "net"


class InlineExecutor(Executor):
    """Runs each submitted call at once in the caller's thread (tests, benchmarks of pure logic)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the op's failure callback
            future.set_exception(exc)
        return future


class Workers:
    """The executors of each lane: one database thread, a small network pool."""

    def __init__(self, db: Executor, net: Executor) -> None:
        self._lanes = {Lane.DB: db, Lane.NET: net}

    @classmethod
    def threaded(cls) -> Workers:
        return cls(
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="instdesk-db"),
            ThreadPoolExecutor(max_workers=4, thread_name_prefix="instdesk-net"),
        )

    @classmethod
    def inline(cls) -> Workers:
        return cls(InlineExecutor(), InlineExecutor())

    def executor(self, lane: Lane) -> Executor:
        return self._lanes[lane]

    def shutdown(self) -> None:
        for executor in self._lanes.values():
            executor.shutdown(wait=True, cancel_futures=True)


_workers: Workers | None = None


def install_workers(workers: Workers) -> Workers | None:
    """Make ``workers`` the executors of every op; returns the previous ones."""
    global _workers
    previous, _workers = _workers, workers
    return previous


def workers() -> Workers:
    global _workers
    if _workers is None:
        _workers = Workers.threaded()
    return _workers


class _Relay(QObject):
    """Lives in the GUI thread. Workers queue callables and emit the argument-less ``wake`` signal (queued
    connection); ``_drain`` runs them on the GUI thread. No Python object crosses threads through a signal
    (PySide 6.12 corrupts the refcount of ``None`` with ``Signal(object)`` across threads under load)."""

    wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._queue: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self.wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, callback: Callable[[], None]) -> None:
        self._queue.put(callback)
        emit(self.wake)

    def _drain(self) -> None:
        while True:
            try:
                callback = self._queue.get_nowait()
            except queue.Empty:
                return
            callback()


_relay: _Relay | None = None


def _gui_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    return _relay


def call_in_gui(callback: Callable[[], None]) -> None:
    """Run ``callback`` on the GUI thread (directly when already there)."""
    app = QApplication.instance()
    if app is None or threading.current_thread() is threading.main_thread():
        callback()
    else:
        _gui_relay().post(callback)


class _Progress:
    """Busy cursor after 300 ms, a cancellable dialog after 600 ms; both gone when the op ends."""

    def __init__(self, label: str | None, parent: QWidget | None, on_cancel: Callable[[], None]) -> None:
        self._label, self._parent, self._on_cancel = label, parent, on_cancel
        self._cursor = False
        self._dialog: QProgressDialog | None = None
        self._timers = [self._timer(BUSY_CURSOR_MS, self._show_cursor)]
        if label is not None:
            self._timers.append(self._timer(PROGRESS_DIALOG_MS, self._show_dialog))

    @staticmethod
    def _timer(ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        timer.start(ms)
        return timer

    def _show_cursor(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._cursor = True

    def _show_dialog(self) -> None:
        dialog = QProgressDialog(self._label or "", tr("取消"), 0, 0, self._parent)
        dialog.setWindowTitle(tr("请稍候"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.canceled.connect(self._on_cancel)
        dialog.show()
        self._dialog = dialog

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def finish(self) -> None:
        for timer in self._timers:
            timer.stop()
        if self._cursor:
            QApplication.restoreOverrideCursor()
            self._cursor = False
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._on_cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


class Op(Generic[T]):
    """A unit of background work with GUI-thread callbacks (see the module docstring)."""

    def __init__(self, fn: Callable[[], T], lane: Lane = Lane.DB) -> None:
        self._fn = fn
        self._lane = lane
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancelled: Callable[[], None] | None = None
        self._changes: Callable[[T], Changes | None] | None = None
        self._label: str | None = None
        self._parent: QWidget | None = None
        self.cancel_event = threading.Event()
        self._progress: _Progress | None = None

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Replace the default failure handling (a classified message through ``ui.messages``)."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op[T]:
        self._on_cancelled = callback
        return self

    def with_progress(self, label: str, parent: QWidget | None = None) -> Op[T]:
        self._label, self._parent = label, parent
        return self

    def on_network(self) -> Op[T]:
        self._lane = Lane.NET
        return self

    def announce(self, changes: Changes | Callable[[T], Changes | None]) -> Op[T]:
        """Broadcast what this mutation changed (after the success callback) on the change bus."""
        self._changes = changes if callable(changes) else (lambda _result: changes)
        return self

    def cancel(self) -> None:
        """Ask the work to stop (``fn`` may poll ``cancel_event``); no success callback will run."""
        self.cancel_event.set()

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        return None if self._progress is None else self._progress.dialog

    def run(self) -> Future[T]:
        _gui_relay()  # created here, on the GUI thread, before any worker needs it
        self._progress = _Progress(self._label, self._parent, self.cancel)
        future = workers().executor(self._lane).submit(self._fn)
        future.add_done_callback(lambda f: call_in_gui(lambda: self._finish(f)))
        return future

    def _finish(self, future: Future[T]) -> None:
        if self._progress is not None:
            self._progress.finish()
        if self.cancel_event.is_set():
            if self._on_cancelled is not None:
                self._on_cancelled()
            return
        exc = future.exception()
        if exc is not None:
            self._fail(exc)
            return
        self._succeed(future.result())

    def _fail(self, exc: BaseException) -> None:
        if self._on_failure is not None:
            self._on_failure(exc)
            return
        from ui.messages import show_exception

        show_exception(exc)

    def _succeed(self, result: T) -> None:
        if self._on_success is not None:
            self._on_success(result)
        changes = self._changes(result) if self._changes is not None else None
        if changes is not None:
            change_bus().publish(changes)
