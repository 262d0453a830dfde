"""Every export reads as a report: title row, frozen filtered header, typed cells with their formats, fitted
widths and a print setup (read back with openpyxl), and LibreOffice opens the workbook and applies them."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.db import Database
from app.io.export import ALL_KINDS, default_file_name, export, period_label
from app.io.xlsx import text_width
from app.permissions import SYSTEM_ACTOR
from app.services.institution import init_institution
from tests.reports.dataset import build

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
MONEY, RATE, DATE, DATETIME, INT = "#,##0.00", "0.0%", "yyyy\\-mm\\-dd", "yyyy\\-mm\\-dd hh:mm", "#,##0"
#: per export: column header → (type of its values, number format)
EXPECTED: dict[str, dict[str, tuple[type, str]]] = {
    "students": {"姓名": (str, "General"), "出生日期": (datetime, DATE), "证件号码": (str, "General")},
    "attendance": {
        "日期": (datetime, DATE),
        "课时": (int, "General"),
        "金额(元)": (int, MONEY),
        "学员": (str, "General"),
    },
    "consumption": {"日期": (datetime, DATE), "课时": (int, "General"), "金额(元)": (int, MONEY)},
    "payments": {"收款时间": (datetime, DATETIME), "金额(元)": (int, MONEY), "收据编号": (str, "General")},
    "statistics": {
        "上课次数": (int, INT),
        "出勤率": (float, RATE),
        "消课课时": (int, "General"),
        "消课金额(元)": (int, MONEY),
        "收款(元)": (int, MONEY),
        "预收余额(元)": (int, MONEY),
    },
}
#: LibreOffice's CSV export: comma, double quotes, UTF-8 (76), cells as they are displayed
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76"
NAMES = {
    "students": "学员",
    "attendance": "考勤",
    "consumption": "消课",
    "payments": "收款",
    "statistics": "统计",
}


@pytest.fixture
def sample(db: Database) -> Database:
    init_institution(db, "鼓楼培训学校", "91350100M000100Y43", "A1")
    build(db)
    with db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE student SET birth_date = '2015-03-07'")
    return db


def _numeric(cell: Cell, kind: type) -> bool:
    if kind is int:  # money and units: any number (openpyxl gives int or float)
        return isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    return isinstance(cell.value, kind)


def _check_sheet(sheet: Worksheet, kind: str) -> None:
    title = sheet["A1"].value
    assert (
        title == f"鼓楼培训学校　{NAMES[kind]}　{'2026年3月' if kind != 'students' else title.split('　')[2]}"
    )
    headers = [c.value for c in sheet[2]]
    last = get_column_letter(len(headers))
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == f"A2:{last}{sheet.max_row}"
    assert f"A1:{last}1" in sheet.merged_cells and sheet["A2"].font.b
    assert sheet.print_title_rows == "$2:$2" and sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.max_row >= 3, "the sample has rows of every kind"
    for header, (value_type, number_format) in EXPECTED[kind].items():
        column = headers.index(header) + 1
        cells = [sheet.cell(r, column) for r in range(3, sheet.max_row + 1)]
        filled = [c for c in cells if c.value is not None]
        assert filled, header
        assert all(_numeric(c, value_type) for c in filled), (header, [c.value for c in filled])
        assert all(c.number_format == number_format for c in filled), (header, filled[0].number_format)
    for column, name in enumerate(headers, 1):
        letter = get_column_letter(column)
        longest = max(
            (
                text_width(str(sheet.cell(r, column).value))
                for r in range(3, sheet.max_row + 1)
                if isinstance(sheet.cell(r, column).value, str)
            ),
            default=0,
        )
        assert sheet.column_dimensions[letter].width >= max(text_width(str(name)), longest), name


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_each_export_is_typed_titled_frozen_filtered_and_printable(
    sample: Database, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / default_file_name(kind, *MARCH)
    assert export(sample, SYSTEM_ACTOR, kind, out, *MARCH) > 0
    book = load_workbook(out)
    _check_sheet(book.worksheets[0], kind)
    book.close()


def test_statistics_csv_keeps_the_bom_and_numbers_excel_reads(sample: Database, tmp_path: Path) -> None:
    out = tmp_path / "统计-2026年3月.csv"
    export(sample, SYSTEM_ACTOR, "statistics", out, *MARCH)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, total, *_ = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert header[:6] == ["维度", "名称", "上课次数", "应到人次", "实到人次", "出勤率"]
    assert total[:6] == ["合计", "全机构", "4", "6", "4", "66.7%"]


def test_default_names_and_periods() -> None:
    assert default_file_name("statistics", date(2026, 11, 1), date(2026, 11, 30)) == "统计-2026年11月.xlsx"
    assert period_label(date(2026, 1, 1), date(2026, 12, 31)) == "2026年"
    assert period_label(date(2026, 11, 3), date(2026, 12, 2)) == "2026年11月3日至12月2日"
    assert period_label(date(2025, 12, 20), date(2026, 1, 5)) == "2025年12月20日至2026年1月5日"
    assert period_label(date(2026, 2, 1), date(2026, 2, 28)) == "2026年2月"
    assert default_file_name("payments", None, None, ".csv").startswith("收款-截至")


def test_libreoffice_opens_the_workbook_and_applies_the_formats(sample: Database, tmp_path: Path) -> None:
    """Headless LibreOffice (installed by .ci/run) converts the statistics workbook to CSV as displayed:
    the rate shows as a percentage and money with separators, so it read the numbers and their formats."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)")
    book = tmp_path / "统计.xlsx"
    export(sample, SYSTEM_ACTOR, "statistics", book, *MARCH)
    export(sample, SYSTEM_ACTOR, "payments", tmp_path / "收款.xlsx", *MARCH)
    profile = (tmp_path / "lo-profile").as_uri()
    for name in ("统计.xlsx", "收款.xlsx"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                CSV_FILTER,
                "--outdir",
                str(tmp_path / "lo"),
                str(tmp_path / name),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    stats = list(csv.reader((tmp_path / "lo" / "统计.csv").read_text(encoding="utf-8").splitlines()))
    assert stats[0][0] == "鼓楼培训学校　统计　2026年3月"
    assert stats[1][5] == "出勤率" and stats[2][:6] == ["合计", "全机构", "4", "6", "4", "66.7%"]
    payments = list(csv.reader((tmp_path / "lo" / "收款.csv").read_text(encoding="utf-8").splitlines()))
    money = payments[1].index("金额(元)")
    assert payments[3][money] == "1,000.00" and payments[3][1] == "2026-03-31 23:30"
