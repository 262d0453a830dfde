"""``instdesk disputes``: open disputes with the platform's countdown, answered with the roll-call record,
the charge reversed by a manager (once)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localdb.ids import attendance_id
from tests.cli.conftest import ADMIN_PASSWORD, DESK_PASSWORD
from tests.cli.runner import run
from tests.cli.test_workflow import _ok, _setup
from tests.rawdb import raw_connect


def _confirmation(db: Path, conf_id: str, att: str, status: str, deadline: str) -> None:
    """What the sync engine stores when the platform sends a 消课 confirmation."""
    payload = {"id": conf_id, "attendance_id": att, "status": status, "reason": "孩子请假没来"}
    with raw_connect(db) as conn:
        conn.execute(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, amount_fen,"
            " deadline, payload) VALUES ('consumption_confirmation', ?, 1, ?, ?, 24000, ?, ?)",
            (conf_id, status, att, deadline, json.dumps(payload, ensure_ascii=False)),
        )


def test_disputes_are_listed_answered_and_reversed(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _setup(capsys, db_path)
    admin, desk = ("--user", "admin"), ("--user", "desk1")
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    _ok(run(capsys, db_path, *desk, "rollcall", ids["session"], "K001=present"))
    att = attendance_id(ids["session"], ids["student"])
    _confirmation(db_path, "cc-open", att, "disputed", "2099-01-05")
    _confirmation(db_path, "cc-closed", att, "disputed", "2020-01-06")
    listed = _ok(run(capsys, db_path, *desk, "disputes", "list"))
    lines = {line.split("\t")[0]: line.split("\t") for line in listed.out.splitlines()}
    assert lines["cc-open"][1:6] == ["家长有异议", "张三", "少儿美术", "2026-03-07", "240.00 元"]
    assert lines["cc-open"][7].startswith("剩 ") and "天" in lines["cc-open"][7]
    assert lines["cc-closed"][7] == "已转监管部门" and lines["cc-open"][8] == "孩子请假没来"
    late = run(capsys, db_path, *desk, "disputes", "answer", "cc-closed")
    assert late.code == 1 and "不能再答复" in late.err
    answered = _ok(run(capsys, db_path, *desk, "disputes", "answer", "cc-open", "--note", "当天到课"))
    assert answered.first_id == "cc-open" and "班级 1 人" in answered.out and "下次同步" in answered.out
    after = _ok(run(capsys, db_path, *desk, "disputes", "list"))
    assert "家长有异议（点名记录：答复待同步）" in after.out
    denied = run(capsys, db_path, *desk, "disputes", "reverse", "cc-open")
    assert denied.code == 1 and "权限不足" in denied.err
    monkeypatch.setenv("INSTDESK_PASSWORD", ADMIN_PASSWORD)
    reversed_ = _ok(run(capsys, db_path, *admin, "disputes", "reverse", "cc-open", "--note", "核实后请假"))
    assert reversed_.first_id == "cc-open" and "课时已退回合同" in reversed_.out
    twice = run(capsys, db_path, *admin, "disputes", "reverse", "cc-closed")
    assert twice.code == 1 and "已撤销过" in twice.err
    with raw_connect(db_path) as conn:
        [(kind, units)] = conn.execute(
            "SELECT kind, units_x100 FROM ledger_entry WHERE reason LIKE '消课异议%'"
        ).fetchall()
    assert (kind, units) == ("adjust", 200)
    pending = _ok(run(capsys, db_path, *admin, "disputes", "list", "--pending"))
    assert pending.out.strip() == "没有待家长确认的消课"
