"""Adapts ``sync.engine.SyncEngine`` to the UI's ``SyncPort``: a background loop, status snapshots, and
a ``Changes(SYNC)`` announcement on the GUI thread after each completed cycle.

The engine is built on first use, off the GUI thread: ``sync.engine`` pulls in httpx and keyring (~0.6 s
of imports) and reads the outbox counts, and none of that may delay the main window. ``start()`` called
on the GUI thread at start-up therefore only schedules it: ``START_DELAY_MS`` after the event loop runs
(the window is shown by then), the engine is built and its loop started on a background thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.db import Database
from ui.changes import Changes, Entity, change_bus
from ui.ops import call_in_gui
from ui.sync_port import SyncSnapshot

if TYPE_CHECKING:
    from sync.engine import SyncEngine
    from sync.status import SyncStatus

START_DELAY_MS = 1000


def snapshot_of(status: SyncStatus, configured: bool) -> SyncSnapshot:
    return SyncSnapshot(
        configured=configured,
        online=bool(status.online),
        logged_in=status.logged_in,
        login_expired=status.login_expired,
        running=status.running,
        pending_ops=status.pending_ops,
        problems=status.problems,
        last_sync=status.last_success,
        last_error=status.last_error or "",
    )


class EngineSync:
    def __init__(self, db: Database, server_url: str | None, interval: float = 30.0) -> None:
        self._db, self._server_url, self._interval = db, server_url or None, interval
        self._engine: SyncEngine | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = False
        self._last_success: object = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def engine(self) -> SyncEngine:
        """The engine, built on first use (call it off the GUI thread: it imports and reads the database)."""
        with self._lock:
            if self._engine is None:
                from sync.engine import SyncEngine

                engine = SyncEngine(self._db, self._server_url, interval=self._interval)
                self._last_success = engine.snapshot().last_success
                self._unsubscribe = engine.status.subscribe(self._changed)
                self._engine = engine
            return self._engine

    def start(self) -> None:
        """Run the sync loop in the background; at start-up (GUI thread) once the window is shown."""
        on_gui = QApplication.instance() is not None and threading.current_thread() is threading.main_thread()
        if on_gui:
            QTimer.singleShot(START_DELAY_MS, self._start_in_background)
        else:
            self._start_now()

    def _start_in_background(self) -> None:
        if self._starting or self._thread is not None or self._stop.is_set():
            return
        self._starting = True
        threading.Thread(target=self._start_now, name="instdesk-sync-start", daemon=True).start()

    def _start_now(self) -> None:
        engine = self.engine
        with self._lock:
            self._starting = False
            if self._thread is not None or self._stop.is_set() or not engine.server_url:
                return
            self._thread = threading.Thread(
                target=engine.run, args=(self._stop,), name="instdesk-sync", daemon=True
            )
            self._thread.start()
        call_in_gui(lambda: change_bus().publish(Changes.of(Entity.SYNC)))  # the status bar shows it

    def _changed(self, status: SyncStatus) -> None:
        if status.last_success != self._last_success and not status.running:
            self._last_success = status.last_success
            call_in_gui(lambda: change_bus().publish(Changes.of(Entity.SYNC)))

    def status(self) -> SyncSnapshot:
        engine = self._engine
        if engine is None:  # not built yet (the first second after start-up)
            return SyncSnapshot(configured=bool(self._server_url))
        return snapshot_of(engine.snapshot(), bool(engine.server_url))

    def sync_now(self) -> None:
        if self._engine is None:
            self._start_in_background()  # builds the engine; its loop syncs at once
        else:
            self._engine.wake()

    def login(self, server_url: str, uscc: str, password: str) -> None:
        """Log in and download (one cycle) — on the network lane, never the GUI thread."""
        engine = self.engine
        if server_url:
            engine.server_url = server_url.rstrip("/")
        engine.login(uscc, password)
        engine.sync_once()
        self._start_now()

    def logout(self) -> None:
        self.engine.logout()

    def stop(self) -> None:
        self._stop.set()
        with self._lock:
            engine, thread, unsubscribe = self._engine, self._thread, self._unsubscribe
        if engine is None:
            return
        engine.wake()
        if thread is not None:
            thread.join(timeout=5)
        if unsubscribe is not None:
            unsubscribe()
        engine.close()
