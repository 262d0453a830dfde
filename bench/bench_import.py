"""``python -m bench.bench_import``: hostile and big spreadsheets against the import limits.

Prints, beside a floor where one exists: how long refusing a ~430 KB workbook that expands to 3,000,000 rows
takes and how much memory it costs (before the limits, openpyxl ran for 233 s and died at 5.9 GB), the same
for a workbook of 3,000,000 shared strings; and how
long reading a legitimate file at the 100,000-row limit takes, as ``.xlsx`` (with and without a declared
sheet size) and ``.csv``, next to openpyxl's own read-only iteration of the same workbook. Target: a file
over the limit is refused within seconds with flat memory (docs/file-safety.md).
"""

from __future__ import annotations

import csv
import resource
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app.errors import ValidationError
from app.io.reader import MAX_ROWS, read_sheet

HEADER = ("姓名", "手机号")
_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_workbook(path: Path, rows: int, *, declare_size: bool) -> Path:
    """A real package whose sheet has ``rows`` data rows of two cells, streamed (any size, little memory)."""
    Workbook().save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_HEAD + (f'<dimension ref="A1:B{rows + 1}"/>'.encode() if declare_size else b""))
            sheet.write(
                b'<sheetData><row r="1"><c t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c>'
            )
            sheet.write(b'<c t="inlineStr"><is><t>\xe6\x89\x8b\xe6\x9c\xba\xe5\x8f\xb7</t></is></c></row>')
            block = b'<row><c t="inlineStr"><is><t>A</t></is></c><c><v>13800138000</v></c></row>' * 1000
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def write_string_bomb(path: Path, strings: int) -> Path:
    """A workbook whose shared-string table holds ``strings`` distinct texts (openpyxl reads them all)."""
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
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for block in range(strings // 1000):
                table.write(b"".join(b"<si><t>%d</t></si>" % (block * 1000 + k) for k in range(1000)))
            table.write(b"</sst>")
    return path


def write_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(("学员", "13800138000") for _ in range(rows))
    return path


def _read(path: Path) -> tuple[float, int | None]:
    """Seconds to read (or refuse) ``path`` and its data rows (None: refused)."""
    start = time.perf_counter()
    try:
        rows: int | None = len(read_sheet(path).rows)
    except ValidationError:
        rows = None
    return time.perf_counter() - start, rows


def _shown(rows: int | None) -> str:
    return "refused" if rows is None else f"{rows} rows"


def _openpyxl_floor(path: Path) -> int:
    book = load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        bomb = write_workbook(out / "bomb.xlsx", 3_000_000, declare_size=False)
        before = _rss_mb()
        seconds, rows = _read(bomb)
        print(f"zip bomb: {bomb.stat().st_size / 1024:.0f} KB, 3,000,000 rows, no declared size")
        print(f"  {_shown(rows)} in {seconds * 1000:.1f} ms, peak RSS +{_rss_mb() - before:.1f} MB")
        print("  (before the limits: openpyxl read-only ran 233 s and died with a MemoryError at 5.9 GB)")
        strings = write_string_bomb(out / "strings.xlsx", 3_000_000)
        before = _rss_mb()
        seconds, rows = _read(strings)
        print(f"shared-string bomb: {strings.stat().st_size / 1024:.0f} KB, 3,000,000 distinct texts")
        print(f"  {_shown(rows)} in {seconds * 1000:.1f} ms, peak RSS +{_rss_mb() - before:.1f} MB")
        print("  (before the limit: openpyxl read them all, 45 s and 490 MB)")
        for declare in (True, False):
            legit = write_workbook(out / f"legit-{declare}.xlsx", MAX_ROWS, declare_size=declare)
            seconds, rows = _read(legit)
            start = time.perf_counter()
            _openpyxl_floor(legit)
            floor = time.perf_counter() - start
            label = "declared size" if declare else "no declared size"
            print(
                f"xlsx at the limit ({label}): {_shown(rows)} in {seconds:.2f} s "
                f"(openpyxl alone {floor:.2f} s)"
            )
        seconds, rows = _read(write_csv(out / "legit.csv", MAX_ROWS))
        print(f"csv at the limit: {_shown(rows)} in {seconds:.2f} s")
        seconds, rows = _read(write_csv(out / "over.csv", MAX_ROWS * 30))
        print(f"csv of 3,000,000 rows: {_shown(rows)} in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
