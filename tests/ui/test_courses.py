"""课程: inline compliance checks while typing, a clean save, publishing → pending, review coming back,
a new class with the teacher's eligibility shown before saving; the models pass the model tester."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.services.staffing import StaffInput, add_staff
from app.views.courses import count_courses, course_classes, list_courses
from localdb.models import Course
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.models.courses import classes_model, courses_model
from ui.models.paged import FunctionSource
from ui.panels.courses import CoursesPanel


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> CoursesPanel:
    ctx.actor = seed.manager
    panel = CoursesPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _names(panel: CoursesPanel) -> list[str]:
    return [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())]


def test_new_course_shows_violations_inline_then_saves_clean(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    panel = _panel(qtbot, ctx, seed)
    assert _names(panel) == ["少儿美术"]
    panel.new_course()
    form = panel.form
    form.name.setText("小学数学提高班")
    form.category.setCurrentIndex(form.category.findData("subject"))
    form.subject.setCurrentText("美术")  # not a 学科类 subject
    form.delivery.setCurrentIndex(form.delivery.findData("online"))  # the licence is offline only
    form.price.setText("3000")
    assert "不属于学科类科目" in form.error_text("subject")
    assert "不包含线上课程" in form.error_text("delivery")
    assert "不得超过30分钟" in form.error_text("minutes")
    assert not panel.save_button.isEnabled()
    form.subject.setCurrentText("数学")
    form.delivery.setCurrentIndex(form.delivery.findData("offline"))
    assert form.error_text("subject") == "" and form.error_text("minutes") == ""
    form.stage.setCurrentIndex(form.stage.findData("preschool"))
    assert "学龄前" in form.error_text("stage")
    form.stage.setCurrentIndex(form.stage.findData("compulsory"))
    assert form.is_clean() and panel.save_button.isEnabled()
    panel.save_button.click()
    assert shown == []
    assert sorted(_names(panel)) == sorted(["少儿美术", "小学数学提高班"])
    assert panel.current is not None and panel.current.name == "小学数学提高班"
    assert panel.review.text() == "上架审核：草稿"
    assert not panel.save_button.isEnabled() and panel.publish_button.isEnabled()


def test_publish_goes_pending_and_the_review_answer_shows(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    panel.table.selectRow(0)
    assert panel.current is not None and panel.publish_button.isEnabled()
    panel.publish_button.click()
    assert panel.review.text() == "上架审核：待审核"
    assert panel.model.index(0, 7).data() == "待审核"
    assert not panel.publish_button.isEnabled()
    with seed.db.transaction() as session:  # the platform's answer, as sync stores it
        session.execute(
            update(Course)
            .where(Course.id == seed.course_id)
            .values(review_status="rejected", review_reason="价格说明不清")
        )
    panel.refresh()
    assert panel.review.text() == "上架审核：被驳回：价格说明不清"
    assert panel.model.index(0, 7).data(3) == "被驳回：价格说明不清"  # tooltip
    assert panel.publish_button.isEnabled()  # a rejected course may be sent again


def test_editing_a_course_keeps_checks_live(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)
    panel.table.selectRow(0)
    panel.form.price.clear()
    assert panel.form.error_text("price") == "请填写课时包价格"
    panel.form.price.setText("12.345")
    assert "分" in panel.form.error_text("price")
    panel.form.price.setText("2600")
    panel.form.check()
    assert panel.save_button.isEnabled()
    panel.save()
    assert panel.current is not None and panel.current.price_fen == 260000


def test_add_class_shows_teacher_eligibility(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    add_staff(seed.db, seed.manager, StaffInput(name="吴老师", ability_cert_no="X-1"))  # not yet checked
    panel = _panel(qtbot, ctx, seed)
    panel.table.selectRow(0)
    assert panel.classes.rowCount() == 1 and panel.classes.index(0, 3).data() == "5/12"
    dialog = panel.open_add_class()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.name.setText("美术周日班")
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("吴老师"))
    assert "尚未通过准入查询" in dialog.errors.text("teacher")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("周老师"))
    assert dialog.errors.text("teacher") == ""
    dialog.min_size.setValue(30)
    assert dialog.errors.text("min_size") != ""
    dialog.min_size.setValue(3)
    dialog.save()
    assert panel.classes.rowCount() == 2
    assert {k.name for k in course_classes(seed.db, seed.manager, seed.course_id)} == {
        "美术周末班",
        "美术周日班",
    }


def test_course_models(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    db, actor = seed.db, seed.manager
    model = courses_model(page_size=1)
    model.set_source(
        FunctionSource(lambda: count_courses(db, actor), lambda o, n: list_courses(db, actor, o, n))
    )
    assert model.rowCount() == 1 and model.index(0, 0).data() == "少儿美术"
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]
    classes = classes_model()
    classes.set_rows(course_classes(db, actor, seed.course_id))
    qtmodeltester.check(classes)  # type: ignore[no-untyped-call]


def test_class_dialog_warns_when_the_certificate_does_not_cover_the_subject(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    from decimal import Decimal

    from app.services.catalog import CourseInput, add_course
    from app.services.staffing import set_background_check

    add_course(
        seed.db,
        seed.manager,
        CourseInput("初一数学", "subject", "数学", "compulsory", 45, Decimal(20), 200_000),
    )
    for name, subject in (("英语老师", "初中英语"), ("数学老师", "初中数学")):
        person = add_staff(seed.db, seed.manager, StaffInput(name=name, teacher_cert_subject=subject))
        set_background_check(seed.db, seed.manager, person.staff_id, "passed")
    panel = _panel(qtbot, ctx, seed)
    names = [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())]
    panel.table.selectRow(names.index("初一数学"))
    dialog = panel.open_add_class()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.name.setText("数学1班")
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("英语老师"))
    assert dialog.errors.text("teacher") == "学科类（数学）授课人员须持有相应学科的教师资格证"
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.teacher.setCurrentIndex(dialog.teacher.findText("数学老师"))
    assert dialog.errors.text("teacher") == ""
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
