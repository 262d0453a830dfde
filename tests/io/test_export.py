"""Exports: every kind to xlsx and csv, Chinese headers, masked identity numbers, yuan with two decimals."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.io.export import export
from app.permissions import SYSTEM_ACTOR, Actor, Role
from tests.reports.dataset import build

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def _xlsx_rows(path: Path) -> list[list[Any]]:
    """The header and data rows (below the title row every export writes)."""
    book = load_workbook(path, read_only=True)
    try:
        title, *rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        assert isinstance(title[0], str) and all(c is None for c in title[1:])
        return rows
    finally:
        book.close()


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    return list(csv.reader(raw.decode("utf-8-sig").splitlines()))


def test_students_masked_and_round_trip_headers(db: Database, tmp_path: Path) -> None:
    build(db)
    assert export(db, SYSTEM_ACTOR, "students", tmp_path / "s.xlsx") == 3
    rows = _xlsx_rows(tmp_path / "s.xlsx")
    assert rows[0][:5] == ["姓名", "性别", "出生日期", "证件类型", "证件号码"]
    zhang = next(r for r in rows if r[0] == "张三")
    assert zhang[4] == "110105********002X"
    export(db, SYSTEM_ACTOR, "students", tmp_path / "s.csv")
    assert "11010519491231002X" not in (tmp_path / "s.csv").read_text(encoding="utf-8-sig")


def test_attendance_and_consumption(db: Database, tmp_path: Path) -> None:
    build(db)
    assert export(db, SYSTEM_ACTOR, "attendance", tmp_path / "a.xlsx", *MARCH) == 6
    rows = _xlsx_rows(tmp_path / "a.xlsx")
    assert rows[0] == [
        "日期",
        "上课时间",
        "课程",
        "班级",
        "教师",
        "学员",
        "卡号",
        "状态",
        "是否扣课时",
        "课时",
        "金额(元)",
        "合同编号",
    ]
    assert rows[1][:9] == [
        datetime(2026, 3, 4),
        "18:00",
        "初中数学",
        "数学1班",
        "王老师",
        "李四",
        "C002",
        "迟到",
        "是",
    ]  # students of one lesson in pinyin order: li before zhang
    assert rows[1][9:] == [1, 100, "T-2"]
    assert {r[7] for r in rows[1:]} == {"出勤", "迟到", "请假", "缺勤"}
    assert export(db, SYSTEM_ACTOR, "consumption", tmp_path / "c.csv", *MARCH) == 5
    lines = _csv_rows(tmp_path / "c.csv")
    assert lines[0][-2:] == ["金额(元)", "合同编号"] and lines[1][-2:] == ["100.00", "T-2"]


def test_payments_in_local_time(db: Database, tmp_path: Path) -> None:
    build(db)
    assert export(db, SYSTEM_ACTOR, "payments", tmp_path / "p.csv", *MARCH) == 2
    lines = _csv_rows(tmp_path / "p.csv")
    assert lines[0] == ["收据编号", "收款时间", "学员", "合同编号", "课程", "金额(元)", "支付方式", "前台"]
    assert lines[2][1:] == ["2026-03-31 23:30", "李四", "T-2", "初中数学", "1000.00", "现金", ""]


def test_statistics_needs_a_range(db: Database, tmp_path: Path) -> None:
    build(db)
    with pytest.raises(ValidationError):
        export(db, SYSTEM_ACTOR, "statistics", tmp_path / "x.xlsx")
    assert export(db, SYSTEM_ACTOR, "statistics", tmp_path / "x.xlsx", *MARCH) == 7
    rows = _xlsx_rows(tmp_path / "x.xlsx")
    assert rows[0][:3] == ["维度", "名称", "上课次数"]
    assert rows[1][:7] == ["合计", "全机构", 4, 6, 4, 0.6667, 5]


def test_bad_kind_extension_and_permission(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        export(db, SYSTEM_ACTOR, "teachers", tmp_path / "x.xlsx")
    with pytest.raises(ValidationError):
        export(db, SYSTEM_ACTOR, "students", tmp_path / "x.pdf")
    with pytest.raises(PermissionDenied):
        export(db, Actor("u", "desk", Role.FRONT_DESK), "students", tmp_path / "x.xlsx")
