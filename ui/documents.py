"""Contract and receipt documents: HTML from ``resources/templates`` filled with plain data, shown in a
preview and written to PDF with ``QPdfWriter`` + ``QTextDocument`` (Qt's own fonts; no extra dependency).

Documents are legal papers in Chinese whatever the interface language, so the templates are not
translated.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.money import format_fen
from ui.resources import resources_dir

PAYMENT_METHODS_ZH = {
    "cash": "现金",
    "wechat": "微信",
    "alipay": "支付宝",
    "bank_card": "银行卡",
    "transfer": "转账",
    "platform": "平台支付",
}


@dataclass(frozen=True)
class DealFacts:
    """Everything a contract or receipt prints."""

    institution: str
    uscc: str
    student: str
    guardian: str
    course: str
    klass: str
    units: Decimal
    gift_units: Decimal
    fee_fen: int
    start: date
    end: date
    method: str
    today: date
    contract_no: str = "（签约后生成）"
    receipt_no: str = ""


def _fields(facts: DealFacts) -> dict[str, str]:
    values = {
        "institution": facts.institution,
        "uscc": facts.uscc,
        "student": facts.student,
        "guardian": facts.guardian or "—",
        "course": facts.course,
        "klass": f"（{facts.klass}）" if facts.klass else "",
        "units": f"{facts.units.normalize():f}",
        "gift_units": f"{facts.gift_units.normalize():f}",
        "fee": format_fen(facts.fee_fen),
        "start": facts.start.isoformat(),
        "end": facts.end.isoformat(),
        "method": PAYMENT_METHODS_ZH.get(facts.method, facts.method),
        "today": facts.today.isoformat(),
        "contract_no": facts.contract_no,
        "receipt_no": facts.receipt_no,
    }
    return {key: html.escape(value) for key, value in values.items()}


def render(template: str, facts: DealFacts) -> str:
    text = (resources_dir() / "templates" / template).read_text(encoding="utf-8")
    for key, value in _fields(facts).items():
        text = text.replace("{" + key + "}", value)
    return text


def contract_html(facts: DealFacts) -> str:
    return render("contract.html", facts)


def receipt_html(facts: DealFacts) -> str:
    return render("receipt.html", facts)


def write_pdf(document_html: str, path: Path) -> Path:
    """Write ``document_html`` as an A4 PDF at ``path`` (GUI thread)."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle("InstDesk")
    document = QTextDocument()
    document.setHtml(document_html)
    document.print_(writer)
    return path
