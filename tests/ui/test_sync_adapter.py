"""The sync engine (httpx, keyring, outbox counts) is built off the GUI thread after start-up, never before
the main window; status works before it exists; stop works whether or not it was built."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

import ui.sync_adapter as adapter
from ui.context import AppContext
from ui.sync_adapter import EngineSync


def test_start_on_the_gui_thread_builds_the_engine_later_in_the_background(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(adapter, "START_DELAY_MS", 10)
    sync = EngineSync(ctx.db, "http://127.0.0.1:9", interval=3600)
    built_on: list[str] = []
    real = EngineSync.__dict__["engine"].fget

    def engine(self: EngineSync) -> object:
        built_on.append(threading.current_thread().name)
        return real(self)

    monkeypatch.setattr(EngineSync, "engine", property(engine))
    try:
        sync.start()
        assert sync._engine is None and sync.status().configured  # nothing built before the event loop
        qtbot.waitUntil(lambda: sync._thread is not None, timeout=10_000)
        assert built_on and threading.main_thread().name not in built_on
        assert sync.status().configured
    finally:
        sync.stop()


def test_stop_before_the_engine_exists(ctx: AppContext) -> None:
    sync = EngineSync(ctx.db, "http://127.0.0.1:9")
    sync.stop()
    assert sync._engine is None and not sync.status().running
