"""Column mapping from the header names real rosters use, a chosen mapping, the dry-run report, progress
and cancelling (all or nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app.db import Database
from app.errors import ValidationError
from app.io.columns import auto_mapping, header_problems, preview
from app.io.importer import Progress, check_sheet, import_sheet
from app.io.reader import Sheet
from app.permissions import SYSTEM_ACTOR

TODAY = date(2026, 11, 27)


def test_real_roster_headers_are_mapped() -> None:
    header = ["学生姓名", "身份证号码", "家长", "联系电话", "班级", "备注"]
    assert auto_mapping(header) == ["姓名", "证件号码", "监护人姓名", "监护人手机", None, None]
    assert auto_mapping(["姓名", "监护人", "家长电话", "联系电话"]) == [
        "姓名",
        "监护人姓名",
        "监护人手机",
        "手机号",
    ]
    assert auto_mapping(["学员姓名", "联系电话"]) == ["姓名", "手机号"]
    assert auto_mapping(["家长姓名 *", "学生姓名：", "姓名"]) == ["监护人姓名", "姓名", None]
    assert [(p.column, p.reason) for p in header_problems(["姓名", "班级", "名字"])] == [
        ("班级", "无法识别的列名（请使用导入模板中的列名）"),
        ("名字", "列名重复"),
    ]


def _sheet(rows: list[list[object]], header: list[str] | None = None) -> Sheet:
    return Sheet(
        header or ["学生姓名", "家长", "联系电话", "班级"], [(n, r) for n, r in enumerate(rows, start=2)]
    )


def _students(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM student")).scalar_one())


def test_preview_shows_first_rows_and_the_guess() -> None:
    sheet = _sheet([["张三", "张父", "13900139000", "一班"]] * 20)
    shown = preview(sheet.header, sheet.rows, count=5)
    assert shown.total_rows == 20 and len(shown.rows) == 5
    assert shown.mapping == ("姓名", "监护人姓名", "监护人手机", None)


def test_a_chosen_mapping_is_checked_then_imported(db: Database) -> None:
    sheet = _sheet([["张三", "张父", "13900139000", "一班"], ["李四", "李母", "1390013", "二班"]])
    mapping = ["姓名", "监护人姓名", "监护人手机", None]
    report = check_sheet(db, SYSTEM_ACTOR, sheet, mapping, today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(3, "监护人手机")]
    assert _students(db) == 0
    fixed = _sheet([["张三", "张父", "13900139000", "一班"], ["李四", "李母", "13900139001", "二班"]])
    assert check_sheet(db, SYSTEM_ACTOR, fixed, mapping, today=TODAY).imported == 2
    assert _students(db) == 0  # the check writes nothing
    steps: list[tuple[str, int, int]] = []
    done = import_sheet(
        db, SYSTEM_ACTOR, fixed, mapping, today=TODAY, progress=Progress(lambda *s: steps.append(s))
    )
    assert done.imported == 2 and steps[-1] == ("write", 2, 2)
    with db.engine.connect() as conn:
        phones = conn.execute(text("SELECT phone FROM guardian ORDER BY phone")).scalars().all()
    assert phones == ["13900139000", "13900139001"]
    again = check_sheet(db, SYSTEM_ACTOR, fixed, mapping, today=TODAY)
    assert again.imported == 0  # same name and guardian phone: already on file, never doubled
    assert [(p.row, p.reason) for p in again.skipped] == [
        (2, "同名且监护人手机相同的学员已在系统中"),
        (3, "同名且监护人手机相同的学员已在系统中"),
    ]
    twice = _sheet([["王五", "王父", "13900139002", ""], ["王五", "王母", "13900139002", ""]])
    assert [(p.row, p.column) for p in check_sheet(db, SYSTEM_ACTOR, twice, mapping).problems] == [
        (3, "姓名")
    ]


def test_mapping_problems_two_columns_one_field_and_no_name(db: Database) -> None:
    sheet = _sheet([["张三", "张父", "13900139000", "一班"]])
    twice = check_sheet(db, SYSTEM_ACTOR, sheet, ["姓名", "姓名", None, None])
    assert [(p.column, p.reason) for p in twice.problems] == [("家长", "列名重复")]
    nameless = check_sheet(db, SYSTEM_ACTOR, sheet, [None, "监护人姓名", None, None])
    assert [(p.column, p.reason) for p in nameless.problems] == [("姓名", "缺少必需的列")]


def test_cancelling_keeps_nothing(db: Database) -> None:
    rows: list[list[object]] = [[f"学生{i}", "", "", ""] for i in range(5000)]
    seen: list[str] = []  # cancelled after the first chunk is written: the rows written are rolled back
    cancel = Progress(lambda phase, _done, _total: seen.append(phase), cancelled=lambda: "write" in seen)
    with pytest.raises(ValidationError) as stopped:
        import_sheet(db, SYSTEM_ACTOR, _sheet(rows), ["姓名", None, None, None], progress=cancel)
    assert stopped.value.code == "import.cancelled"
    assert _students(db) == 0
