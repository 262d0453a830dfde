"""Documents in the app: a signed contract refuses to print while the institution's facts are missing (and
says which), 设置 → 机构信息 fills them in, the 合同 tab reprints a 副本, receipts follow the paper chosen in
设置, and save dialogs speak Chinese and start in Documents with Chinese default names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.demo.paperwork import PROFILE
from app.documents.receipt import ReceiptFacts
from app.services.institution import get_institution
from app.services.refunds import execute_refund
from localdb.models import Contract
from tests.documents.conftest import pdf_pages
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.documents_settings import DocumentsBox
from ui.dialogs.enroll_wizard import EnrollWizard
from ui.documents import documents_dir
from ui.file_dialogs import save_dialog
from ui.messages import Message
from ui.panels.stats import StatsPanel
from ui.panels.students import StudentsPanel
from ui.receipts import load_refund_slip, save_receipt

MM = 72 / 25.4


def _signed_wizard(qtbot: QtBot, panel: StudentsPanel) -> EnrollWizard:
    panel.search.setText("陈晨")
    panel.table.selectRow(0)
    wizard = panel.open_enroll()
    assert wizard is not None  # owned by the panel, closed with it
    wizard.deal.units.setValue(10)
    wizard.next()
    wizard.next()
    wizard.next()  # 签约并收费
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.receipt and wizard.papers is not None)
    return wizard


def _manager(ctx: AppContext, seed: Seed) -> AppContext:
    return replace(ctx, actor=seed.manager)


def test_missing_facts_block_the_final_contract_until_filled_in_settings(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    panel = StudentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    wizard = _signed_wizard(qtbot, panel)
    assert wizard.save_pdf("contract", tmp_path / "refused.pdf") is None
    assert not (tmp_path / "refused.pdf").exists()
    refusal = shown[-1]
    assert refusal.level.value == "error" and "审批机关（设置 → 机构信息）" in refusal.text
    assert "办学许可证编号" in refusal.text and "监管银行" in refusal.text

    box = DocumentsBox(_manager(ctx, seed))
    qtbot.addWidget(box)
    dialog = box.open_institution()
    qtbot.addWidget(dialog)
    for key in dialog.texts:
        value = getattr(PROFILE, key)
        dialog.texts[key].setText(value if key != "name" else "星光艺术培训中心")
    dialog.dates["licence_valid_until"].setText("2029-08-31")
    dialog.dates["registration_valid_until"].setText("2030/12/31")  # not YYYY-MM-DD: said, nothing saved
    dialog.save()
    assert (
        "民非登记证/营业执照有效期至" in shown[-1].text
        and get_institution(seed.db).profile.licence_no is None
    )
    dialog.dates["registration_valid_until"].setText("2030-12-31")
    dialog.dispute.setCurrentIndex(dialog.dispute.findData("court"))
    dialog.days["refund_days_before_start"].setValue(7)
    dialog.days["refund_days_after_start"].setValue(3)
    dialog.save()
    saved = get_institution(seed.db).profile
    assert saved.approval_authority == PROFILE.approval_authority and saved.registration_valid_until == date(
        2030, 12, 31
    )

    panel.profile.contracts_view.selectRow(0)
    contract_id = panel.profile.selected_contract_id()
    assert contract_id is not None
    panel.reprint_contract(contract_id, tmp_path / "copy.pdf")
    pages = pdf_pages(tmp_path / "copy.pdf")
    number = panel.profile.contracts.index(0, 0).data()
    assert all(f"合同编号：{number}（副本）" in page for page in pages)
    assert f"审批机关：{PROFILE.approval_authority}" in "".join(pages)


def test_receipts_follow_the_paper_chosen_in_settings(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    box = DocumentsBox(ctx)
    qtbot.addWidget(box)
    box.receipt_layout.setCurrentIndex(box.receipt_layout.findData("thermal80"))
    box.save()
    assert ctx.settings.receipt_layout == "thermal80"
    panel = StudentsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    wizard = _signed_wizard(qtbot, panel)
    receipt = wizard.save_pdf("receipt", tmp_path / "receipt.pdf")
    assert receipt is not None
    assert (
        float(PdfReader(receipt).pages[0].mediabox.width) == 80 * MM
        or abs(float(PdfReader(receipt).pages[0].mediabox.width) - 80 * MM) < 1
    )
    text = pdf_pages(receipt)[0]
    assert "人民币" in text and "经办人" in text and "预收费已进入监管账户" in text
    assert wizard.papers is not None and wizard.papers.receipt.file_name.startswith("收款收据-陈晨-")


def test_save_dialogs_speak_chinese_and_start_in_documents(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = StatsPanel(replace(ctx, actor=seed.stats))
    qtbot.addWidget(panel)
    panel.set_range(date(2026, 11, 1), date(2026, 11, 30))
    name = panel.default_export_name()
    assert name == "统计-2026年11月.xlsx"
    panel.tables.setCurrentIndex(2)
    assert panel.default_table_name() == "统计按班级-2026年11月.xlsx"
    dialog = save_dialog(panel, "导出统计", name, "Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8）(*.csv)")
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)："} <= labels
    assert not any(text.isascii() and text.strip() for text in labels), labels
    assert Path(dialog.directory().absolutePath()) == documents_dir()
    assert Path(dialog.selectedFiles()[0]).name == "统计-2026年11月.xlsx"
    dialog.selectNameFilter("CSV 文件（UTF-8）(*.csv)")
    dialog.filterSelected.emit("CSV 文件（UTF-8）(*.csv)")
    assert dialog.defaultSuffix() == "csv" and Path(dialog.selectedFiles()[0]).name == "统计-2026年11月.csv"
    dialog.close()


def test_a_refund_screen_gets_the_refund_slip(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message], tmp_path: Path
) -> None:
    """What the desk refund dialog calls after ``execute_refund``: the 退费单 on the chosen paper."""
    with seed.db.reading() as session:
        contract_id = session.scalars(select(Contract.id).limit(1)).one()
    refund = execute_refund(seed.db, seed.manager, contract_id, "搬家")
    ctx.settings.receipt_layout = "thermal58"
    slips: list[ReceiptFacts] = []
    load_refund_slip(_manager(ctx, seed), refund.refund_id, lambda slip: slips.append(slip))
    qtbot.waitUntil(lambda: bool(slips))
    [slip] = slips
    assert slip.title == "退费单" and slip.number.startswith("TF-") and slip.reason == "搬家"
    saved = save_receipt(ctx, slip, None, tmp_path / slip.file_name)
    assert saved is not None and abs(float(PdfReader(saved).pages[0].mediabox.width) - 58 * MM) < 1
    text = pdf_pages(saved)[0]
    assert f"退费单号：{slip.number}" in text and "人民币" in text and "经办人：管理员" in text
