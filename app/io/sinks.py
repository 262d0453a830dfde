"""Where exported rows go: an ``.xlsx`` (``app.io.xlsx``, streaming) or a ``.csv`` for Excel.

Both write row by row, so an export of any size needs memory for one row only. The CSV is UTF-8 with a
BOM: without it Excel on a Chinese Windows reads the file as GBK and shows mojibake. The CSV has no title
row (a program reading it expects the header first); dates are ``YYYY-MM-DD``, date-times
``YYYY-MM-DD HH:MM`` and rates a percentage such as ``93.3%``, which Excel reads back as numbers.

An export is written to a temporary file beside the target and renamed over it only once complete
(``sink_for``), so a full disk or a crash never leaves a truncated CSV or an unreadable XLSX under the
name the person asked for, and never destroys an earlier export of that name (docs/file-safety.md).
"""

from __future__ import annotations

import csv
import errno
import io
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, BinaryIO, Protocol

from app.errors import InstDeskError, StorageError, ValidationError
from app.io.xlsx import Column, XlsxWriter
from app.validators import FORMULA_START

InstDeskError.register(
    {
        "export.bad_extension": "导出文件只支持 .xlsx 或 .csv：{path}",
        "export.disk_full": (
            "磁盘空间已满，导出未完成，没有留下不完整的文件。请清理磁盘空间后重新导出：{path}"
        ),
        "export.read_only": "无法写入 {path}：文件或文件夹为只读或没有写入权限。请换一个位置导出",
        "export.no_folder": "无法导出到 {path}：文件夹不存在",
        "export.write_failed": "导出到 {path} 失败（{detail}），没有留下不完整的文件",
    }
)
log = logging.getLogger("app.io")

Value = str | int | Decimal | date | datetime | None

_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_DENIED = (errno.EACCES, errno.EPERM, errno.EROFS)


def create_file(path: Path) -> BinaryIO:
    """Open ``path`` for writing bytes: every export file is created here (tests simulate a full disk
    by replacing it)."""
    return path.open("wb")


def write_error(exc: OSError, target: Path) -> StorageError:
    """The person's message for a failed write of the export ``target``."""
    if exc.errno in _FULL:
        return StorageError("export.disk_full", path=str(target))
    if exc.errno in _DENIED:
        return StorageError("export.read_only", path=str(target))
    if exc.errno == errno.ENOENT:
        return StorageError("export.no_folder", path=str(target))
    return StorageError("export.write_failed", path=str(target), detail=exc.strerror or str(exc))


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
        self._file = create_file(path)
        self._writer = XlsxWriter(self._file, sheet_name)

    def begin(self, title: str, columns: Sequence[Column]) -> None:
        self._writer.title(title)
        self._writer.header(columns)

    def row(self, values: Sequence[Value]) -> None:
        self._writer.row(values)

    def close(self) -> None:
        try:
            self._writer.close()
        except BaseException:
            self._writer.abandon()
            raise
        finally:
            self._file.close()


def neutralise(value: Value) -> Value:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @`` (or a tab or CR,
    which some programs skip before looking) gets a leading apostrophe, as OWASP advises for CSV injection.
    Numbers are written as numbers (a negative amount is data, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


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
    """UTF-8 with BOM, CRLF line ends (what Excel writes and expects); text cells neutralised (CSV
    injection: ``neutralise``)."""

    def __init__(self, path: Path) -> None:
        self._file: IO[str] = io.TextIOWrapper(create_file(path), encoding="utf-8-sig", newline="")
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
        self._writer.writerow([neutralise(v) for v in values])

    def close(self) -> None:
        self._file.close()


def open_sink(path: str | Path, sheet_name: str, *, suffix: str | None = None) -> Sink:
    """A sink chosen by the file extension (or by ``suffix``, for a temporary file)."""
    file = Path(path)
    suffix = (suffix or file.suffix).lower()
    if suffix == ".xlsx":
        return XlsxSink(file, sheet_name)
    if suffix == ".csv":
        return CsvSink(file)
    raise ValidationError("export.bad_extension", path=str(file))


def _temporary_beside(target: Path) -> Path:
    """A new empty file in the target's folder (a rename within one folder is atomic)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise write_error(exc, target) from exc
    os.close(fd)
    return Path(name)


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:  # nothing more to do: the name shows it is an unfinished export
        log.warning("could not remove the unfinished export %s: %s", path.name, exc)


class sink_for:  # lower case: used as a context manager like open()
    """``with sink_for(path, name) as sink:`` — the file appears under ``path`` only when the export
    finished; on any failure the partial file is removed and a write failure becomes a ``StorageError``."""

    def __init__(self, path: str | Path, sheet_name: str) -> None:
        self._target = Path(path)
        if self._target.suffix.lower() not in (".xlsx", ".csv"):
            raise ValidationError("export.bad_extension", path=str(self._target))
        self._temp = _temporary_beside(self._target)
        try:
            self._sink = open_sink(self._temp, sheet_name, suffix=self._target.suffix)
        except OSError as exc:
            _discard(self._temp)
            raise write_error(exc, self._target) from exc

    def __enter__(self) -> Sink:
        return self._sink

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._sink.close()
            if kind is None:
                os.replace(self._temp, self._target)
        except OSError as close_exc:
            _discard(self._temp)
            if kind is None:
                raise write_error(close_exc, self._target) from close_exc
        if kind is not None:
            _discard(self._temp)
            if isinstance(exc, OSError):
                raise write_error(exc, self._target) from exc
