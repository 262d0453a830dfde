"""课程 → 培训材料 and 平台 → 材料抽查, driven through the real widgets on a real database: adding a file,
editing its metadata, a new version, a refused empty file; a spot check with its time left answered with
the course's materials; the front desk sees no spot-check tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.views.materials import course_materials, list_spot_checks
from sync.inbox import inbox_params, store_inbox
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.materials_dialog import ADD, EDIT, VERSION, MaterialForm, MaterialsDialog
from ui.messages import Message
from ui.panels.courses import CoursesPanel
from ui.panels.inbox import InboxPanel
from ui.widgets.spot_checks import SpotAnswerDialog


def _texts(dialog: MaterialsDialog, column: int) -> list[str]:
    return [dialog.model.index(i, column).data() for i in range(dialog.model.rowCount())]


def _form(dialog: MaterialsDialog, mode: str) -> MaterialForm:
    form = dialog.open_form(mode)
    assert form is not None
    return form


def _open_dialog(qtbot: QtBot, ctx: AppContext, seed: Seed) -> tuple[CoursesPanel, MaterialsDialog]:
    """The 课程 screen and the 培训材料 dialog of the seeded course opened from it (the caller keeps the
    screen: it owns the dialog, and a screen nothing refers to is deleted with its dialogs)."""
    ctx.actor = seed.manager
    panel = CoursesPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    assert not panel.materials_button.isEnabled()  # no course chosen yet
    panel.table.selectRow(0)
    assert panel.materials_button.isEnabled()
    dialog = panel.open_materials()
    assert dialog is not None
    return panel, dialog


def test_materials_are_added_edited_and_versioned_in_the_course_screen(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    ctx: AppContext,
    seed: Seed,
    shown: list[Message],
    tmp_path: Path,
) -> None:
    _panel, dialog = _open_dialog(qtbot, ctx, seed)
    qtmodeltester.check(dialog.model)  # type: ignore[no-untyped-call]
    assert dialog.model.rowCount() == 0 and not dialog.edit_button.isEnabled()
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    form = _form(dialog, ADD)
    assert not form.buttons.button(form.buttons.StandardButton.Ok).isEnabled()  # no file yet
    form.file.setText(str(empty))
    form.title.setText("空讲义")
    form.save()
    assert form.isVisible() and "空文件" in shown[-1].text  # refused; nothing saved, the form stays open
    form.reject()
    handout = tmp_path / "第一单元.pdf"
    handout.write_bytes(b"%PDF unit one" * 100)
    form = _form(dialog, ADD)
    form.file.setText(str(handout))
    form.title.setText("第一单元讲义")
    form.kind.setCurrentIndex(form.kind.findData("handout"))
    form.author.setText("教研组")
    form.reviewer.setText("王主任")
    form.reviewed.setChecked(True)
    form.classes.item(0).setCheckState(Qt.CheckState.Checked)
    form.save()
    assert not form.isVisible()
    assert _texts(dialog, 0) == ["第一单元讲义"]
    assert _texts(dialog, 1) == ["讲义"] and _texts(dialog, 8) == ["待报送"]  # labels, never codes
    dialog.view.selectRow(0)
    assert dialog.edit_button.isEnabled() and dialog.version_button.isEnabled()
    form = _form(dialog, EDIT)
    assert form.title.text() == "第一单元讲义" and form.reviewer.text() == "王主任"
    form.title.setText("第一单元讲义（修订）")
    form.save()
    assert _texts(dialog, 0) == ["第一单元讲义（修订）"]
    dialog.view.selectRow(0)
    form = _form(dialog, VERSION)
    v2 = tmp_path / "第一单元-2.pdf"
    v2.write_bytes(b"%PDF unit one, second edition")
    form.file.setText(str(v2))
    form.version.setText("1")
    assert not form.buttons.button(form.buttons.StandardButton.Ok).isEnabled()  # same version label
    form.version.setText("2")
    form.save()
    (row,) = course_materials(seed.db, seed.manager, seed.course_id)
    assert (row.version_label, row.file_name, row.title) == ("2", "第一单元-2.pdf", "第一单元讲义（修订）")
    assert _texts(dialog, 2) == ["2"]


def _spot_check(seed: Seed, hours_left: float) -> None:
    now = dt.datetime.now(dt.UTC)
    deadline = now + dt.timedelta(hours=hours_left)
    payload: dict[str, Any] = {
        "id": "chk-1",
        "course_id": seed.course_id,
        "course_name": "少儿美术",
        "status": "open",
        "note": "例行抽查：请报送正在使用的讲义",
        "requested_at": now.isoformat(),
        "deadline_at": deadline.isoformat(),
        "deadline": deadline.date().isoformat(),
    }
    with seed.db.transaction() as session:
        store_inbox(session.connection(), [inbox_params("spot_check", "chk-1", 1, False, payload)])


def test_a_spot_check_shows_its_time_left_and_is_answered_with_the_materials(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    ctx: AppContext,
    seed: Seed,
    shown: list[Message],
    tmp_path: Path,
) -> None:
    _panel, dialog = _open_dialog(qtbot, ctx, seed)
    source = tmp_path / "课件.pptx"
    source.write_bytes(b"slides" * 50)
    form = _form(dialog, ADD)
    form.file.setText(str(source))
    form.title.setText("美术课件")
    form.save()
    _spot_check(seed, hours_left=50.5)
    panel = InboxPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    tab = panel.spot_checks
    assert tab is not None
    qtmodeltester.check(tab.model)  # type: ignore[no-untyped-call]
    panel.show_item("spot_check")
    assert panel.tabs.currentWidget() is tab
    assert panel.tabs.tabText(panel.tabs.indexOf(tab)) == "材料抽查（1）"
    row = [tab.model.index(0, c).data() for c in range(tab.model.columnCount())]
    assert row[0] == "少儿美术" and row[1] == "待答复" and row[4] == "剩 2 天 2 小时" and row[5] == "未答复"
    assert not tab.answer_button.isEnabled()
    tab.view.selectRow(0)
    assert tab.answer_button.isEnabled()
    tab.open_answer()
    answer = tab.dialog
    assert isinstance(answer, SpotAnswerDialog) and answer.materials.count() == 1
    answer.materials.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not answer.buttons.button(answer.buttons.StandardButton.Ok).isEnabled()
    answer.materials.item(0).setCheckState(Qt.CheckState.Checked)
    answer.note.setText("附第一单元课件")
    answer.save()
    assert "已答复抽查（1 份材料）" in shown[-1].text
    (item,) = list_spot_checks(seed.db, seed.manager)
    assert item.answer_state == "pending"
    assert tab.model.index(0, 5).data() == "答复待同步"
    tab.view.selectRow(0)
    assert not tab.answer_button.isEnabled()
    materials = tab.open_materials()
    assert materials is not None and materials.model.rowCount() == 1
    materials.close()


def test_the_front_desk_has_no_spot_check_tab(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = InboxPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.spot_checks is None
    assert "材料抽查" not in [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
