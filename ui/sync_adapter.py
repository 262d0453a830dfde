"""Adapts ``sync.engine.SyncEngine`` to the UI's ``SyncPort``: a background loop, status snapshots, and
a ``Changes(SYNC)`` announcement on the GUI thread after each completed cycle."""

from __future__ import annotations

import threading

from app.db import Database
from sync.engine import SyncEngine
from sync.status import SyncStatus
from ui.changes import Changes, Entity, change_bus
from ui.ops import call_in_gui
from ui.sync_port import SyncSnapshot


def snapshot_of(status: SyncStatus, configured: bool) -> SyncSnapshot:
    return SyncSnapshot(
        configured=configured,
        online=bool(status.online),
        logged_in=status.logged_in,
        running=status.running,
        pending_ops=status.pending_ops,
        problems=status.problems,
        last_sync=status.last_success,
        last_error=status.last_error or "",
    )


class EngineSync:
    def __init__(self, db: Database, server_url: str | None, interval: float = 30.0) -> None:
        self.engine = SyncEngine(db, server_url or None, interval=interval)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_success = self.engine.snapshot().last_success
        self._unsubscribe = self.engine.status.subscribe(self._changed)

    def start(self) -> None:
        if self._thread is None and self.engine.server_url:
            self._thread = threading.Thread(
                target=self.engine.run, args=(self._stop,), name="instdesk-sync", daemon=True
            )
            self._thread.start()

    def _changed(self, status: SyncStatus) -> None:
        if status.last_success != self._last_success and not status.running:
            self._last_success = status.last_success
            call_in_gui(lambda: change_bus().publish(Changes.of(Entity.SYNC)))

    def status(self) -> SyncSnapshot:
        return snapshot_of(self.engine.snapshot(), bool(self.engine.server_url))

    def sync_now(self) -> None:
        self.engine.wake()

    def login(self, server_url: str, uscc: str, password: str) -> None:
        """Log in and download (one cycle) — on the network lane, never the GUI thread."""
        if server_url:
            self.engine.server_url = server_url.rstrip("/")
        self.engine.login(uscc, password)
        self.engine.sync_once()
        self.start()

    def logout(self) -> None:
        self.engine.logout()

    def stop(self) -> None:
        self._stop.set()
        self.engine.wake()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._unsubscribe()
        self.engine.close()
