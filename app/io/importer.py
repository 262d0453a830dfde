"""``import_students``: a whole spreadsheet of students, all or nothing.

Every row is validated first; any invalid row (or a header problem) produces a report with the row number
as seen in the spreadsheet, the column header and a Chinese reason, and nothing is written. Duplicates by
identity number inside the file are errors (which row is right is the user's call); a student already on
file with the same identity number is skipped and listed, never doubled. Valid files are written in ONE
transaction with Core ``executemany`` (capture triggers fill the outbox as for any other change), so
50,000 rows take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select

from app.db import Database, audit
from app.errors import InstDeskError
from app.io import labels
from app.io.reader import Sheet, read_sheet
from app.io.student_rows import RowProblem, StudentRow, validate_row
from app.permissions import Actor, Permission, require
from localdb.ids import new_id
from localdb.models import metadata

InstDeskError.register({"import.failed": "导入失败：{count}处错误，未导入任何学员"})

_student = metadata.tables["student"]
_guardian = metadata.tables["guardian"]
LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class ImportReport:
    """What happened: rows imported, rows skipped as already on file, and every problem found."""

    imported: int = 0
    skipped: tuple[RowProblem, ...] = ()
    problems: tuple[RowProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines people read (the CLI prints them)."""
        found = [f"第{p.row}行 [{p.column}]：{p.reason}" for p in self.problems]
        found += [f"第{p.row}行 [{p.column}]：{p.reason}（已跳过）" for p in self.skipped]
        return found


def _header_problems(header: list[str]) -> tuple[dict[str, int], list[RowProblem]]:
    problems: list[RowProblem] = []
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = labels.canonical_header(cell)
        if not name:
            continue
        if name not in labels.STUDENT_HEADERS:
            problems.append(RowProblem(1, cell, "无法识别的列名（请使用导入模板中的列名）"))
        elif name in columns:
            problems.append(RowProblem(1, cell, "列名重复"))
        else:
            columns[name] = index
    for required in labels.REQUIRED_HEADERS:
        if required not in columns:
            problems.append(RowProblem(1, required, "缺少必需的列"))
    return columns, problems


def _cells(columns: dict[str, int], values: list[object]) -> dict[str, object]:
    return {name: values[i] if i < len(values) else None for name, i in columns.items()}


def _file_duplicates(rows: list[StudentRow]) -> list[RowProblem]:
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for column, key in (("证件号码", "id_number"), ("卡号", "card_code")):
            value = row.student.get(key)
            if value and (key, value) in seen:
                problems.append(RowProblem(row.row, column, f"与第{seen[(key, value)]}行重复"))
            elif value:
                seen[(key, value)] = row.row
    return problems


def _existing(conn: Connection, column: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    col = _student.c[column]
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        query = select(col).where(col.in_(chunk))
        if column == "id_number":
            query = query.where(_student.c.deleted_at.is_(None))
        found.update(str(v) for v in conn.execute(query).scalars())
    return found


def _against_db(
    conn: Connection, rows: list[StudentRow]
) -> tuple[list[StudentRow], list[RowProblem], list[RowProblem]]:
    """Split rows into new ones, skipped ones (identity number on file) and card-code conflicts."""
    ids = _existing(conn, "id_number", [r.student["id_number"] for r in rows if r.student["id_number"]])
    cards = _existing(conn, "card_code", [r.student["card_code"] for r in rows if r.student["card_code"]])
    fresh: list[StudentRow] = []
    skipped: list[RowProblem] = []
    problems: list[RowProblem] = []
    for row in rows:
        if row.student["id_number"] in ids:
            skipped.append(RowProblem(row.row, "证件号码", "该证件号码的学员已在系统中"))
        elif row.student["card_code"] in cards:
            problems.append(RowProblem(row.row, "卡号", "卡号已被其他学员使用"))
        else:
            fresh.append(row)
    return fresh, skipped, problems


def _validate(sheet: Sheet, today: date) -> tuple[list[StudentRow], list[RowProblem]]:
    if not sheet.header:
        return [], [RowProblem(1, "", "文件为空")]
    columns, problems = _header_problems(sheet.header)
    if problems:
        return [], problems
    if not sheet.rows:
        return [], [RowProblem(2, "", "文件中没有学员数据")]
    valid: list[StudentRow] = []
    for number, values in sheet.rows:
        row, found = validate_row(number, _cells(columns, values), today)
        problems.extend(found)
        if row is not None:
            valid.append(row)
    return valid, problems + _file_duplicates(valid)


def _insert(conn: Connection, rows: list[StudentRow]) -> None:
    students, guardians = [], []
    for row in rows:
        sid = new_id()
        students.append({"id": sid, **row.student})
        if row.guardian:
            guardians.append({"id": new_id(), "student_id": sid, **row.guardian})
    if students:
        conn.execute(insert(_student), students)
    if guardians:
        conn.execute(insert(_guardian), guardians)


def import_students(
    db: Database, actor: Actor, path: str | Path, *, today: date | None = None
) -> ImportReport:
    """Validate every row of ``path``, then import all of them in one transaction or none at all."""
    require(actor, Permission.IMPORT)
    valid, problems = _validate(read_sheet(path), today or date.today())
    if problems:
        return ImportReport(problems=tuple(sorted(problems, key=lambda p: p.row)))
    with db.transaction() as session:
        conn = session.connection()
        fresh, skipped, conflicts = _against_db(conn, valid)
        if conflicts:
            return ImportReport(problems=tuple(conflicts))
        _insert(conn, fresh)
        audit(session, actor, "student.import", "student", None, file=Path(path).name, rows=len(fresh))
    return ImportReport(imported=len(fresh), skipped=tuple(skipped))
