"""The message bridge: queued until the UI listens, callable from any thread, errors classified."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from app.errors import InstDeskError, StorageError
from sync.errors import SyncError
from ui import messages
from ui.errors import Kind, classify, error_text
from ui.i18n import install_translators
from ui.messages import Level, Message, reset_bridge


def test_messages_wait_until_someone_listens(qapp: object) -> None:
    bridge = reset_bridge()
    messages.info("早")
    messages.error("出错了")
    assert [m.text for m in bridge.pending()] == ["早", "出错了"]
    got: list[Message] = []
    bridge.listen(got.append)
    assert [m.level for m in got] == [Level.INFO, Level.ERROR]
    assert bridge.pending() == [] and messages.history() == got


def test_worker_thread_messages_arrive_on_gui_thread(qtbot: QtBot, shown: list[Message]) -> None:
    threads: list[str] = []

    def listener(message: Message) -> None:
        shown.append(message)
        threads.append(threading.current_thread().name)

    messages.bridge().listen(listener)
    worker = threading.Thread(target=lambda: messages.warning("磁盘快满了"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0].text == "磁盘快满了" and threads == ["MainThread"]


def test_classification(shown: list[Message]) -> None:
    assert classify(StorageError("storage.full")).kind is Kind.EXPECTED
    assert "磁盘空间已满" in classify(StorageError("storage.full")).text
    assert classify(SyncError("sync.offline", detail="x")).kind is Kind.OFFLINE
    login = classify(SyncError("sync.login_required"))
    assert login.kind is Kind.LOGIN_EXPIRED and "设置" in login.hint
    assert classify(ConnectionRefusedError()).kind is Kind.OFFLINE
    assert classify(KeyError("x")).kind is Kind.BUG


def test_error_text_is_translated_by_code(shown: list[Message]) -> None:
    error = StorageError("storage.locked")
    assert error_text(error) == error.message
    install_translators("en")
    try:
        assert "database" in error_text(error).lower()
        unknown = InstDeskError("nowhere.unknown", "未知的中文消息")
        assert error_text(unknown) == "未知的中文消息"
    finally:
        install_translators("zh_CN")
