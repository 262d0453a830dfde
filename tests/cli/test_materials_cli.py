"""``instdesk materials``: add, list, new version, answer a spot check; refusals print one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import ADMIN_PASSWORD, DESK_PASSWORD
from tests.cli.runner import run
from tests.cli.test_workflow import _ok, _setup
from tests.rawdb import raw_connect


def _spot_check(db: Path, check_id: str, course_id: str) -> None:
    """What the sync engine stores when the platform sends a regulator's spot check."""
    payload = {
        "id": check_id,
        "course_id": course_id,
        "status": "open",
        "note": "例行抽查",
        "requested_at": "2099-01-01T00:00:00Z",
        "deadline_at": "2099-01-04T00:00:00Z",
    }
    with raw_connect(db) as conn:
        conn.execute(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, deadline, payload)"
            " VALUES ('spot_check', ?, 1, 'open', ?, '2099-01-04', ?)",
            (check_id, course_id, json.dumps(payload, ensure_ascii=False)),
        )


def test_materials_are_added_listed_versioned_and_a_spot_check_answered(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _setup(capsys, db_path)
    admin = ("--user", "admin")
    monkeypatch.setenv("INSTDESK_PASSWORD", ADMIN_PASSWORD)
    handout = tmp_path / "unit1.pdf"
    handout.write_bytes(b"%PDF unit one")
    added = _ok(
        run(
            capsys,
            db_path,
            *admin,
            "materials",
            "add",
            "--course",
            ids["course"],
            "--title",
            "第一单元讲义",
            "--file",
            str(handout),
            "--reviewer",
            "王主任",
            "--reviewed-on",
            "2026-02-20",
            "--class",
            ids["klass"],
        )
    )
    material = added.first_id
    listed = _ok(run(capsys, db_path, *admin, "materials", "list", "--course", ids["course"]))
    fields = listed.out.splitlines()[0].split("\t")
    assert fields[0] == material and fields[2:5] == ["第一单元讲义", "讲义", "第1版"]
    assert fields[6] == "王主任" and fields[-1] == "待报送"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    refused = run(
        capsys,
        db_path,
        *admin,
        "materials",
        "add",
        "--course",
        ids["course"],
        "--title",
        "空",
        "--file",
        str(empty),
    )
    assert refused.code == 1 and "空文件" in refused.err
    v2 = tmp_path / "unit1-v2.pdf"
    v2.write_bytes(b"%PDF unit one, revised")
    _ok(run(capsys, db_path, *admin, "materials", "version", material, "--file", str(v2), "--version", "2"))
    assert "第2版" in _ok(run(capsys, db_path, *admin, "materials", "list")).out
    _spot_check(db_path, "chk-1", ids["course"])
    checks = _ok(run(capsys, db_path, *admin, "materials", "checks")).out.split("\t")
    assert checks[:3] == ["chk-1", checks[1], "待答复"] and checks[5] == "未答复"
    answered = _ok(run(capsys, db_path, *admin, "materials", "answer", "chk-1"))
    assert answered.first_id == "chk-1" and "1 份材料" in answered.out
    assert "答复待同步" in _ok(run(capsys, db_path, *admin, "materials", "checks")).out
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    denied = run(
        capsys,
        db_path,
        "--user",
        "desk1",
        "materials",
        "add",
        "--course",
        ids["course"],
        "--title",
        "x",
        "--file",
        str(handout),
    )
    assert denied.code == 1 and "权限不足" in denied.err
