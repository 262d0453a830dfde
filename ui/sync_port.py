"""What the UI needs of the sync engine, as a small protocol the shell and status bar depend on.

``NullSync`` is used when no platform server is configured (and in tests); ``ui.sync_adapter`` adapts the
real ``sync`` engine to this protocol. Every method may be called on the GUI thread and must not block:
``status()`` reads a thread-safe snapshot, the others start background work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SyncSnapshot:
    """What the status bar shows."""

    configured: bool = False
    online: bool = False
    logged_in: bool = False
    #: the platform no longer accepts this desk's login: the user must log in again
    login_expired: bool = False
    running: bool = False
    pending_ops: int = 0
    problems: int = 0
    last_sync: datetime | None = None
    last_error: str = ""


class SyncPort(Protocol):
    def status(self) -> SyncSnapshot: ...
    def sync_now(self) -> None: ...
    def login(self, server_url: str, uscc: str, password: str) -> None: ...
    def logout(self) -> None: ...
    def stop(self) -> None: ...


class NullSync:
    """No platform configured: always offline, nothing to do."""

    def __init__(self, pending_ops: int = 0) -> None:
        self._pending = pending_ops

    def status(self) -> SyncSnapshot:
        return SyncSnapshot(pending_ops=self._pending)

    def sync_now(self) -> None:
        return None

    def login(self, server_url: str, uscc: str, password: str) -> None:
        return None

    def logout(self) -> None:
        return None

    def stop(self) -> None:
        return None
