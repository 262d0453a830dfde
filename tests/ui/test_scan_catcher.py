"""The scanner catcher: a fast burst + Enter is a scan; a person's keys reach their widget as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.scan_catcher import ScanCatcher


class _Keys(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.typed: list[str] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.typed.append(event.text() if event.text().isprintable() and event.text() else f"<{event.key()}>")


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _setup(qtbot: QtBot) -> tuple[_Keys, ScanCatcher, _Clock, list[str]]:
    widget, clock = _Keys(), _Clock()
    qtbot.addWidget(widget)
    catcher = ScanCatcher(widget, clock)
    catcher.watch(widget)
    scans: list[str] = []
    catcher.scanned.connect(scans.append)
    return widget, catcher, clock, scans


def test_a_fast_burst_ending_with_enter_is_a_scan(qtbot: QtBot) -> None:
    widget, _catcher, clock, scans = _setup(qtbot)
    for char in "K1234":
        QTest.keyClicks(widget, char)
        clock.now += 0.008  # 8 ms apart: a scanner
    QTest.keyClick(widget, Qt.Key.Key_Return)
    assert scans == ["K1234"] and widget.typed == []


def test_a_person_typing_slowly_is_not_a_scan(qtbot: QtBot) -> None:
    widget, catcher, clock, scans = _setup(qtbot)
    for char in "123":
        QTest.keyClicks(widget, char)
        clock.now += 0.3  # a person: 300 ms apart
    assert widget.typed == ["1", "2"]  # each delivered when the next one came slowly
    QTest.keyClick(widget, Qt.Key.Key_Return)
    assert scans == [] and widget.typed == ["1", "2", "3", f"<{int(Qt.Key.Key_Return.value)}>"]


def test_a_single_key_is_delivered_after_the_gap(qtbot: QtBot) -> None:
    widget, _catcher, _clock, scans = _setup(qtbot)
    QTest.keyClicks(widget, "2")
    assert widget.typed == []
    qtbot.waitUntil(lambda: widget.typed == ["2"], timeout=1000)
    assert scans == []


def test_a_short_burst_with_enter_is_not_a_scan(qtbot: QtBot) -> None:
    widget, _catcher, clock, scans = _setup(qtbot)
    QTest.keyClicks(widget, "1")
    clock.now += 0.01
    QTest.keyClick(widget, Qt.Key.Key_Return)  # two keys: shorter than any card code
    assert scans == [] and widget.typed[0] == "1"
