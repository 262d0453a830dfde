"""``instdesk evaluation``: the 管理评价 for scripts or as a spreadsheet, one period or two."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.conftest import DESK_PASSWORD
from tests.cli.runner import run
from tests.cli.test_workflow import _ok, _setup


def test_evaluation_prints_and_exports_compared_periods(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = _setup(capsys, db_path)
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    _ok(run(capsys, db_path, "--user", "desk1", "rollcall", ids["session"], "K001=present"))
    march = ("--from", "2026-03-01", "--to", "2026-03-31")
    printed = _ok(run(capsys, db_path, "evaluation", *march, "--by", "teacher"))
    header, teacher, total = (line.split("\t") for line in printed.out.splitlines())
    assert header[:3] == ["教师", "上课次数", "出勤率"] and header[-1] == "家长评语"
    assert teacher[:3] == ["李老师", "1", "1.0000"] and total[0] == "合计"
    assert teacher[header.index("每节课消(元)")] == "240.00"

    compared = _ok(
        run(
            capsys,
            db_path,
            "evaluation",
            *march,
            "--compare-from",
            "2026-02-01",
            "--compare-to",
            "2026-02-28",
            "--by",
            "class",
        )
    )
    head, row, _total = (line.split("\t") for line in compared.out.splitlines())
    assert head[:4] == ["班级", "上课次数·本期", "上课次数·对比期", "上课次数·变化"]
    assert row[:4] == ["少儿美术 · 美术1班", "1", "", ""]  # nothing in February: no delta

    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    out = tmp_path / "评价.xlsx"
    written = _ok(run(capsys, db_path, "--user", "admin", "evaluation", *march, "--out", str(out)))
    assert "已导出 2 行" in written.out
    title, columns, first, _ = [
        list(r) for r in load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    assert "管理评价（按教师）" in str(title[0]) and columns[0] == "教师" and first[0] == "李老师"


def test_evaluation_refuses_half_a_comparison_and_a_backwards_period(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    _setup(capsys, db_path)
    half = run(
        capsys,
        db_path,
        "evaluation",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--compare-from",
        "2026-02-01",
    )
    assert half.code == 1 and "对比时段需要同时给出开始和结束日期" in half.err
    backwards = run(capsys, db_path, "evaluation", "--from", "2026-04-01", "--to", "2026-03-31")
    assert backwards.code == 1 and "晚于" in backwards.err
    with pytest.raises(SystemExit):
        run(capsys, db_path, "evaluation", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "course")
