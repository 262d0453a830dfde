"""学员 jobs end to end on the real widgets and a real database: new student with inline checks and the
duplicate offer, editing, the walk-in child enrolled straight from the new-student dialog, the 流水 with
lessons, 退费 with the manager's confirmation and the 退费单, 转班/停课/复课."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services.catalog import KlassInput, add_class
from app.services.rollcall import roll_call, undo_roll_call
from localdb.models import AuditLog, Contract, Guardian, Refund, Student
from tests.ui.seed import PASSWORD, Seed
from ui.context import AppContext
from ui.messages import Message
from ui.panels.students import StudentsPanel

ID = "110105201503070013"  # a boy born 2015-03-07


def _panel(qtbot: QtBot, ctx: AppContext) -> StudentsPanel:
    panel = StudentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _count(seed: Seed, model: type[object], *where: object) -> int:
    with seed.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def _pick(panel: StudentsPanel, name: str) -> None:
    panel.search.setText(name)
    panel.table.selectRow(0)
    assert panel.profile.title.text() == name


def test_new_student_is_checked_as_you_type_and_nothing_is_saved_while_wrong(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx)
    dialog = panel.open_new()  # owned by the panel, which qtbot closes: not registered twice
    before = _count(seed, Student)
    assert not dialog.save_button.isEnabled() and "姓名不能为空" in dialog.errors.text("name")
    dialog.name.insert("周小宝")
    QTest.keyClicks(dialog.id_number, ID[:-1] + "4")
    assert "校验位错误" in dialog.errors.text("id_number") and not dialog.save_button.isEnabled()
    dialog.id_number.setText(ID)
    assert dialog.errors.text("id_number") == ""
    assert dialog.derived.text() == "证件信息：2015-03-07 出生，男"
    QTest.keyClicks(dialog.birth_date, "2015-03-08")
    assert "出生日期与身份证号码不一致" in dialog.errors.text("birth_date")
    dialog.birth_date.setText("2015/3/7")
    assert dialog.errors.text("birth_date") == ""
    dialog.gender.setCurrentIndex(dialog.gender.findData("F"))
    assert "性别与身份证号码不一致" in dialog.errors.text("gender")
    dialog.gender.setCurrentIndex(0)
    QTest.keyClicks(dialog.phone, "1380013")
    assert "手机号码不正确" in dialog.errors.text("phone")
    dialog.phone.setText("13800138000")
    QTest.keyClicks(dialog.card, "C1000")  # 张三's card
    assert dialog.errors.text("card_code") == "卡号已被学员张三使用" and not dialog.save_button.isEnabled()
    dialog.card.setText("C2000")
    guardian = dialog.guardian_rows[0]
    QTest.keyClicks(guardian.phone, "139")
    assert "手机号码不正确" in guardian.error.text()
    assert not dialog.save_button.isEnabled()
    dialog.save()  # refused: nothing written
    assert _count(seed, Student) == before
    guardian.phone.setText("13900139000")
    assert "监护人姓名不能为空" in guardian.error.text()
    guardian.name.setText("周父")
    assert dialog.save_button.isEnabled()


def test_a_duplicate_is_found_as_you_type_and_the_existing_one_opened(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    panel = _panel(qtbot, ctx)
    dialog = panel.open_new()
    dialog.name.insert("张三")
    guardian = dialog.guardian_rows[0]
    guardian.name.setText("张家长")
    QTest.keyClicks(guardian.phone, "13900002000")  # 张三's guardian
    assert "可能重复" in dialog.duplicate_label.text() and "张三" in dialog.duplicate_label.text()
    assert dialog.open_existing_button.isVisible()
    dialog.open_existing_button.click()
    assert panel.profile.title.text() == "张三" and panel.current_id == seed.students["张三"]
    assert _count(seed, Student, Student.name == "张三") == 1


def test_the_front_desk_enrols_a_walk_in_child(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    """A parent walks in with a child: new student with the parent, then straight into 新报名."""
    panel = _panel(qtbot, ctx)
    dialog = panel.open_new()
    dialog.name.insert("周小宝")
    QTest.keyClicks(dialog.id_number, ID)
    QTest.keyClicks(dialog.phone, "13800138000")
    guardian = dialog.guardian_rows[0]
    guardian.name.insert("周爸爸")
    guardian.relation.setCurrentText("父亲")
    QTest.keyClicks(guardian.phone, "13900139000")
    assert dialog.duplicate_label.text() == "" and dialog.enroll_button.isEnabled()
    dialog.enroll_button.click()
    with seed.db.reading() as session:
        child = session.scalars(select(Student).where(Student.name == "周小宝")).one()
        assert (child.birth_date, child.gender) == (date(2015, 3, 7), "M")
        parent = session.scalars(select(Guardian).where(Guardian.student_id == child.id)).one()
        assert (parent.name, parent.relation, parent.phone) == ("周爸爸", "父亲", "13900139000")
    assert panel.profile.title.text() == "周小宝"
    wizard = panel.enroll_wizard
    assert wizard is not None and wizard.student_id == child.id and wizard.guardian == "周爸爸"
    wizard.deal.units.setValue(10)
    wizard.next()
    assert wizard.check_page.isComplete()
    wizard.next()
    wizard.next()  # 签约并收费
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.receipt)
    assert wizard.signed is not None
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert panel.profile.contracts.rowCount() == 1
    assert panel.profile.contracts.index(0, 4).data() == "10"
    assert _count(seed, Contract, Contract.student_id == child.id) == 1


def test_edit_a_student_and_their_guardians(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx)
    _pick(panel, "李四")
    dialog = panel.open_edit()
    assert dialog is not None
    assert dialog.name.text() == "李四" and dialog.guardian_rows[0].name.text() == "李家长"
    dialog.name.setText("李思")
    extra = dialog.add_guardian()
    extra.name.insert("李爷爷")
    QTest.keyClicks(extra.phone, "1390")
    assert not dialog.save_button.isEnabled()
    extra.phone.clear()
    dialog.card.setText("C1002")  # 王小明's
    assert "王小明" in dialog.errors.text("card_code")
    dialog.card.setText("C1001")
    dialog.save_button.click()
    assert panel.profile.title.text() == "李思"
    assert [panel.profile.guardians.index(i, 0).data() for i in range(2)] == ["李家长", "李爷爷"]


def test_editing_keeps_the_id_on_file_and_its_birth_date(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    from app.services.students import StudentInput, register_student

    register_student(seed.db, seed.front_desk, StudentInput("钱多多", id_number=ID))
    panel = _panel(qtbot, ctx)
    _pick(panel, "钱多多")
    dialog = panel.open_edit()
    assert dialog is not None and dialog.id_number.text() == ""
    assert "110105********0013" in dialog.id_number.placeholderText()
    assert dialog.birth_date.text() == "2015-03-07"
    dialog.birth_date.setText("2015-03-09")
    assert "证件上为2015-03-07" in dialog.errors.text("birth_date") and not dialog.save_button.isEnabled()
    dialog.save()
    dialog.birth_date.setText("2015-03-07")
    dialog.school.setText("实验小学")
    dialog.save_button.click()
    with seed.db.reading() as session:
        row = session.scalars(select(Student).where(Student.name == "钱多多")).one()
        assert (row.id_number, row.birth_date, row.school) == (ID, date(2015, 3, 7), "实验小学")


def test_history_lists_every_lesson_with_why(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    roll_call(seed.db, seed.front_desk, seed.session_id, {seed.students["张三"]: "present"})
    panel = _panel(qtbot, ctx)
    _pick(panel, "张三")
    ledger = panel.profile.ledger
    rows = [[ledger.index(r, c).data() for c in range(10)] for r in range(ledger.rowCount())]
    assert rows[0][2] == "购买" and rows[1][2] == "上课"
    assert rows[1][3:9] == ["-1", "-120.00 元", "出勤，扣 1 课时、120.00 元", "美术周末班", "周老师", "desk"]
    assert rows[1][9] == ""
    undo_roll_call(seed.db, seed.manager, seed.session_id)
    panel.refresh()
    lesson = [ledger.index(1, c).data() for c in range(10)]
    assert lesson[5] == "出勤，点名已撤销，课时已退回" and lesson[8] == "admin" and lesson[9] == "已撤销"


def test_refund_at_the_desk_needs_a_manager_and_prints_the_slip(
    qtbot: QtBot, ctx: AppContext, seed: Seed, tmp_path: Path
) -> None:
    panel = _panel(qtbot, ctx)
    _pick(panel, "张三")
    panel.profile.contracts_view.selectRow(0)
    assert panel.profile.refund_button.isEnabled()
    dialog = panel.open_refund()
    assert dialog is not None  # a child of the panel: closed with it (qtbot closes the panel)
    assert dialog.needs_approval  # signed in as the front desk
    assert dialog.quote_label.text() == "退还 1,200.00 元（10 课时）：按未消课时10课时 × 实际课时单价退费"
    assert not dialog.confirm.isEnabled() and dialog.errors.text("reason") == "请填写退费原因"
    dialog.reason.insert("搬家")
    QTest.keyClicks(dialog.approver, "admin")
    QTest.keyClicks(dialog.password, "wrong-password")
    dialog.confirm.click()
    assert dialog.errors.text("password") != "" and dialog.password.text() == ""
    assert _count(seed, Refund) == 0
    dialog.approver.setText("desk")  # a front-desk login cannot approve
    QTest.keyClicks(dialog.password, PASSWORD)
    dialog.confirm.click()
    assert "权限不足" in dialog.errors.text("approver") and _count(seed, Refund) == 0
    dialog.approver.setText("admin")
    QTest.keyClicks(dialog.password, PASSWORD)
    dialog.confirm.click()
    assert dialog.finished_refund is not None and dialog.finished_refund.approver == "admin"
    assert "已退费 1,200.00 元" in dialog.result_label.text()
    with seed.db.reading() as session:
        refund = session.scalars(select(Refund)).one()
        assert (refund.amount_fen, refund.reason, refund.created_by) == (120_000, "搬家", "admin")
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "refund.execute")).one()
        assert '"requested_by": "desk"' in (audit.detail or "")
    dialog.save_pdf(tmp_path / "refund.pdf")
    pdf = dialog.slip_path
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    assert panel.profile.contracts.index(0, 2).data() == "已退费"
    assert not panel.profile.refund_button.isEnabled()


def test_transfer_pause_and_resume_a_contract(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    other = add_class(seed.db, seed.manager, KlassInput(seed.course_id, "美术平日班", 1)).klass_id
    panel = _panel(qtbot, ctx)
    _pick(panel, "张三")
    view = panel.profile
    view.contracts_view.selectRow(0)
    assert view.move_buttons["transfer"].isEnabled() and not view.move_buttons["resume"].isEnabled()
    dialog = panel.open_move("transfer")
    assert dialog is not None and dialog.klass.currentText() == "美术平日班"
    dialog.confirm.click()
    assert dialog.moved is not None and dialog.moved.klass_id == other
    assert view.contracts.index(0, 7).data() == "美术平日班"
    view.contracts_view.selectRow(0)
    pause = panel.open_move("pause")
    assert pause is not None and "顺延" in pause.explain.text()
    pause.reason.setText("生病")
    pause.confirm.click()
    view.contracts_view.selectRow(0)
    assert view.contracts.index(0, 2).data().startswith("停课中")
    assert view.move_buttons["resume"].isEnabled() and not view.move_buttons["transfer"].isEnabled()
    from app.services.catalog import add_class_member

    add_class_member(seed.db, seed.manager, other, seed.students["陈晨"])  # the only seat is taken now
    resume = panel.open_move("resume")
    assert resume is not None and resume.klass.currentText() == "美术平日班"
    resume.confirm.click()
    assert "班级已满" in resume.errors.text("klass") and resume.moved is None
    resume.klass.setCurrentIndex(resume.klass.findText("美术周末班"))
    resume.confirm.click()
    assert resume.moved is not None and not resume.moved.paused
    assert view.contracts.index(0, 2).data() == "执行中"
    assert view.contracts.index(0, 7).data() == "美术周末班"
