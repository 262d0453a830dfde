"""Importing students: xlsx and csv (UTF-8, BOM, GB18030), per-row reports, duplicates, all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.io.importer import import_students
from app.io.labels import STUDENT_HEADERS
from app.permissions import SYSTEM_ACTOR, Actor, Role
from localdb.models import metadata

TODAY = date(2026, 11, 27)
GOOD = [
    ["张三", "男", "2015-03-07", "身份证", "110105201503070013", "鼓楼第一小学", "五年级", "义务教育",
     "13800138000", "K1", "张父", "父亲", "13900139000"],
    ["李四", "", "", "", "", "", "", "", "139 0013 9001", "", "", "", ""],
]  # fmt: skip


def _xlsx(path: Path, rows: Sequence[Sequence[object]], header: tuple[str, ...] = STUDENT_HEADERS) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(STUDENT_HEADERS)
        writer.writerows(rows)
    return path


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(metadata.tables[table])).scalar_one())


def _import(db: Database, path: Path) -> object:
    return import_students(db, SYSTEM_ACTOR, path, today=TODAY)


def test_valid_xlsx_imports_students_guardians_and_outbox(db: Database, tmp_path: Path) -> None:
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "s.xlsx", GOOD), today=TODAY)
    assert report.ok and report.imported == 2 and not report.skipped
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT name_initials, gender, birth_date, phone_rev FROM student WHERE name='张三'")
        )
        assert tuple(row.one()) == ("zs", "M", "2015-03-07", "00083100831")
        ops = conn.execute(text("SELECT count(*) FROM sync_outbox WHERE entity IN ('student','guardian')"))
        assert ops.scalar_one() == 3
    assert _count(db, "guardian") == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(db: Database, tmp_path: Path, encoding: str) -> None:
    report = import_students(db, SYSTEM_ACTOR, _csv(tmp_path / "s.csv", GOOD, encoding), today=TODAY)
    assert report.imported == 2
    with db.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM student ORDER BY name_pinyin")).scalars().all()
    assert names == ["李四", "张三"]


def test_invalid_rows_are_all_reported_and_nothing_is_imported(db: Database, tmp_path: Path) -> None:
    bad = [
        GOOD[0],
        ["", "男", "", "", "", "", "", "", "", "", "", "", ""],
        ["王五", "女", "", "身份证", "110105201503070013", "", "", "", "12345", "", "", "", ""],
        ["赵六", "", "2015-02-30", "", "", "", "", "初三", "", "", "", "父亲", ""],
    ]
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "bad.xlsx", bad), today=TODAY)
    assert report.imported == 0
    found = [(p.row, p.column, p.reason) for p in report.problems]
    assert found == [
        (3, "姓名", "姓名不能为空"),
        (4, "性别", "性别与身份证号码不一致"),
        (4, "手机号", "手机号码不正确：应为11位中国大陆手机号"),
        (5, "出生日期", "日期格式不正确，应为 YYYY-MM-DD"),
        (5, "学段", "取值“初三”无效，可选：学龄前、义务教育、小学、初中、高中、其他"),
        (5, "监护人姓名", "填写了监护人关系或手机时，监护人姓名不能为空"),
    ]
    assert _count(db, "student") == 0


def test_bad_mobile_and_checksum_reasons(db: Database, tmp_path: Path) -> None:
    rows = [
        ["王五", "", "", "", "", "", "", "", "12345", "", "", "", ""],
        ["赵六", "", "", "身份证", "110105201503070014", "", "", "", "", "", "", "", ""],
    ]
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "bad.xlsx", rows), today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "手机号"), (3, "证件号码")]
    assert report.problems[0].reason == "手机号码不正确：应为11位中国大陆手机号"
    assert "校验位" in report.problems[1].reason


def test_duplicates_in_file_are_errors(db: Database, tmp_path: Path) -> None:
    rows = [GOOD[0], GOOD[1], [*GOOD[0][:9], "K9", "", "", ""]]
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "dup.xlsx", rows), today=TODAY)
    assert [(p.row, p.column, p.reason) for p in report.problems] == [(4, "证件号码", "与第2行重复")]
    assert _count(db, "student") == 0


def test_students_already_on_file_are_skipped_never_doubled(db: Database, tmp_path: Path) -> None:
    assert import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "a.xlsx", GOOD[:1]), today=TODAY).imported == 1
    again = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "b.xlsx", GOOD), today=TODAY)
    assert again.ok and again.imported == 1
    assert [(p.row, p.column) for p in again.skipped] == [(2, "证件号码")]
    assert _count(db, "student") == 2


def test_empty_file_and_header_only(db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert [p.reason for p in import_students(db, SYSTEM_ACTOR, empty).problems] == ["文件为空"]
    header_only = _csv(tmp_path / "h.csv", [])
    assert [p.reason for p in import_students(db, SYSTEM_ACTOR, header_only).problems] == [
        "文件中没有学员数据"
    ]


def test_wrong_headers_and_aliases(db: Database, tmp_path: Path) -> None:
    wrong = _xlsx(tmp_path / "w.xlsx", [["张三"]], header=("名称", "爱好"))
    problems = [(p.row, p.column, p.reason) for p in import_students(db, SYSTEM_ACTOR, wrong).problems]
    assert problems == [
        (1, "名称", "无法识别的列名（请使用导入模板中的列名）"),
        (1, "爱好", "无法识别的列名（请使用导入模板中的列名）"),
        (1, "姓名", "缺少必需的列"),
    ]
    aliased = _xlsx(
        tmp_path / "a.xlsx", [["张三", "13800138000", "张父"]], header=("学生姓名", "联系电话", "家长姓名")
    )
    assert import_students(db, SYSTEM_ACTOR, aliased).imported == 1


def test_formula_cells_and_numeric_id_numbers_are_refused(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ['=A1&"x"', "", "", "", "", "", "", "", "", "", "", "", ""],
        ["李四", "", "", "", 110105201503070013, "", "", "", 13800138000, "", "", "", ""],
    ]
    report = import_students(db, SYSTEM_ACTOR, _xlsx(tmp_path / "f.xlsx", rows), today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, "姓名"), (3, "证件号码")]
    assert "公式" in report.problems[0].reason


def test_bad_extension_and_permission(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        import_students(db, SYSTEM_ACTOR, tmp_path / "x.txt")
    with pytest.raises(PermissionDenied):
        import_students(db, Actor("u", "owner", Role.STATS), tmp_path / "x.csv")
