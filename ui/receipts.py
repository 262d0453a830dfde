"""Receipts and refund slips from any screen: load the facts on the database worker, then save or print the
PDF on the paper chosen in 设置 (A5 or a 58/80 mm thermal roll).

A refund screen calls ``show_refund_slip(ctx, refund_id, parent)`` after ``execute_refund``; it offers the
print dialog with the 退费单 (``app.documents.receipt.refund_receipt``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.documents.receipt import Layout, ReceiptFacts, payment_receipt, refund_receipt
from ui import messages
from ui.context import AppContext
from ui.documents import print_pdf, temporary_pdf, write_receipt_pdf
from ui.file_dialogs import ask_save_path
from ui.i18n import tr
from ui.ops import Op


def receipt_layout(ctx: AppContext) -> Layout:
    """The receipt paper chosen in 设置 (A5 when the stored value is unknown)."""
    try:
        return Layout(ctx.settings.receipt_layout)
    except ValueError:
        return Layout.A5


def print_receipt(ctx: AppContext, facts: ReceiptFacts, parent: QWidget | None = None) -> bool:
    """Qt's print dialog for the receipt's PDF; True when it was printed."""
    pdf = write_receipt_pdf(facts, receipt_layout(ctx), temporary_pdf(facts.file_name))
    return print_pdf(pdf, parent)


def save_receipt(
    ctx: AppContext, facts: ReceiptFacts, parent: QWidget | None = None, path: Path | None = None
) -> Path | None:
    """Save the receipt's PDF (asks where, Documents and ``facts.file_name`` suggested, unless ``path``)."""
    target = path or ask_save_path(parent, tr("保存 PDF"), facts.file_name, tr("PDF 文件 (*.pdf)"))
    if target is None:
        return None
    written = write_receipt_pdf(facts, receipt_layout(ctx), target)
    messages.info(tr("已保存 {path}", path=str(written)))
    return written


def load_refund_slip(ctx: AppContext, refund_id: str, then: Callable[[ReceiptFacts], None]) -> None:
    db, actor = ctx.db, ctx.require_actor()
    Op(lambda: refund_receipt(db, actor, refund_id)).success(then).run()


def load_payment_receipt(ctx: AppContext, payment_id: str, then: Callable[[ReceiptFacts], None]) -> None:
    db, actor = ctx.db, ctx.require_actor()
    Op(lambda: payment_receipt(db, actor, payment_id)).success(then).run()


def show_refund_slip(ctx: AppContext, refund_id: str, parent: QWidget | None = None) -> None:
    """The 退费单 of a refund just made, through the print dialog."""

    def printed(facts: ReceiptFacts) -> None:
        print_receipt(ctx, facts, parent)

    load_refund_slip(ctx, refund_id, printed)
