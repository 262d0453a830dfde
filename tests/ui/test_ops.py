"""The operation helper: callbacks on the GUI thread, failures classified, progress after 600 ms."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.errors import ValidationError
from ui.changes import Changes, Entity, change_bus
from ui.messages import Level, Message
from ui.ops import Lane, Op, Workers, install_workers, workers


def test_inline_success_runs_callback_and_announces(shown: list[Message]) -> None:
    got: list[int] = []
    seen: list[Changes] = []
    change_bus().changed.connect(seen.append)
    Op(lambda: 41 + 1).success(got.append).announce(Changes.of(Entity.STUDENT)).run()
    assert got == [42]
    assert seen and seen[0].touches(Entity.STUDENT) and not seen[0].touches(Entity.COURSE)


def test_expected_failure_shows_plain_message(shown: list[Message]) -> None:
    def fail() -> None:
        raise ValidationError("user.weak_password", min_length=8)

    Op(fail).run()
    assert [m.level for m in shown] == [Level.ERROR]
    assert "密码至少需要8个字符" in shown[0].text


def test_bug_goes_to_the_bug_dialog(shown: list[Message]) -> None:
    Op(lambda: 1 // 0).run()
    assert shown[0].level is Level.BUG
    assert "ZeroDivisionError" in shown[0].detail


def test_threaded_worker_calls_back_on_gui_thread(qtbot: QtBot, shown: list[Message]) -> None:
    install_workers(Workers.threaded())
    try:
        threads: list[str] = []
        results: list[str] = []

        def work() -> str:
            threads.append(threading.current_thread().name)
            return "done"

        def done(result: str) -> None:
            results.append(result)
            threads.append(threading.current_thread().name)

        Op(work).success(done).run()
        Op(lambda: threading.current_thread().name, Lane.NET).success(results.append).run()
        qtbot.waitUntil(lambda: len(results) == 2)
        assert threads[0].startswith("instdesk-db") and threads[1] == "MainThread"
        assert any(r.startswith("instdesk-net") for r in results)
    finally:
        workers().shutdown()


def test_slow_op_shows_progress_and_cancel_skips_success(qtbot: QtBot, shown: list[Message]) -> None:
    install_workers(Workers.threaded())
    try:
        results: list[str] = []
        cancelled: list[bool] = []
        op: Op[str] = Op(lambda: _wait(op)).with_progress("正在处理…")
        op.success(results.append).cancelled(lambda: cancelled.append(True)).run()
        qtbot.waitUntil(lambda: op.progress_dialog is not None, timeout=3000)
        dialog = op.progress_dialog
        assert dialog is not None
        button = dialog.findChild(QPushButton)
        assert button is not None
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(cancelled), timeout=3000)
        assert results == []
    finally:
        workers().shutdown()


def _wait(op: Op[str]) -> str:
    deadline = time.monotonic() + 5
    while not op.cancel_event.is_set() and time.monotonic() < deadline:
        time.sleep(0.01)
    return "finished"
