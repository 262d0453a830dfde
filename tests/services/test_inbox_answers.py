"""Refusing a platform refund request at the desk: checks, the stored answer, its audit entry, and how the
inbox and the carry-out action treat a request with an answer (the sending is in tests/sync)."""

from __future__ import annotations

import json

import pytest

from app.db import Database
from app.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from app.services.inbox import carry_out_refund_request, refuse_refund_request
from app.views.inbox import count_inbox, refund_answers
from localdb.codes import AnswerState
from localdb.models import SyncOutbox
from localdb.models_platform import PlatformInbox, RefundAnswer
from tests.services.factory import DESK, MANAGER, World, audits, count, enroll


def _request(db: Database, request_id: str, contract_id: str, status: str = "requested") -> None:
    payload = {"id": request_id, "contract_id": contract_id, "status": status, "reason": "搬家"}
    with db.transaction() as session:
        session.add(
            PlatformInbox(
                entity="refund_request",
                entity_id=request_id,
                version=1,
                status=status,
                related_id=contract_id,
                amount_fen=50_000,
                payload=json.dumps(payload, ensure_ascii=False),
            )
        )


def test_refusal_is_checked_stored_audited_and_never_captured(world: World) -> None:
    db = world.db
    contract = enroll(world, world.students[0]).contract_id
    _request(db, "rr-1", contract)
    outbox_before = count(db, SyncOutbox)
    with pytest.raises(PermissionDenied):
        refuse_refund_request(db, DESK, "rr-1", "不退")
    with pytest.raises(ValidationError) as empty:
        refuse_refund_request(db, MANAGER, "rr-1", "")
    assert empty.value.code == "inbox.reason_required" and "理由" in str(empty.value)
    with pytest.raises(ValidationError) as long:
        refuse_refund_request(db, MANAGER, "rr-1", "长" * 2001)
    assert long.value.code == "inbox.reason_too_long" and long.value.params["limit"] == 2000
    with pytest.raises(NotFound):
        refuse_refund_request(db, MANAGER, "no-such-request", "不退")
    assert count_inbox(db, MANAGER, "refund") == 1
    refuse_refund_request(db, MANAGER, "rr-1", "课程已过半")
    assert count_inbox(db, MANAGER, "refund") == 0
    [answer] = refund_answers(db, MANAGER)
    assert (answer.decision, answer.reason, answer.state, answer.created_by) == (
        "reject",
        "课程已过半",
        "pending",
        "manager",
    )
    assert audits(db, "inbox.refuse_refund") == 1
    assert count(db, SyncOutbox) == outbox_before  # a local-only table: nothing is captured
    with pytest.raises(RuleViolation) as twice:
        refuse_refund_request(db, MANAGER, "rr-1", "再拒绝一次")
    assert twice.value.code == "inbox.already_refused" and "待同步" in str(twice.value)
    with pytest.raises(RuleViolation) as carried:
        carry_out_refund_request(db, MANAGER, "rr-1")
    assert carried.value.code == "inbox.already_refused"


def test_only_a_request_awaiting_an_answer_can_be_refused(world: World) -> None:
    db = world.db
    first = enroll(world, world.students[0]).contract_id
    second = enroll(world, world.students[1]).contract_id
    _request(db, "rr-agreed", first, status="auto_agreed")
    _request(db, "rr-booked", second)
    with pytest.raises(RuleViolation) as decided:
        refuse_refund_request(db, MANAGER, "rr-agreed", "不退")
    assert decided.value.code == "inbox.refund_not_requested" and "逾期视为同意" in str(decided.value)
    carry_out_refund_request(db, MANAGER, "rr-booked")
    with pytest.raises(RuleViolation) as booked:
        refuse_refund_request(db, MANAGER, "rr-booked", "不退")
    assert booked.value.code == "inbox.refund_already_booked"


def test_a_failed_refusal_may_be_made_again_a_late_one_may_not(world: World) -> None:
    db = world.db
    contract = enroll(world, world.students[0]).contract_id
    _request(db, "rr-failed", contract)
    _request(db, "rr-late", contract)
    for rid in ("rr-failed", "rr-late"):
        refuse_refund_request(db, MANAGER, rid, "第一次")
    with db.transaction() as session:  # what sync.answers records for the two outcomes
        failed, late = session.get(RefundAnswer, "rr-failed"), session.get(RefundAnswer, "rr-late")
        assert failed is not None and late is not None
        failed.state, failed.attempts = AnswerState.FAILED, 1
        failed.last_error = "监管平台拒绝了请求(not_found)"
        late.state, late.server_status = AnswerState.CONFLICT, "auto_agreed"
    assert {a.request_id: a.state for a in refund_answers(db, MANAGER)} == {
        "rr-failed": "failed",
        "rr-late": "conflict",
    }
    assert count_inbox(db, MANAGER, "refund") == 2  # both back in the inbox with their outcome
    again = refuse_refund_request(db, MANAGER, "rr-failed", "第二次")
    assert again.state == "pending"
    [pending] = refund_answers(db, MANAGER, ("pending",))
    assert (pending.reason, pending.attempts, pending.last_error) == ("第二次", 0, None)
    with pytest.raises(RuleViolation) as late_again:
        refuse_refund_request(db, MANAGER, "rr-late", "第二次")
    assert late_again.value.code == "inbox.answer_too_late" and "逾期视为同意" in str(late_again.value)
