"""One message bridge: ``error()``, ``warning()``, ``info()`` and ``show_exception()`` from any thread.

Messages posted before the UI listens are queued and delivered when ``listen()`` is called; delivery is
always on the GUI thread. Every delivered message is kept in ``history()`` so tests can assert on what the
user was shown. The main window listens with ``ui.dialogs.presenter.present``; tests may listen with a list.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from ui.errors import Kind, classify
from ui.ops import call_in_gui

log = logging.getLogger("ui.messages")


class Level(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    BUG = "bug"


@dataclass(frozen=True)
class Message:
    level: Level
    text: str
    hint: str = ""
    detail: str = ""


Listener = Callable[[Message], None]


class MessageBridge:
    """Queues messages until a listener is attached, then hands each to it on the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Message] = []
        self._listener: Listener | None = None
        self._history: list[Message] = []

    def listen(self, listener: Listener | None) -> None:
        with self._lock:
            self._listener = listener
            pending, self._pending = (self._pending, []) if listener else ([], self._pending)
        for message in pending:
            call_in_gui(lambda m=message: self._deliver(m))  # type: ignore[misc]

    def post(self, message: Message) -> None:
        with self._lock:
            if self._listener is None:
                self._pending.append(message)
                return
        call_in_gui(lambda: self._deliver(message))

    def _deliver(self, message: Message) -> None:
        with self._lock:
            listener = self._listener
            if listener is None:
                self._pending.append(message)
                return
            self._history.append(message)
        listener(message)

    def history(self) -> list[Message]:
        with self._lock:
            return list(self._history)

    def pending(self) -> list[Message]:
        with self._lock:
            return list(self._pending)


_bridge = MessageBridge()


def bridge() -> MessageBridge:
    return _bridge


def reset_bridge() -> MessageBridge:
    """A fresh bridge (tests)."""
    global _bridge
    _bridge = MessageBridge()
    return _bridge


def info(text: str) -> None:
    _bridge.post(Message(Level.INFO, text))


def warning(text: str, hint: str = "") -> None:
    _bridge.post(Message(Level.WARNING, text, hint))


def error(text: str, hint: str = "") -> None:
    _bridge.post(Message(Level.ERROR, text, hint))


def show_exception(exc: BaseException) -> None:
    """Classify ``exc`` and show it: a plain message for expected failures, the bug dialog otherwise."""
    found = classify(exc)
    if found.kind is Kind.BUG:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        _bridge.post(Message(Level.BUG, found.text, detail=found.detail))
    elif found.kind is Kind.EXPECTED:
        _bridge.post(Message(Level.ERROR, found.text))
    else:
        _bridge.post(Message(Level.WARNING, found.text, found.hint))


def history() -> list[Message]:
    return _bridge.history()
