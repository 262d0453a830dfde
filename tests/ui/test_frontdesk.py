"""前台: today's lessons, keyboard roll call, the barcode scanner's answers, low balance, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
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


def test_scanner_answers_instantly_with_colour_sound_and_history(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx)
    feedback = panel.feedback
    answers = [
        (seed.cards["张三"], "张三 已签到", "good"),
        (seed.cards["张三"], "张三 已签到过", "repeat"),
        (seed.cards["刘洋"], "刘洋 不在本班", "bad"),
        (seed.cards["陈晨"], "陈晨 课时不足，已签到并记为欠课时", "bad"),
        ("NOPE", "未知卡号", "bad"),
    ]
    for code, text, tone in answers:
        assert _scan(qtbot, panel, code) == text
        assert (feedback.tone, feedback.sound.last) == (tone, tone)
    assert "#1b873f" not in feedback.result.styleSheet() and "#b00020" in feedback.result.styleSheet()
    assert "请提醒续费" in _scan(qtbot, panel, seed.cards["赵丽"])
    history = feedback.history_lines()
    assert len(history) == 6 and history[0].endswith("赵丽 已签到（剩余 0 课时，请提醒续费）")
    assert history[-1].split("　")[1:] == [seed.cards["张三"], "张三 已签到"]  # time, card, answer
    row = _row_of(panel, "张三")
    assert panel.roster.index(row, 2).data() == "出勤"
    assert panel.roster.index(row, 3).data() == "9"
    assert panel.roster.index(_row_of(panel, "陈晨"), 2).data() == "出勤（欠课时）"
    assert panel.owed.model.rowCount() == 1 and panel.owed.title.text() == "欠课时（1）"


def test_scanner_typing_anywhere_is_caught_and_told_apart_from_keys(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx)
    view = panel.roster_view
    assert panel.focusWidget() is view  # the list, not the scan box, when a lesson opens
    view.selectRow(_row_of(panel, "张三"))
    QTest.keyClicks(view, seed.cards["李四"])  # a scanner: a fast burst ending with Enter
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert panel.scan_result.text() == "李四 已签到"
    assert panel.roster.pending == {}  # none of the scanner's digits marked a row
    view.selectRow(_row_of(panel, "张三"))
    QTest.keyClick(view, Qt.Key.Key_3)  # a person: one key
    qtbot.waitUntil(lambda: panel.roster.index(_row_of(panel, "张三"), 2).data() == "✎ 请假")
    QTest.keyClick(panel.sessions_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert (
        panel.roster.index(_row_of(panel, "张三"), 2).data() == "请假"
    )  # Ctrl+Enter saved from the other list


def test_zero_and_delete_clear_marks(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    view = panel.roster_view
    zhang, li = _row_of(panel, "张三"), _row_of(panel, "李四")
    panel.roster.mark(zhang, "present")
    panel.roster.mark(li, "late")
    panel.save_roll_call()
    assert panel.roster.index(zhang, 3).data() == "9"
    view.selectRow(li)
    QTest.keyClick(view, Qt.Key.Key_Delete)  # a saved mark: cleared on save, its lesson given back
    assert panel.roster.index(li, 2).data() == "✎ 清除"
    view.selectRow(zhang)
    QTest.keyClick(view, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: panel.roster.index(zhang, 2).data() == "✎ 迟到")
    view.selectRow(zhang)  # the view moved on to the next row after 2: go back
    QTest.keyClick(view, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: panel.roster.index(zhang, 2).data() == "出勤")  # the typed mark is forgotten
    QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.roster.index(li, 2).data() == "未点名" and panel.roster.index(li, 3).data() == "10"
    assert "已清除 1 名学员的考勤" in panel.scan_result.text()


def test_keyboard_roll_call_then_undo(qtbot: QtBot, ctx: AppContext, shown: list[Message]) -> None:
    panel = _panel(qtbot, ctx)
    view = panel.roster_view
    view.setFocus()
    view.selectRow(_row_of(panel, "张三"))
    QTest.keyClick(view, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: bool(panel.roster.pending))
    view.selectRow(_row_of(panel, "李四"))
    QTest.keyClick(view, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: panel.roster.index(_row_of(panel, "李四"), 2).data() == "✎ 迟到")
    QTest.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert shown == []
    assert panel.scan_result.text() == "已保存 2 名学员的考勤"
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "迟到"
    assert panel.roster.index(_row_of(panel, "李四"), 3).data() == "9"
    assert panel.sessions.index(0, 5).data() == "2/5"
    QTest.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    confirm = panel.undo_confirm
    assert confirm is not None and confirm.text() == "撤销上次点名（张三、李四）？将退回 2 课时、240.00 元。"
    confirm.button(QMessageBox.StandardButton.No).click()  # nothing is given back
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "迟到" and panel.last_action is not None
    QTest.mouseClick(panel.undo_button, Qt.MouseButton.LeftButton)
    assert panel.undo_confirm is not None
    panel.undo_confirm.button(QMessageBox.StandardButton.Yes).click()
    assert "已撤销 2 名学员的点名" in panel.scan_result.text()
    assert panel.roster.index(_row_of(panel, "李四"), 3).data() == "10"
    assert panel.roster.index(_row_of(panel, "李四"), 2).data() == "未点名"


def test_one_student_without_units_does_not_block_the_roll_call(
    qtbot: QtBot, ctx: AppContext, shown: list[Message], seed: Seed
) -> None:
    panel = _panel(qtbot, ctx)
    panel.roster.mark(_row_of(panel, "陈晨"), "present")
    panel.roster.mark(_row_of(panel, "张三"), "present")
    panel.save_roll_call()
    assert shown == []
    assert panel.scan_result.text() == "已保存 2 名学员的考勤；陈晨 课时不足，已记为欠课时"
    chen = _row_of(panel, "陈晨")
    assert panel.roster.index(chen, 2).data() == "出勤（欠课时）"
    assert panel.roster.index(chen, 4).data() == "欠课时：续费后结清"
    assert panel.roster.index(_row_of(panel, "张三"), 3).data() == "9"
    assert panel.owed.model.index(0, 1).data() == "陈晨"
    # nothing bought yet: settling leaves it owed
    QTest.mouseClick(panel.owed.settle_button, Qt.MouseButton.LeftButton)
    assert shown[-1].text == "已结清 0 节；仍未续费：陈晨" and panel.owed.model.rowCount() == 1


def test_roll_call_refused_when_the_manager_forbids_owing(
    qtbot: QtBot, ctx: AppContext, shown: list[Message], seed: Seed
) -> None:
    from app.services.owing import set_owing_allowed

    set_owing_allowed(seed.db, seed.manager, False)
    panel = _panel(qtbot, ctx)
    panel.roster.mark(_row_of(panel, "陈晨"), "present")
    panel.roster.mark(_row_of(panel, "张三"), "present")
    panel.save_roll_call()
    assert len(shown) == 1 and "没有剩余课时" in shown[0].text
    assert panel.roster.index(_row_of(panel, "张三"), 3).data() == "10"  # nothing saved
    assert _scan(qtbot, panel, seed.cards["陈晨"]) == "陈晨 课时不足" and panel.feedback.tone == "bad"


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


def test_the_manager_forbids_owing_in_settings(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    from dataclasses import replace

    from app.services.owing import owing_allowed
    from ui.dialogs.settings_dialog import SettingsDialog

    desk = SettingsDialog(ctx)
    qtbot.addWidget(desk)
    assert desk.allow_owing is None  # the front desk does not see the switch
    manager = SettingsDialog(replace(ctx, actor=seed.manager))
    qtbot.addWidget(manager)
    assert manager.allow_owing is not None and manager.allow_owing.isChecked()
    manager.allow_owing.setChecked(False)
    manager.save()
    assert not owing_allowed(seed.db)
