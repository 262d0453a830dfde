"""Read a spreadsheet's rows as people see them: ``.xlsx`` (openpyxl, read-only) or ``.csv``.

CSV files from Excel on a Chinese Windows are GB18030 (GBK); from elsewhere UTF-8, with or without a BOM.
We try UTF-8 first (it fails loudly on GBK bytes) and fall back to GB18030, which decodes any byte string.
Row numbers are the spreadsheet's own (the header is row 1, or row 2 under a title row such as our
exports write), so a report can point at the exact row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.errors import InstDeskError, ValidationError

InstDeskError.register(
    {
        "import.bad_extension": "只支持 .xlsx 或 .csv 文件：{path}",
        "import.unreadable": "无法读取文件 {path}：{detail}",
    }
)

Cell = object


@dataclass(frozen=True)
class Sheet:
    """The header cells and the data rows (row number, cells) of the first worksheet."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _csv_rows(path: Path) -> Iterator[list[Cell]]:
    text = _decode(path.read_bytes())
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(path: Path) -> Iterator[list[Cell]]:
    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_sheet(path: str | Path) -> Sheet:
    """The first sheet of ``path``; blank rows are dropped but keep their numbers for the others."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError("import.bad_extension", path=str(file))
    try:
        raw = list(_csv_rows(file) if suffix == ".csv" else _xlsx_rows(file))
    except (OSError, ValueError, KeyError, csv.Error, zipfile.BadZipFile, InvalidFileException) as exc:
        raise ValidationError("import.unreadable", path=str(file), detail=str(exc)) from exc
    if not raw:
        return Sheet([], [])
    first = 1 if _is_title(raw) else 0
    header = ["" if c is None else str(c) for c in raw[first]]
    rows = [(n, cells) for n, cells in enumerate(raw[first + 1 :], start=first + 2) if not _blank(cells)]
    return Sheet(header, rows)


def _filled(cells: list[Cell]) -> int:
    return sum(1 for c in cells if c is not None and str(c).strip())


def _is_title(raw: list[list[Cell]]) -> bool:
    """Whether row 1 is a title above the header (our own exports write one): a single filled cell over
    a row with more filled cells."""
    return len(raw) > 1 and _filled(raw[0]) == 1 and _filled(raw[1]) > 1
