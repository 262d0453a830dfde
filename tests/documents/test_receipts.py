"""收据 and 退费单: every item on A5 and on thermal rolls, amounts in capitals, printing from the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from app.db import Database
from app.demo.paperwork import Paperwork
from app.documents.receipt import Layout, payment_receipt, refund_receipt
from tests.documents.conftest import pdf_pages
from ui.documents import render_pdf, write_receipt_pdf

MM = 72 / 25.4


@pytest.mark.parametrize("layout", list(Layout))
def test_a_receipt_carries_every_item(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path, layout: Layout
) -> None:
    db, deal = paperwork
    facts = payment_receipt(db, deal.desk, deal.payment_id)
    pdf = write_receipt_pdf(facts, layout, tmp_path / facts.file_name)
    [text] = pdf_pages(pdf)
    for expected in (
        f"收据编号：{facts.number}" if layout is not Layout.A5 else f"收据编号{facts.number}",
        "福州启明星培训学校",
        "收款收据",
        "2026年",
        "张小雨（监护人：父亲张伟）",
        "A1-2026-000001",
        "少儿创意美术",
        "¥2,880.00",
        "人民币贰仟捌佰捌拾元整",
        "微信",
        "陈晓敏",  # 经办人: the desk user who took the payment
        "预收费已进入监管账户",
        "机构盖章处",
    ):
        assert expected in text, (layout, expected)
    width_pt = float(PdfReader(pdf).pages[0].mediabox.width)
    assert width_pt == pytest.approx(
        {Layout.A5: 148, Layout.THERMAL_80: 80, Layout.THERMAL_58: 58}[layout] * MM, abs=1
    )


def test_the_refund_slip_says_what_goes_back_and_why(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path
) -> None:
    db, deal = paperwork
    facts = refund_receipt(db, deal.desk, deal.refund_id)
    assert facts.number == "TF-A1-2026-000001" and facts.handler == "林校长"
    [text] = pdf_pages(write_receipt_pdf(facts, Layout.A5, tmp_path / "refund.pdf"))
    for expected in (
        "退费单",
        "退费单号TF-A1-2026-000001",
        "退还24课时",
        "人民币贰仟捌佰捌拾元整",
        "原路退回（微信）",
        "家庭搬迁，无法继续上课",
        "经办人林校长",
        "收款人/监护人（签字）",
    ):
        assert expected in text, expected
    assert facts.file_name == "退费单-张小雨-TF-A1-2026-000001.pdf"


def test_printing_paints_every_page_of_the_pdf(
    paperwork: tuple[Database, Paperwork], qtbot: QtBot, tmp_path: Path
) -> None:
    """What reaches the printer is the PDF itself (here a PDF printer, as the print dialog would use)."""
    db, deal = paperwork
    pdf = write_receipt_pdf(
        payment_receipt(db, deal.desk, deal.payment_id), Layout.THERMAL_58, tmp_path / "r.pdf"
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert render_pdf(pdf, printer) == 1
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 1
    assert float(printed.pages[0].mediabox.width) == pytest.approx(58 * MM, abs=2)
