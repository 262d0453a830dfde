"""Contract, receipt and refund-slip PDFs: the HTML of ``app.documents`` laid out by ``QTextDocument`` and
written with ``QPdfWriter``; printing goes through Qt's print dialog with the PDF as the source.

The contract is paginated here so that every page carries the contract number (and 副本 on a reprint).
Receipts print on A5 or on a 58/80 mm thermal roll; a thermal slip is one page as long as its content.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSize, QSizeF, QStandardPaths, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.documents.contract import ContractFacts, Mode, require_complete
from app.documents.html import contract_html, receipt_html
from app.documents.receipt import LAYOUT_WIDTH_MM, Layout, ReceiptFacts
from ui.i18n import tr

RESOLUTION = 300
HEADER_MM = 7.0
FONT_FAMILY = "WenQuanYi Zen Hei"


@dataclass(frozen=True)
class Paper:
    """A page size (``height_mm`` 0 = as long as the content: a thermal roll) and its margins."""

    width_mm: float
    height_mm: float
    margin_mm: float

    @property
    def roll(self) -> bool:
        return self.height_mm == 0


A4 = Paper(210, 297, 15)
A5 = Paper(148, 210, 10)


def receipt_paper(layout: Layout) -> Paper:
    return A5 if layout is Layout.A5 else Paper(LAYOUT_WIDTH_MM[layout], 0, 3)


def documents_dir() -> Path:
    """The user's Documents folder (the home folder when the platform has none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    folder.mkdir(parents=True, exist_ok=True)  # a fresh account may not have one yet
    return folder


def _px(mm: float) -> float:
    return mm * RESOLUTION / 25.4


def _writer(target: str | QIODevice, paper: Paper, height_mm: float) -> QPdfWriter:
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    size = QPageSize(
        QSizeF(paper.width_mm, height_mm), QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.ExactMatch
    )
    margins = QMarginsF(paper.margin_mm, paper.margin_mm, paper.margin_mm, paper.margin_mm)
    writer.setPageLayout(
        QPageLayout(size, QPageLayout.Orientation.Portrait, margins, QPageLayout.Unit.Millimeter)
    )
    writer.setCreator("InstDesk")
    return writer


def _document(html: str, device: QPagedPaintDevice) -> QTextDocument:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(device)
    document.setDefaultFont(QFont(FONT_FAMILY, 10))
    document.setHtml(html)
    return document


def _roll_height_mm(html: str, paper: Paper) -> float:
    """The content height of a thermal slip, measured on a throw-away writer of the same resolution."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    probe = _writer(buffer, paper, 100)
    document = _document(html, probe)
    document.setTextWidth(_px(paper.width_mm - 2 * paper.margin_mm))
    return document.size().height() * 25.4 / RESOLUTION + 2 * paper.margin_mm + 2


def _paint_header(painter: QPainter, width: float, height: float, text: str) -> None:
    painter.save()
    painter.setFont(QFont(FONT_FAMILY, 8))
    painter.drawText(
        QRectF(0, 0, width, height * 0.8),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        text,
    )
    painter.drawLine(QPointF(0, height * 0.85), QPointF(width, height * 0.85))
    painter.restore()


def write_pdf(html: str, path: Path, paper: Paper = A4, header: str = "", title: str = "InstDesk") -> Path:
    """Lay ``html`` out on ``paper`` and write it to ``path``; ``header`` (with 第 n 页/共 m 页) on every
    page. GUI thread only (Qt's text layout)."""
    height_mm = _roll_height_mm(html, paper) if paper.roll else paper.height_mm
    writer = _writer(str(path), paper, height_mm)
    writer.setTitle(title)
    document = _document(html, writer)
    rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    header_px = _px(HEADER_MM) if header else 0.0
    body = QSizeF(rect.width(), rect.height() - header_px)
    document.setPageSize(body)
    pages = document.pageCount()
    painter = QPainter(writer)
    for index in range(pages):
        if index:
            writer.newPage()
        if header:
            _paint_header(painter, body.width(), header_px, f"{header}　第 {index + 1} 页 / 共 {pages} 页")
        painter.save()
        painter.translate(0, header_px - index * body.height())
        document.drawContents(painter, QRectF(0, index * body.height(), body.width(), body.height()))
        painter.restore()
    painter.end()
    return path


def write_contract_pdf(facts: ContractFacts, mode: Mode, path: Path) -> Path:
    """A contract PDF; a final one (original or 副本) is refused while a required blank is empty."""
    if mode is not Mode.DRAFT:
        require_complete(facts)
    header = {
        Mode.DRAFT: "合同草稿（未签约，不作为正式合同）",
        Mode.ORIGINAL: f"合同编号：{facts.contract_no}",
        Mode.COPY: f"合同编号：{facts.contract_no}（副本）",
    }[mode]
    return write_pdf(
        contract_html(facts, mode),
        path,
        A4,
        header,
        title=f"中小学生校外培训服务合同 {facts.contract_no or ''}",
    )


def write_receipt_pdf(facts: ReceiptFacts, layout: Layout, path: Path) -> Path:
    return write_pdf(
        receipt_html(facts, layout), path, receipt_paper(layout), title=f"{facts.title} {facts.number}"
    )


# ------------------------------------------------------------------------------------------ printing


def render_pdf(pdf: Path, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` on ``printer`` (the PDF is the source of what is printed)."""
    document = QPdfDocument()
    document.load(str(pdf))
    first = document.pagePointSize(0)
    printer.setPageSize(QPageSize(first, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch))
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    painter = QPainter(printer)
    target = printer.pageLayout().fullRectPixels(printer.resolution())
    for index in range(document.pageCount()):
        if index:
            printer.newPage()
        image = document.render(index, QSize(target.width(), target.height()))
        painter.drawImage(QRectF(target), image)
    painter.end()
    count = document.pageCount()
    document.close()
    return count


def print_pdf(pdf: Path, parent: QWidget | None = None) -> bool:
    """Qt's print dialog for ``pdf``; prints when the user confirms."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(pdf.stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("打印"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    render_pdf(pdf, printer)
    return True


def temporary_pdf(name: str) -> Path:
    """A path for a PDF that is only printed (kept in the temp folder until the OS cleans it)."""
    folder = Path(tempfile.mkdtemp(prefix="instdesk-print-"))
    return folder / name
