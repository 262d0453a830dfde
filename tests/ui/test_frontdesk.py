"""前台: today's lessons, keyboard roll call, the barcode scanner's answers, low balance, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from tests.ui.seed import Seed
from ui.changes import Entity
from ui.context import AppContext
from ui.messages import Message
from ui.ops import Op
from ui.panels.base import Panel
from ui.panels.frontdesk import FrontDeskPanel


def _panel(qtbot: QtBot, ctx: AppContext) -> FrontDeskPanel:
    panel = FrontDeskPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _row_of(panel: FrontDeskPanel, name: str) -> int:
    for i in range(panel.roster.rowCount()):
        line = panel.roster.row_at(i)
        if line is not None and line.name == name:
            return i
    raise AssertionError(name)


def _scan(qtbot: QtBot, panel: FrontDeskPanel, code: str) -> str:
    panel.scanner.setFocus()
    QTest.keyClicks(panel.scanner, code)
    QTest.keyClick(panel.scanner, Qt.Key.Key_Return)
    return panel.scan_result.text()


def test_today_lessons_and_roster_are_shown(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    assert panel.sessions.rowCount() == 1
    assert panel.sessions.index(0, 1).data() == "美术周末班"
    names = [panel.roster.row_at(i).name for i in range(panel.roster.rowCount())]  # type: ignore[union-attr]
    assert set(names) == {"张三", "李四", "王小明", "赵丽", "陈晨"}
    assert "赵丽 剩余 1 课时" in panel.warnings.text()


def test_scanner_answers_instantly(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx)
    assert _scan(qtbot, panel, seed.cards["张三"]) == "张三 已签到"
    assert _scan(qtbot, panel, seed.cards["张三"]) == "张三 已签到过"
    assert _scan(qtbot, panel, seed.cards["刘洋"]) == "刘洋 不在本班"
    assert _scan(qtbot, panel, seed.cards["陈晨"]) == "陈晨 课时不足"
    assert _scan(qtbot, panel, "NOPE") == "未知卡号"
    assert "请提醒续费" in _scan(qtbot, panel, seed.cards["赵丽"])
    row = _row_of(panel, "张三")
    assert panel.roster.index(row, 2).data() == "出勤"
    assert panel.roster.index(row, 3).data() == "9"


def test_keyboard_roll_call_then_undo(qtbot: QtBot, ctx: AppContext, shown: list[Message]) -> None:
    panel = _panel(qtbot, ctx)
    view = panel.roster_view
    view.setFocus()
    view.selectRow(_row_of(panel, "张三"))
    QTest.keyClick(view, Qt.Key.Key_1)
    view.selectRow(_row_of(panel, "李四"))
    QTest.keyClick(view, Qt.Key.Key_2)
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "✎ 迟到"
    QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert shown == []
    assert panel.scan_result.text() == "已保存 2 名学员的考勤"
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "迟到"
    assert panel.roster.index(_row_of(panel, "李四"), 3).data() == "9"
    assert panel.sessions.index(0, 5).data() == "2/5"
    QTest.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert "已撤销 2 名学员的点名" in panel.scan_result.text()
    assert panel.roster.index(_row_of(panel, "李四"), 3).data() == "10"
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "未点名"


def test_roll_call_refused_is_shown_plainly(qtbot: QtBot, ctx: AppContext, shown: list[Message]) -> None:
    panel = _panel(qtbot, ctx)
    panel.roster.mark(_row_of(panel, "陈晨"), "present")
    panel.save_roll_call()
    assert len(shown) == 1 and "没有剩余课时" in shown[0].text


class _Watcher(Panel):
    """Another screen showing attendance (hidden): it must learn of the roll call."""

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.ATTENDANCE,)


def test_roll_call_is_one_op_and_the_desk_does_not_reload_on_its_own_news(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _panel(qtbot, ctx)
    other = _Watcher(ctx)
    other._stale = False
    calls: list[str] = []
    monkeypatch.setattr(panel, "refresh", lambda: calls.append("refresh"))
    monkeypatch.setattr(panel, "load_roster", lambda: calls.append("load_roster"))
    ops: list[object] = []
    real_run = Op.run

    def run(op: Op[object]) -> object:
        ops.append(op)
        return real_run(op)

    monkeypatch.setattr(Op, "run", run)
    for name in ("张三", "李四"):
        panel.roster.mark(_row_of(panel, name), "present")
    with qtbot.assertNotEmitted(panel.roster.modelReset), qtbot.assertNotEmitted(panel.sessions.modelReset):
        panel.save_roll_call()
    assert panel.scan_result.text() == "已保存 2 名学员的考勤"
    assert len(ops) == 1 and calls == []
    assert panel.roster.index(_row_of(panel, "张三"), 2).data() == "出勤"
    assert panel.sessions.index(0, 5).data() == "2/5"
    assert other._stale  # the other screen reloads when it is next shown
