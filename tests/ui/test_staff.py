"""员工: the list with certificates and 准入查询 status, adding staff until the ratio warning appears,
editing a teacher to part-time (the class ratio warning), the serving-teacher refusal, submitting a check."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.views.staff import count_staff, list_staff
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.models.paged import FunctionSource
from ui.models.staff import staff_model
from ui.panels.staff import StaffPanel


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> StaffPanel:
    ctx.actor = seed.manager
    panel = StaffPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _add(qtbot: QtBot, panel: StaffPanel, name: str, kind: str) -> None:
    dialog = panel.open_add()
    qtbot.addWidget(dialog)
    dialog.name.setText(name)
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
    dialog.save()


def test_list_shows_certificates_and_check_status(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    assert panel.model.rowCount() == 1 and panel.count_label.text() == "共 1 人"
    assert panel.model.index(0, 0).data() == "周老师"
    assert panel.model.index(0, 4).data() == "MS-001"
    assert panel.model.index(0, 5).data() == "已通过"
    assert "以监管平台为准" in panel.model.index(0, 5).data(3)
    assert panel.warnings.isHidden()


def test_ratio_warning_appears_when_support_staff_outnumber_teachers(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    _add(qtbot, panel, "钱会计", "other")
    assert panel.model.rowCount() == 2 and panel.warnings.isHidden()  # 1 of 2 is exactly 50%
    _add(qtbot, panel, "孙前台", "other")
    assert panel.model.rowCount() == 3
    assert not panel.warnings.isHidden()
    assert "专职教学和教研人员1人，占全部从业人员3人的比例低于50%" in panel.warnings.text()
    assert shown == []


def test_part_time_teacher_triggers_the_class_ratio_warning(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx, seed)
    panel.table.selectRow(0)
    dialog = panel.open_edit()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "周老师" and dialog.ability.text() == "MS-001"
    dialog.employment.setCurrentIndex(dialog.employment.findData("part_time"))
    dialog.save()
    assert panel.model.index(0, 2).data() == "兼职"
    assert "班级“美术周末班”：专职教师0人，不足学生人数5人的2%" in panel.warnings.text()


def test_serving_school_teacher_is_refused_and_a_check_can_be_submitted(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx, seed)
    dialog = panel.open_add()
    qtbot.addWidget(dialog)
    dialog.name.setText("郑老师")
    dialog.serving.setChecked(True)
    assert dialog.errors.text("serving") == "不得聘用中小学、幼儿园在职教师"
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
    dialog.serving.setChecked(False)
    assert "不能安排授课" in dialog.hint.text()
    dialog.ability.setText("TY-9")
    dialog.save()
    names = [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())]
    row = names.index("郑老师")
    assert panel.model.index(row, 5).data() == "未提交"
    panel.table.selectRow(row)
    assert panel.submit_button.isEnabled()
    panel.submit_check()
    assert panel.model.index(row, 5).data() == "核验中"


def test_staff_model(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    db, actor = seed.db, seed.manager
    model = staff_model(page_size=1)
    model.set_source(FunctionSource(lambda: count_staff(db, actor), lambda o, n: list_staff(db, actor, o, n)))
    assert model.index(0, 0).data() == "周老师"
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_every_problem_shows_under_its_field_as_you_type(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    dialog = panel.open_add()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert dialog.errors.text("name") == "姓名不能为空" and not save.isEnabled()
    dialog.name.setText("钱老师")
    dialog.phone.setText("1380013")
    dialog.id_number.setText("110105199003070132")  # wrong check digit
    # all problems at once, each under its own field, none in a modal
    assert "手机号码不正确" in dialog.errors.text("phone")
    assert "校验位错误" in dialog.errors.text("id_number")
    assert dialog.errors.text("name") == "" and not save.isEnabled() and shown == []
    dialog.phone.setText("13800138000")
    dialog.id_number.setText("11010519900307013X")
    assert dialog.errors.text("phone") == dialog.errors.text("id_number") == "" and save.isEnabled()
    dialog.ability.setText("TY-1")
    dialog.save()
    assert shown == [] and "钱老师" in [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())]
