"""学员: search as you type, the profile with its ledger, and the enrollment wizard with PDFs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.ui.seed import Seed
from ui.context import AppContext
from ui.messages import Message
from ui.panels.students import StudentsPanel


def _panel(qtbot: QtBot, ctx: AppContext) -> StudentsPanel:
    panel = StudentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _names(panel: StudentsPanel) -> list[str]:
    return [panel.model.index(i, 0).data() for i in range(panel.model.rowCount())]


def test_lists_everyone_then_searches_as_you_type(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    assert panel.model.rowCount() == 6 and panel.count_label.text() == "共 6 名学员"
    QTest.keyClicks(panel.search, "zs")
    assert _names(panel) == ["张三"]
    panel.search.clear()
    QTest.keyClicks(panel.search, "wangxiao")
    assert _names(panel) == ["王小明"]
    panel.search.setText("1003")  # phone tail of 赵丽
    assert _names(panel) == ["赵丽"]
    panel.search.setText("李")
    assert _names(panel) == ["李四"] and panel.count_label.text() == "找到 1 名学员"


def test_profile_shows_guardians_contracts_and_why_each_line(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    panel.search.setText("张三")
    panel.table.selectRow(0)
    profile = panel.profile
    assert profile.title.text() == "张三"
    assert profile.guardians.index(0, 0).data() == "张家长"
    assert profile.contracts.index(0, 1).data() == "少儿美术"
    assert profile.contracts.index(0, 4).data() == "10"
    assert profile.ledger.index(0, 5).data() == "购买 10 课时，收费 1,200.00 元"


def test_enrollment_wizard_checks_signs_and_prints(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    panel = _panel(qtbot, ctx)
    panel.search.setText("陈晨")
    panel.table.selectRow(0)
    wizard = panel.open_enroll()
    assert wizard is not None
    qtbot.addWidget(wizard)
    deal = wizard.deal
    assert deal.course.currentText() == "少儿美术" and deal.klass.currentText() == "美术周末班"
    deal.units.setValue(100)  # over the 60-课时 cap: the check page refuses
    wizard.next()
    assert wizard.currentPage() is wizard.check_page
    assert "不符合收费规定" in wizard.check_page.verdict.text()
    assert not wizard.check_page.isComplete()
    wizard.back()
    deal.units.setValue(10)
    wizard.next()
    assert "符合收费规定" in wizard.check_page.verdict.text() and wizard.check_page.isComplete()
    assert "中小学生校外培训服务合同" in wizard.check_page.preview.toPlainText()
    contract_pdf = wizard.save_pdf("contract", tmp_path / "contract.pdf")
    assert contract_pdf is not None
    assert contract_pdf.read_bytes().startswith(b"%PDF")
    wizard.next()
    assert wizard.currentPage() is wizard.pay
    wizard.next()  # 签约并收费
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.receipt)
    assert wizard.signed is not None and wizard.signed.receipt_no.startswith("A1-")
    assert wizard.signed.receipt_no in wizard.receipt.preview.toPlainText()
    receipt = wizard.save_pdf("receipt", tmp_path / "receipt.pdf")
    assert receipt is not None
    assert receipt.stat().st_size > 1000
    assert [m.level.value for m in shown] == ["info", "info"]
    assert panel.profile.contracts.rowCount() == 1  # refreshed by the announced changes
    assert panel.profile.contracts.index(0, 4).data() == "10"
    wizard.button(QWizard.WizardButton.FinishButton).click()
