"""The streaming xlsx writer: what openpyxl reads back (types, formats, title, frozen filtered header,
widths, print setup)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.io.xlsx import Column, XlsxWriter, column_letters, text_width


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


def test_text_width_counts_cjk_twice() -> None:
    assert text_width("abc") == 3 and text_width("张三") == 4 and text_width("Ａ1") == 3


def test_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    writer = XlsxWriter(out, "考勤<&>")
    writer.title("示例培训学校　考勤　2026年3月")
    writer.header(
        [Column("名称"), Column("金额(元)", "money"), Column("数", "units"), Column("日期", "date"),
         Column("时间", "datetime"), Column("出勤率", "rate"), Column("人次", "int")]
    )  # fmt: skip
    writer.row(
        [
            "a & b <c>",
            Decimal("350.00"),
            3,
            date(2026, 3, 4),
            datetime(2026, 3, 4, 18, 30),
            Decimal("0.9330"),
            1200,
        ]
    )
    writer.row([" 前后空格 ", Decimal("-0.05"), 2.5, None, None, None, None])
    writer.row(["bad\x00\x1fchar", None, None, None, None, None, None])
    writer.row([None, Decimal("12345678901.23"), 0, None, None, None, None])
    writer.close()
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.title == "考勤<&>"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["示例培训学校　考勤　2026年3月", None, None, None, None, None, None],
        ["名称", "金额(元)", "数", "日期", "时间", "出勤率", "人次"],
        ["a & b <c>", 350, 3, datetime(2026, 3, 4), datetime(2026, 3, 4, 18, 30), 0.933, 1200],
        [" 前后空格 ", -0.05, 2.5, None, None, None, None],
        ["badchar", None, None, None, None, None, None],
        [None, 12345678901.23, 0, None, None, None, None],
    ]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14 and "A1:G1" in sheet.merged_cells
    assert sheet["A2"].font.b and not sheet["A3"].font.b
    formats = [sheet.cell(3, c).number_format for c in range(1, 8)]
    assert formats == [
        "General",
        "#,##0.00",
        "General",
        "yyyy\\-mm\\-dd",
        "yyyy\\-mm\\-dd hh:mm",
        "0.0%",
        "#,##0",
    ]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:G6"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    setup = sheet.sheet_properties.pageSetUpPr
    assert sheet.page_setup.fitToHeight == 0 and setup is not None and setup.fitToPage
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFG"}
    assert widths["A"] >= text_width(" 前后空格 ") and widths["B"] >= len("12,345,678,901.23")
    assert widths["E"] >= 16
    book.close()


def test_header_only(tmp_path: Path) -> None:
    out = tmp_path / "e.xlsx"
    writer = XlsxWriter(out, "空")
    writer.header([Column("姓名")])
    writer.close()
    book = load_workbook(out, read_only=True)
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [["姓名"]]
    book.close()


def test_widths_are_fitted_to_chinese_names(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    writer = XlsxWriter(out, "学员")
    writer.header([Column("姓名"), Column("学校")])
    writer.row(["欧阳娜娜", "福州市鼓楼区第一中心小学（本部）"])
    writer.close()
    book = load_workbook(out)
    sheet = book.worksheets[0]
    assert sheet.column_dimensions["B"].width >= text_width("福州市鼓楼区第一中心小学（本部）")
    assert sheet.column_dimensions["A"].width >= 8
    book.close()
