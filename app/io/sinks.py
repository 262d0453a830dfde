"""Where exported rows go: an ``.xlsx`` (``app.io.xlsx``, streaming) or a ``.csv`` for Excel.

Both write row by row, so an export of any size needs memory for one row only. The CSV is UTF-8 with a
BOM: without it Excel on a Chinese Windows reads the file as GBK and shows mojibake. The CSV has no title
row (a program reading it expects the header first); dates are ``YYYY-MM-DD``, date-times
``YYYY-MM-DD HH:MM`` and rates a percentage such as ``93.3%``, which Excel reads back as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Protocol

from app.errors import InstDeskError, ValidationError
from app.io.xlsx import Column, XlsxWriter

InstDeskError.register({"export.bad_extension": "导出文件只支持 .xlsx 或 .csv：{path}"})

Value = str | int | Decimal | date | datetime | None


class Sink(Protocol):
    def begin(self, title: str, columns: Sequence[Column]) -> None: ...
    def row(self, values: Sequence[Value]) -> None: ...
    def close(self) -> None: ...


class XlsxSink:
    """One worksheet (``app.io.xlsx``): title row, typed columns, frozen and filtered header, print setup.

    Money is written as a number with the ``#,##0.00`` format: the exact two-decimal text of the
    ``Decimal`` goes into the file, and Excel reads every number as a double (any fen amount below 2**53
    round-trips exactly at two decimals).
    """

    def __init__(self, path: Path, sheet_name: str) -> None:
        self._writer = XlsxWriter(path, sheet_name)

    def begin(self, title: str, columns: Sequence[Column]) -> None:
        self._writer.title(title)
        self._writer.header(columns)

    def row(self, values: Sequence[Value]) -> None:
        self._writer.row(values)

    def close(self) -> None:
        self._writer.close()


def _csv_rate(value: Value) -> Value:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return f"{Decimal(value) * 100:.1f}%"
    return value


def _csv_datetime(value: Value) -> Value:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value


def _csv_date(value: Value) -> Value:
    return value.isoformat() if isinstance(value, date) else value


_CSV_FORMATS: dict[str, Callable[[Value], Value]] = {
    "rate": _csv_rate,
    "datetime": _csv_datetime,
    "date": _csv_date,
}


class CsvSink:
    """UTF-8 with BOM, CRLF line ends (what Excel writes and expects)."""

    def __init__(self, path: Path) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)
        self._formats: list[tuple[int, Callable[[Value], Value]]] = []

    def begin(self, title: str, columns: Sequence[Column]) -> None:
        self._formats = [(i, _CSV_FORMATS[c.kind]) for i, c in enumerate(columns) if c.kind in _CSV_FORMATS]
        self._writer.writerow([c.name for c in columns])

    def row(self, values: Sequence[Value]) -> None:
        if self._formats:
            values = list(values)
            for index, fmt in self._formats:
                values[index] = fmt(values[index])
        self._writer.writerow(["" if v is None else v for v in values])

    def close(self) -> None:
        self._file.close()


def open_sink(path: str | Path, sheet_name: str) -> Sink:
    """A sink chosen by the file extension."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        return XlsxSink(file, sheet_name)
    if suffix == ".csv":
        return CsvSink(file)
    raise ValidationError("export.bad_extension", path=str(file))


class sink_for:  # noqa: N801 - used as a context manager like open()
    """``with sink_for(path, name) as sink:`` — closes the file even when the export fails."""

    def __init__(self, path: str | Path, sheet_name: str) -> None:
        self._sink = open_sink(path, sheet_name)

    def __enter__(self) -> Sink:
        return self._sink

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._sink.close()
