"""``instdesk owed``: join a 先学后付 course, lessons owed by the roll call, pay after, remind."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db import Database
from app.services import users
from tests.cli.conftest import ADMIN_PASSWORD
from tests.cli.runner import Result, run
from tests.services.factory import World, build_world
from tests.services.pay_after_world import LearnFirst, learn_first_course

ADMIN = ("--user", "admin")


def _ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def art(db_path: Path) -> tuple[World, LearnFirst]:
    db = Database.open(db_path)
    world = build_world(db)
    art = learn_first_course(world)
    users.bootstrap_admin(db, "admin", ADMIN_PASSWORD)
    db.close()
    return world, art


def test_join_owe_pay_and_remind_from_the_shell(
    capsys: pytest.CaptureFixture[str], db_path: Path, art: tuple[World, LearnFirst]
) -> None:
    world, course = art
    student = world.students[0]
    deal = ("--units", "10", "--fee", "1500", "--start", "2026-03-02", "--end", "2026-05-31")
    prepaid = run(
        capsys, db_path, *ADMIN, "enroll", "--student", student, "--course", course.course_id, *deal
    )
    assert prepaid.code == 1 and "先学后付" in prepaid.err
    joined = _ok(run(capsys, db_path, *ADMIN, "owed", "join", "--student", student, "--course",
                     course.course_id, "--class", course.klass_id, "--start", "2026-03-02"))  # fmt: skip
    assert "每节课 150.00 元" in joined.out
    assert "没有欠费的家庭" in _ok(run(capsys, db_path, *ADMIN, "owed", "list")).out
    for lesson in course.lessons[:2]:
        _ok(run(capsys, db_path, *ADMIN, "rollcall", lesson, f"{student}=present"))
    listed = _ok(run(capsys, db_path, *ADMIN, "owed", "list"))
    assert "300.00 元" in listed.out and "2 节" in listed.out and "未提醒" in listed.out
    lessons = _ok(run(capsys, db_path, *ADMIN, "owed", "lessons", student))
    first = lessons.out.splitlines()[0].split("\t")[0]
    too_much = run(capsys, db_path, *ADMIN, "owed", "pay", student, "--amount", "300.01")
    assert too_much.code == 1 and "超过" in too_much.err
    zero = run(capsys, db_path, *ADMIN, "owed", "pay", student, "--amount", "0")
    assert zero.code == 1
    paid = _ok(run(capsys, db_path, *ADMIN, "owed", "pay", student, "--amount", "150", "--lesson", first))
    assert "收据 A1-" in paid.out and "仍欠 150.00 元" in paid.out
    reminded = _ok(run(capsys, db_path, *ADMIN, "owed", "remind", student))
    assert "150.00元" in reminded.out
    assert "已提醒" in _ok(run(capsys, db_path, *ADMIN, "owed", "list")).out


def test_stats_and_their_export_show_learn_first_apart(
    capsys: pytest.CaptureFixture[str], db_path: Path, art: tuple[World, LearnFirst], tmp_path: Path
) -> None:
    world, course = art
    student = world.students[0]
    _ok(run(capsys, db_path, *ADMIN, "owed", "join", "--student", student, "--course", course.course_id,
            "--class", course.klass_id, "--start", "2026-03-02"))  # fmt: skip
    _ok(run(capsys, db_path, *ADMIN, "rollcall", course.lessons[0], f"{student}=present"))
    span = ("--from", "2026-03-01", "--to", "2026-03-31")
    stats = _ok(run(capsys, db_path, *ADMIN, "stats", *span))
    total = stats.out.splitlines()[1]
    assert "消课1课时" not in total and "\t0.00元\t" in total and "先学后付课费150.00元" in total
    out = tmp_path / "stats.csv"
    _ok(run(capsys, db_path, *ADMIN, "export", "statistics", "--out", str(out), *span))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = next(line for line in lines if "先学后付课费(元)" in line).split(",")
    total_row = next(line for line in lines if line.startswith("合计")).split(",")
    assert total_row[header.index("先学后付课费(元)")] == "150.00"
    assert total_row[header.index("消课金额(元)")] == "0.00"
