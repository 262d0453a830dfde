"""Read a spreadsheet's rows as people see them: ``.xlsx`` (openpyxl, read-only) or ``.csv``, within limits.

CSV files from Excel on a Chinese Windows are GB18030 (GBK); from elsewhere UTF-8, with or without a BOM.
We try UTF-8 first (it fails loudly on GBK bytes) and fall back to GB18030, which decodes any byte string.
Row numbers are the spreadsheet's own (the header is row 1, or row 2 under a title row such as our
exports write), so a report can point at the exact row.

Files are hostile until read (docs/file-safety.md): both formats are streamed row by row and refused as
soon as they pass ``MAX_ROWS``. An ``.xlsx`` is a zip, and 430 KB can expand to millions of rows; openpyxl's
read-only mode still parses a whole sheet up front when the sheet does not declare its size, and reads
every shared string up front, so before openpyxl sees the file we check the parts' declared uncompressed
sizes and count the ``<row>`` elements of every worksheet and the shared strings on the decompressed bytes
(no XML parsing, stopping at the limit). A data row with
non-empty cells beyond the header's last column is refused, never cut silently.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Generator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.errors import InstDeskError, ValidationError

#: the most data rows (below the header) one file may have: 100,000 (README, 导入的限制)
MAX_ROWS = 100_000
#: the most bytes the parts of an ``.xlsx`` may expand to (a 100,000-row student sheet is ~60 MB)
MAX_XLSX_EXPANDED_BYTES = 256 * 1024 * 1024
#: the most distinct texts (shared strings) an ``.xlsx`` may hold: openpyxl reads them all up front at
#: ~15 µs each, and 100,000 rows of student data hold well under a million
MAX_SHARED_STRINGS = 1_000_000
_CHUNK = 1 << 20
_WORKSHEET_TYPE = b"spreadsheetml.worksheet+xml"
_STRINGS_TYPE = b"spreadsheetml.sharedStrings+xml"
_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")  # ``x:row`` where a namespace prefix is used
_STRING_TAGS = (b"<si>", b"<si ", b":si>", b":si ")

InstDeskError.register(
    {
        "import.bad_extension": "只支持 .xlsx 或 .csv 文件：{path}",
        "import.unreadable": "无法读取文件 {path}：{detail}",
        "import.too_many_rows": "文件超过 {limit} 行数据的上限，未导入。请把文件拆分成多个后分别导入：{path}",
        "import.too_large": (
            "文件解压后超过 {limit_mb} MB 的上限（可能是被篡改的文件），未导入。请检查文件：{path}"
        ),
        "import.too_many_strings": (
            "文件中不同的文本超过 {limit} 项的上限（可能是被篡改的文件），未导入。请检查文件：{path}"
        ),
        "import.extra_cells": (
            "第{row}行有 {cells} 个非空单元格超出表头的 {columns} 列（第{first}列起），"
            "可能是错位的数据，未导入。请删除多余的单元格或补上表头"
        ),
    }
)

Cell = object


@dataclass(frozen=True)
class Sheet:
    """The header cells and the data rows (row number, cells) of the first worksheet."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]


# --- CSV ----------------------------------------------------------------------------------------------


def _text_stream(binary: IO[bytes], encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(binary, encoding=encoding, newline="")


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else GB18030; read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Generator[list[Cell]]:
    with path.open("rb") as binary, _text_stream(binary, _csv_encoding(path)) as text:
        yield from csv.reader(text)


# --- XLSX ---------------------------------------------------------------------------------------------


def _parts(archive: zipfile.ZipFile, content_type: bytes, folder_default: str) -> list[str]:
    """The package's parts of one content type (from ``[Content_Types].xml``), plus the usual names."""
    names = set(archive.namelist())
    parts = {n for n in names if n.startswith(folder_default) and n.endswith(".xml")}
    if "[Content_Types].xml" in names:
        types = archive.read("[Content_Types].xml")
        for match in re.finditer(rb'PartName="/([^"]+)"[^>]*ContentType="([^"]+)"', types):
            if match[2].endswith(content_type) and match[1].decode() in names:
                parts.add(match[1].decode())
    return sorted(parts)


def _count_tags(part: IO[bytes], tags: tuple[bytes, ...], stop_after: int) -> int:
    """Elements opened by ``tags`` in a part's XML, on raw bytes; stops once past ``stop_after``."""
    count, tail = 0, b""
    while chunk := part.read(_CHUNK):
        data = tail + chunk
        count += sum(data.count(tag) for tag in tags)
        if count > stop_after:
            return count
        tail = data[-4:]  # shorter than a tag: a tag is counted in the chunk where it ends, once
    return count


def _count_in_parts(archive: zipfile.ZipFile, names: list[str], tags: tuple[bytes, ...], limit: int) -> int:
    total = 0
    for name in names:
        with archive.open(name) as part:
            total += _count_tags(part, tags, limit - total)
        if total > limit:
            break
    return total


def _check_xlsx_size(path: Path) -> None:
    """Refuse an ``.xlsx`` that expands past the byte limit, holds more rows than ``MAX_ROWS`` + header
    or more shared strings than ``MAX_SHARED_STRINGS``: counted before openpyxl parses anything."""
    with zipfile.ZipFile(path) as archive:
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > MAX_XLSX_EXPANDED_BYTES:
            raise ValidationError(
                "import.too_large", path=str(path), limit_mb=MAX_XLSX_EXPANDED_BYTES // (1024 * 1024)
            )
        sheets = _parts(archive, _WORKSHEET_TYPE, "xl/worksheets/")
        # the header and a title row above it (our own exports write one) come on top of the data rows
        if _count_in_parts(archive, sheets, _ROW_TAGS, MAX_ROWS + 2) > MAX_ROWS + 2:
            raise ValidationError("import.too_many_rows", path=str(path), limit=MAX_ROWS)
        strings = _parts(archive, _STRINGS_TYPE, "xl/sharedStrings")
        if _count_in_parts(archive, strings, _STRING_TAGS, MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
            raise ValidationError("import.too_many_strings", path=str(path), limit=MAX_SHARED_STRINGS)


def _xlsx_rows(path: Path) -> Generator[list[Cell]]:
    _check_xlsx_size(path)
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        # A declared size that is too small would make openpyxl stop early: read every row the file has.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


# --- both ---------------------------------------------------------------------------------------------


def _blank_cell(c: Cell) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


def _blank(cells: list[Cell]) -> bool:
    return all(_blank_cell(c) for c in cells)


def _header(cells: list[Cell]) -> list[str]:
    """The header up to its last non-empty cell (trailing empty header cells are formatting)."""
    names = ["" if c is None else str(c) for c in cells]
    while names and not names[-1].strip():
        names.pop()
    return names


def _fit(number: int, cells: list[Cell], width: int) -> list[Cell]:
    """The row cut to the header's width, or refused when a cut-off cell holds something."""
    if len(cells) <= width:
        return cells
    extra = [i for i, c in enumerate(cells[width:], start=width + 1) if not _blank_cell(c)]
    if extra:
        raise ValidationError(
            "import.extra_cells", row=number, cells=len(extra), columns=width, first=extra[0]
        )
    return cells[:width]


def _filled(cells: list[Cell]) -> int:
    return sum(1 for c in cells if not _blank_cell(c))


def _header_row(raw: Generator[list[Cell]]) -> tuple[list[Cell], int, list[Cell] | None]:
    """The header cells, its row number, and the first row after it when that had to be read already.

    Row 1 is a title above the header (our own exports write one) when it has a single filled cell and the
    row below has more.
    """
    first = next(raw, None)
    if first is None:
        return [], 1, None
    second = next(raw, None) if _filled(first) == 1 else None
    if second is not None and _filled(second) > 1:
        return second, 2, None
    return first, 1, second


def _collect(path: Path, raw: Generator[list[Cell]]) -> Sheet:
    first, header_at, pending = _header_row(raw)
    if not first:
        return Sheet([], [])
    header = _header(first)
    rows: list[tuple[int, list[Cell]]] = []
    following = raw if pending is None else chain([pending], raw)
    for number, cells in enumerate(following, start=header_at + 1):
        if number > MAX_ROWS + header_at:
            raise ValidationError("import.too_many_rows", path=str(path), limit=MAX_ROWS)
        if not _blank(cells):
            rows.append((number, _fit(number, cells, len(header))))
    return Sheet(header, rows)


def read_sheet(path: str | Path) -> Sheet:
    """The first sheet of ``path``; blank rows are dropped but keep their numbers for the others.

    Refused (``ValidationError``): another extension, an unreadable file, more than ``MAX_ROWS`` data
    rows, an ``.xlsx`` expanding past ``MAX_XLSX_EXPANDED_BYTES``, a row with cells beyond the header.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError("import.bad_extension", path=str(file))
    try:
        with closing(_csv_rows(file) if suffix == ".csv" else _xlsx_rows(file)) as raw:
            return _collect(file, raw)
    except (OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValidationError("import.unreadable", path=str(file), detail=str(exc)) from exc
