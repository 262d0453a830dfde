"""What the UI shows about sync: a thread-safe, immutable status snapshot and plain-callback subscribers.

The engine runs on a worker thread and updates one ``StatusBoard``; the UI polls ``snapshot()`` or
subscribes a callback (called on the engine's thread: a Qt UI re-emits it as a queued signal).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("sync.status")
SKEW_LIMIT_SECONDS = 300.0


@dataclass(frozen=True)
class Progress:
    """A long sync's progress: ``phase`` is 'push', 'pull', 'snapshot' or 'resend'; ``total`` None when
    unknown."""

    phase: str
    done: int
    total: int | None = None


@dataclass(frozen=True)
class SyncStatus:
    logged_in: bool = False
    #: this desk was logged in, but the platform no longer accepts its login: log in again
    login_expired: bool = False
    running: bool = False
    online: bool | None = None  # None: not tried yet
    pending_ops: int = 0
    problems: int = 0
    last_success: dt.datetime | None = None
    last_error_code: str | None = None
    last_error: str | None = None
    clock_skew_seconds: float | None = None
    progress: Progress | None = None
    next_attempt_in: float | None = None

    @property
    def clock_skewed(self) -> bool:
        """Over 5 minutes apart: reported to the user (nothing is ordered by client clocks)."""
        return self.clock_skew_seconds is not None and abs(self.clock_skew_seconds) > SKEW_LIMIT_SECONDS

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["last_success"] = self.last_success.isoformat() if self.last_success else None
        data["clock_skewed"] = self.clock_skewed
        return data


@dataclass(frozen=True)
class SyncReport:
    """The outcome of one ``sync_once``."""

    pushed: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    applied: int = 0
    inbox: int = 0
    pull_problems: int = 0
    snapshot_rows: int = 0
    reset: bool = False
    #: rows queued again because the platform had lost them (restored from a backup; see sync.resend)
    resent: int = 0
    seconds: float = 0.0
    clock_skew_seconds: float | None = None


Listener = Callable[[SyncStatus], None]


class StatusBoard:
    """Holds the current ``SyncStatus``; ``update`` replaces fields and notifies subscribers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._listeners: list[Listener] = []

    def snapshot(self) -> SyncStatus:
        with self._lock:
            return self._status

    def update(self, **changes: Any) -> SyncStatus:
        with self._lock:
            self._status = dataclasses.replace(self._status, **changes)
            status, listeners = self._status, list(self._listeners)
        for listener in listeners:
            try:
                listener(status)
            except Exception:  # a broken screen must not stop sync
                log.exception("sync status listener failed")
        return status

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a callback; returns the function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe
