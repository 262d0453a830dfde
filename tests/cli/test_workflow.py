"""A whole institution workflow through ``instdesk`` commands, and the errors people can make."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.validators import make_id_number
from tests.cli.conftest import DESK_PASSWORD
from tests.cli.runner import Result, run
from tests.rawdb import raw_connect

USCC = "91350100M000100Y43"
ID_NUMBER = make_id_number("110105", date(2016, 3, 7), 13)


def _ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


def _setup(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, str]:
    """init → user add → staff/course/class/schedule → student → enroll; returns the ids."""
    _ok(run(capsys, db, "init", "--name", "示例培训学校", "--uscc", USCC, "--desk", "A1"))
    admin = ("--user", "admin")
    _ok(run(capsys, db, *admin, "user", "add", "desk1", "--role", "front_desk"))
    teacher = _ok(
        run(
            capsys,
            db,
            *admin,
            "staff",
            "add",
            "--name",
            "李老师",
            "--ability-cert",
            "NL-001",
            "--background",
            "passed",
        )
    ).first_id
    course = _ok(
        run(
            capsys,
            db,
            *admin,
            "course",
            "add",
            "--name",
            "少儿美术",
            "--category",
            "non_subject",
            "--subject",
            "美术",
            "--minutes",
            "90",
            "--units-per-lesson",
            "2",
            "--package-units",
            "24",
            "--price",
            "2880",
        )
    ).first_id
    klass = _ok(
        run(
            capsys,
            db,
            *admin,
            "class",
            "add",
            "--course",
            course,
            "--name",
            "美术1班",
            "--capacity",
            "20",
            "--teacher",
            teacher,
        )
    ).first_id
    schedule = _ok(
        run(
            capsys,
            db,
            *admin,
            "schedule",
            "add",
            "--class",
            klass,
            "--weekday",
            "6",
            "--start",
            "09:00",
            "--end",
            "10:30",
            "--from",
            "2026-03-02",
            "--to",
            "2026-03-31",
        )
    )
    sessions = [line.split("\t")[0] for line in schedule.out.splitlines()[1:]]
    student = _ok(
        run(
            capsys,
            db,
            *admin,
            "student",
            "add",
            "--name",
            "张三",
            "--id-number",
            ID_NUMBER,
            "--card",
            "K001",
            "--phone",
            "13800138000",
            "--guardian",
            "张父",
            "--relation",
            "父亲",
            "--guardian-phone",
            "13900139000",
        )
    ).first_id
    contract = _ok(
        run(
            capsys,
            db,
            *admin,
            "enroll",
            "--student",
            student,
            "--course",
            course,
            "--class",
            klass,
            "--units",
            "24",
            "--fee",
            "2880",
            "--start",
            "2026-03-07",
            "--end",
            "2026-05-31",
            "--charge-date",
            "2026-03-01",
        )
    ).first_id
    return {
        "course": course,
        "klass": klass,
        "student": student,
        "contract": contract,
        "session": sessions[0],
    }


def test_whole_workflow(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ids = _setup(capsys, db_path)
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    desk = ("--user", "desk1")
    listed = _ok(run(capsys, db_path, *desk, "sessions", "--date", "2026-03-07"))
    assert ids["session"] in listed.out and "美术1班" in listed.out
    marked = _ok(run(capsys, db_path, *desk, "rollcall", ids["session"], "K001=present"))
    assert "扣 2.00 课时 240.00 元" in marked.out
    _ok(run(capsys, db_path, *desk, "undo-rollcall", ids["session"]))
    _ok(run(capsys, db_path, *desk, "rollcall", ids["session"], "K001=迟到"))
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    refund = _ok(
        run(
            capsys,
            db_path,
            "--user",
            "admin",
            "refund",
            ids["contract"],
            "--reason",
            "搬家",
            "--date",
            "2026-03-20",
        )
    )
    assert "退费 2,640.00 元" in refund.out  # 22 unconsumed units × 120 元
    # payments and refunds are dated when they are booked (now), lessons by their own date
    first = _ok(run(capsys, db_path, "stats", "--from", "2026-03-01", "--to", "2099-12-31", "--json"))
    second = _ok(run(capsys, db_path, "stats", "--from", "2026-03-01", "--to", "2099-12-31", "--json"))
    assert first.out == second.out
    total = json.loads(first.out)["total"]
    assert (total["consumed_units"], total["payments_fen"], total["refunds_fen"]) == ("2.00", 288000, 264000)
    assert total["prepaid_outstanding_fen"] == 0
    check = _ok(run(capsys, db_path, "check"))
    assert "检查通过" in check.out
    out = tmp_path / "students.xlsx"
    _ok(run(capsys, db_path, "--user", "admin", "export", "students", "--out", str(out)))
    sheet = load_workbook(out, read_only=True).worksheets[0]
    title, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert str(title[0]).split("　")[1:2] == ["学员"]  # institution, report, period
    assert rows[0][:5] == ["姓名", "性别", "出生日期", "证件类型", "证件号码"]
    assert rows[1][0] == "张三" and rows[1][4] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]


def test_wrong_uscc_is_refused_before_anything_is_created(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    result = run(capsys, db_path, "init", "--name", "示例", "--uscc", "91350100M000100Y44")
    assert result.code == 1
    assert "统一社会信用代码校验位错误" in result.err and "Traceback" not in result.err
    assert not db_path.exists()


def test_negative_amount_and_unknown_session(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    _ok(run(capsys, db_path, "init", "--name", "示例培训学校", "--uscc", USCC))
    negative = run(
        capsys,
        db_path,
        "--user",
        "admin",
        "course",
        "add",
        "--name",
        "美术",
        "--category",
        "non_subject",
        "--subject",
        "美术",
        "--minutes",
        "60",
        "--package-units",
        "10",
        "--price",
        "-5",
    )
    assert negative.code == 1 and "金额不能为负数" in negative.err
    unknown = run(capsys, db_path, "--user", "admin", "rollcall", "no-such-session", "K1=present")
    assert unknown.code == 1 and "错误：" in unknown.err and "Traceback" not in unknown.err


def test_user_is_required_and_wrong_password(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ok(run(capsys, db_path, "init", "--name", "示例培训学校", "--uscc", USCC))
    anonymous = run(capsys, db_path, "student", "add", "--name", "张三")
    assert anonymous.code == 1 and "--user" in anonymous.err
    monkeypatch.setenv("INSTDESK_PASSWORD", "wrong-password")
    wrong = run(capsys, db_path, "--user", "admin", "student", "add", "--name", "张三")
    assert wrong.code == 1 and "用户名或密码错误" in wrong.err


def test_missing_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    missing = run(capsys, db_path, "check")
    assert missing.code == 1 and "不存在" in missing.err and not db_path.exists()


def test_check_reports_a_tampered_summary_and_rebuild_repairs_it(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _setup(capsys, db_path)
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    _ok(run(capsys, db_path, "--user", "desk1", "rollcall", ids["session"], "K001=present"))
    with raw_connect(db_path) as conn:
        conn.execute("UPDATE session_tally SET fen = fen + 1")
    broken = run(capsys, db_path, "check")
    assert broken.code == 1
    assert "统计汇总 session_tally" in broken.out and "--rebuild-summaries" in broken.out
    repaired = _ok(run(capsys, db_path, "check", "--rebuild-summaries"))
    assert "已按流水和考勤重建" in repaired.out and "检查通过" in repaired.out


def test_contract_transfer_pause_and_resume(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _setup(capsys, db_path)
    admin = ("--user", "admin")
    other = _ok(
        run(
            capsys,
            db_path,
            *admin,
            "class",
            "add",
            "--course",
            ids["course"],
            "--name",
            "美术2班",
            "--capacity",
            "20",
        )
    ).first_id
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    desk = ("--user", "desk1")
    moved = _ok(run(capsys, db_path, *desk, "contract", "transfer", ids["contract"], "--class", other))
    assert moved.first_id == ids["contract"] and f"班级 {other}" in moved.out and "在读" in moved.out
    paused = _ok(run(capsys, db_path, *desk, "contract", "pause", ids["contract"], "--reason", "生病"))
    assert "停课中" in paused.out
    again = run(capsys, db_path, *desk, "contract", "pause", ids["contract"])
    assert again.code == 1 and "合同已停课" in again.err
    resumed = _ok(run(capsys, db_path, *desk, "contract", "resume", ids["contract"]))
    assert "在读" in resumed.out and "有效期至 2026-05-31" in resumed.out  # paused and resumed the same day
