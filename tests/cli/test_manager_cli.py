"""The manager's timetable changes and logins from the shell: the same use cases as the app's screens."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from app.services import institution, users
from tests.cli.conftest import ADMIN_PASSWORD, DESK_PASSWORD
from tests.cli.runner import Result, run
from tests.services.factory import MANAGER, USCC, World, build_world


def _ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def world_db(db_path: Path) -> World:
    db = Database.open(db_path)
    world = build_world(db)
    users.bootstrap_admin(db, "admin", ADMIN_PASSWORD)
    db.close()
    return world


ADMIN = ("--user", "admin")


def test_rule_over_a_holiday_is_refused_then_skips_it(
    capsys: pytest.CaptureFixture[str], db_path: Path, world_db: World
) -> None:
    rule: tuple[str, ...] = ("schedule", "add", "--class", world_db.math_class_id, "--weekday", "1")
    rule += ("--start", "18:00", "--end", "18:45", "--from", "2026-04-27", "--to", "2026-05-11")
    refused = run(capsys, db_path, *ADMIN, *rule)
    assert refused.code == 1 and "2026-05-04" in refused.err and "--skip-closed-days" in refused.err
    done = _ok(run(capsys, db_path, *ADMIN, *rule, "--skip-closed-days"))
    assert "已排课 2 次" in done.out and "跳过 2026-05-04" in done.out


def test_cancel_make_up_move_and_substitute(
    capsys: pytest.CaptureFixture[str], db_path: Path, world_db: World
) -> None:
    klass = world_db.math_class_id
    one = ("--class", klass, "--start", "18:00", "--end", "18:45")
    lesson = _ok(run(capsys, db_path, *ADMIN, "schedule", "lesson", *one, "--date", "2026-03-02")).first_id
    no_reason = run(capsys, db_path, *ADMIN, "schedule", "cancel", lesson, "--reason", " ")
    assert no_reason.code == 1 and "请填写取消原因" in no_reason.err
    cancelled = _ok(run(capsys, db_path, *ADMIN, "schedule", "cancel", lesson, "--reason", "老师请假"))
    assert "已取消 2026-03-02" in cancelled.out and "schedule lesson --class" in cancelled.out
    makeup = _ok(run(capsys, db_path, *ADMIN, "schedule", "lesson", *one, "--date", "2026-03-03")).first_id
    weekend = run(
        capsys,
        db_path,
        *ADMIN,
        "schedule",
        "move",
        makeup,
        "--date",
        "2026-03-07",
        "--start",
        "18:00",
        "--end",
        "18:45",
    )
    assert weekend.code == 1 and "2026-03-07" in weekend.err
    _ok(
        run(
            capsys,
            db_path,
            *ADMIN,
            "schedule",
            "move",
            makeup,
            "--date",
            "2026-03-04",
            "--start",
            "18:00",
            "--end",
            "18:45",
        )
    )
    coach = run(
        capsys, db_path, *ADMIN, "schedule", "substitute", makeup, "--teacher", world_db.art_teacher_id
    )
    assert coach.code == 1 and "教师资格证" in coach.err


def test_logins_of_the_manager(capsys: pytest.CaptureFixture[str], db_path: Path, world_db: World) -> None:
    again = run(capsys, db_path, "user", "bootstrap", "boss")
    assert again.code == 1 and "已存在用户" in again.err
    _ok(run(capsys, db_path, *ADMIN, "user", "add", "desk1", "--role", "front_desk"))
    _ok(run(capsys, db_path, *ADMIN, "user", "reset-password", "desk1"))
    _ok(run(capsys, db_path, *ADMIN, "user", "disable", "desk1"))
    listed = _ok(run(capsys, db_path, *ADMIN, "user", "list"))
    assert "desk1" in listed.out and "已停用" in listed.out and "前台" in listed.out
    last = run(capsys, db_path, *ADMIN, "user", "disable", "admin")
    assert last.code == 1


def test_a_desk_that_joined_by_platform_login_creates_its_first_manager(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database.open(db_path)
    institution.init_institution(db, "测试培训学校", USCC)  # what the first sync leaves: no local user
    db.close()
    created = _ok(run(capsys, db_path, "user", "bootstrap", "boss"))
    assert "已创建第一个管理员 boss" in created.out
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)  # bootstrap took INSTDESK_NEW_PASSWORD
    assert "boss" in _ok(run(capsys, db_path, "--user", "boss", "user", "list")).out


def test_bootstrap_needs_an_institution(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    Database.open(db_path).close()
    refused = run(capsys, db_path, "user", "bootstrap", "boss")
    assert refused.code == 1 and "instdesk login" in refused.err


def test_rollcall_marks_a_student_without_units_as_owing(
    capsys: pytest.CaptureFixture[str], db_path: Path, world_db: World
) -> None:
    from app.services import classes

    db = Database.open(db_path)
    classes.add_class_member(db, MANAGER, world_db.math_class_id, world_db.students[0])
    db.close()
    one = ("--class", world_db.math_class_id, "--start", "18:00", "--end", "18:45")
    lesson = _ok(run(capsys, db_path, *ADMIN, "schedule", "lesson", *one, "--date", "2026-03-02")).first_id
    marked = _ok(run(capsys, db_path, *ADMIN, "rollcall", lesson, "CARD000=出勤"))
    assert "记为欠课时" in marked.out
