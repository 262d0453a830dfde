"""The streaming xlsx writer: what openpyxl reads back (text, numbers, money format, bold header)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.io.xlsx import XlsxWriter, column_letters


def test_column_letters() -> None:
    assert [column_letters(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    writer = XlsxWriter(out, "考勤<&>")
    writer.header(["名称", "金额(元)", "数"], (1,))
    writer.row(["a & b <c>", Decimal("350.00"), 3])
    writer.row([" 前后空格 ", Decimal("-0.05"), 2.5])
    writer.row(["bad\x00\x1fchar", None, None])
    writer.row([None, Decimal("12345678901.23"), 0])
    writer.close()
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "考勤<&>"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["名称", "金额(元)", "数"],
        ["a & b <c>", 350, 3],
        [" 前后空格 ", -0.05, 2.5],
        ["badchar", None, None],
        [None, 12345678901.23, 0],
    ]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["B2"].number_format == "0.00" and sheet["C2"].number_format == "General"
    assert sheet.column_dimensions["B"].width == 12
    book.close()


def test_header_only(tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    writer = XlsxWriter(out, "空")
    writer.header(["姓名"], ())
    writer.close()
    book = load_workbook(out, read_only=True)
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [["姓名"]]
    book.close()
