"""``instdesk inbox``: list platform items, agree to (carry out) and refuse refund requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import ADMIN_PASSWORD, DESK_PASSWORD
from tests.cli.runner import run
from tests.cli.test_workflow import _ok, _setup
from tests.rawdb import raw_connect


def _refund_request(db: Path, request_id: str, contract_id: str) -> None:
    """What the sync engine stores when the platform sends a parent's refund request."""
    payload = {"id": request_id, "contract_id": contract_id, "status": "requested", "reason": "搬家"}
    with raw_connect(db) as conn:
        conn.execute(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, amount_fen,"
            " deadline, payload) VALUES ('refund_request', ?, 1, 'requested', ?, 100000, '2099-01-05', ?)",
            (request_id, contract_id, json.dumps(payload, ensure_ascii=False)),
        )


def test_refund_requests_are_listed_refused_and_agreed(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _setup(capsys, db_path)
    admin, desk = ("--user", "admin"), ("--user", "desk1")
    _refund_request(db_path, "rr-refuse", ids["contract"])
    _refund_request(db_path, "rr-agree", ids["contract"])
    monkeypatch.setenv("INSTDESK_PASSWORD", DESK_PASSWORD)
    listed = _ok(run(capsys, db_path, *desk, "inbox", "list", "--kind", "refund"))
    lines = [line.split("\t") for line in listed.out.splitlines()]
    assert [line[:3] for line in lines] == [
        ["rr-refuse", "退费申请", "待答复"],
        ["rr-agree", "退费申请", "待答复"],
    ]
    assert lines[0][3:6] == ["张三", lines[0][4], "1,000.00 元"] and "工作日" in lines[0][6]
    denied = run(capsys, db_path, *desk, "inbox", "refund-refuse", "rr-refuse", "--reason", "不退")
    assert denied.code == 1 and "权限不足" in denied.err
    monkeypatch.setenv("INSTDESK_PASSWORD", ADMIN_PASSWORD)
    empty = run(capsys, db_path, *admin, "inbox", "refund-refuse", "rr-refuse", "--reason", " ")
    assert empty.code == 1 and "请填写拒绝退费的理由" in empty.err
    refused = _ok(
        run(capsys, db_path, *admin, "inbox", "refund-refuse", "rr-refuse", "--reason", "课程已过半")
    )
    assert refused.first_id == "rr-refuse" and "下次同步时发送给平台" in refused.out
    again = run(capsys, db_path, *admin, "inbox", "refund-refuse", "rr-refuse", "--reason", "再次")
    assert again.code == 1 and "已拒绝" in again.err
    agreed = _ok(run(capsys, db_path, *admin, "inbox", "refund-agree", "rr-agree"))
    assert "已同意并退费 2,880.00 元（24 课时）" in agreed.out
    after = _ok(run(capsys, db_path, *admin, "inbox", "list"))
    assert "rr-agree" not in after.out
    assert "退费答复（1 条待同步或未生效）" in after.out
    assert "rr-refuse\t拒绝\t待同步\t课程已过半" in after.out
    with raw_connect(db_path) as conn:
        [(count,)] = conn.execute("SELECT count(*) FROM refund WHERE platform_request_id = 'rr-agree'")
    assert count == 1
