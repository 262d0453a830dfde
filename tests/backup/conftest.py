"""Fixtures of the backup and encryption tests: a small institution made through ``instdesk``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.validators import make_id_number
from tests.cli.runner import Result, run

ADMIN_PASSWORD = "admin-pass-1"
USCC = "91350100M000100Y43"
ID_NUMBER = make_id_number("110105", date(2016, 3, 7), 13)
SECOND_ID = make_id_number("110105", date(2016, 5, 9), 15)


def ok(result: Result) -> Result:
    assert result.code == 0, result.err
    return result


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database with an institution, an admin and one student with an ID number; returns its path."""
    monkeypatch.setenv("INSTDESK_PASSWORD", ADMIN_PASSWORD)
    path = tmp_path / "desk" / "instdesk.sqlite3"
    ok(run(capsys, path, "init", "--name", "示例培训学校", "--uscc", USCC, "--desk", "A1"))
    add_student(capsys, path, "张三", ID_NUMBER)
    return path


def add_student(capsys: pytest.CaptureFixture[str], path: Path, name: str, id_number: str) -> str:
    args = ("--user", "admin", "student", "add", "--name", name, "--id-number", id_number)
    return ok(run(capsys, path, *args)).first_id


def student_names(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    from app.db import Database

    db = Database.open(path)
    try:
        with db.reading() as session:
            rows = session.connection().exec_driver_sql("SELECT name FROM student ORDER BY name")
            return [str(r[0]) for r in rows]
    finally:
        db.close()
