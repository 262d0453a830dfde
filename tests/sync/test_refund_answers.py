"""Answering platform refund requests end to end: agreeing by carrying out (the pushed refund answers the
request, escrow returned once, no auto-agree later) and refusing (offline first, sent by the next sync,
already-decided requests kept as an outcome, malformed replies never lose the answer)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.db import Database
from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.permissions import SYSTEM_ACTOR, Actor, Role
from app.services.inbox import carry_out_refund_request, refuse_refund_request
from app.views.inbox import count_inbox, list_inbox, refund_answers
from sync.engine import SyncEngine
from tests.sync.faults import FaultTransport
from tests.sync.helpers import engine_for, problems, scalar, seed_rows
from tests.sync.server import LiveServer

RESPOND = "/v1/refund-requests/"
FRONT_DESK = Actor("u-desk", "desk1", Role.FRONT_DESK)


def _platform(server: LiveServer) -> str:
    return f"/v1/parent/institutions/{server.institution_id}"


def _desk_with_orders(
    server: LiveServer, db: Database, engine: SyncEngine, n: int = 1, fen: int = 400000
) -> list[dict[str, Any]]:
    """A synced desk whose course parents bought ``n`` packages of on the platform."""
    ctx = seed_rows(db)
    with db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE course SET review_status = 'pending'")
    engine.sync_once()
    review = f"/v1/regulator/institutions/{server.institution_id}/courses/{ctx['course']}/review"
    server.call("POST", review, json={"decision": "approve"})
    return [
        server.call(
            "POST",
            f"{_platform(server)}/purchases",
            json={
                "course_id": ctx["course"],
                "student": {"name": f"王小明{i}", "phone": "13900000000"},
                "guardian": {"name": "王父"},
                "units": "20",
                "amount_fen": fen,
                "channel": "wechat",
            },
        )
        for i in range(n)
    ]


def _ask_refund(server: LiveServer, contract_id: str, fen: int = 100000) -> str:
    body = {"contract_id": contract_id, "units": "5", "amount_fen": fen, "reason": "搬家"}
    return str(server.call("POST", f"{_platform(server)}/refund-requests", json=body)["id"])


def _server_request(server: LiveServer, request_id: str) -> dict[str, Any]:
    with server.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT status, response_reason, returned_fen FROM refund_request WHERE id = ?", (request_id,)
        ).one()
    return {"status": row[0], "response_reason": row[1], "returned_fen": row[2]}


def _returns(server: LiveServer, request_id: str) -> list[int]:
    """The escrow returns made for a refund request (the seed data has a refund of its own)."""
    with server.engine.connect() as conn:
        sql = "SELECT amount_fen FROM escrow_entry WHERE kind = 'return' AND ref_id = ?"
        return [int(r[0]) for r in conn.exec_driver_sql(sql, (request_id,))]


def _run_deadlines(server: LiveServer, days: int) -> dict[str, Any]:
    server.advance(days)
    return server.run_deadlines()


def _local_status(db: Database, request_id: str) -> str:
    sql = f"SELECT status FROM platform_inbox WHERE entity = 'refund_request' AND entity_id = '{request_id}'"
    return str(scalar(db, sql))


def test_carrying_out_agrees_the_request_and_money_is_returned_once(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    ea = engine_for(a, server, "a")
    [order] = _desk_with_orders(server, a, ea)
    rid = _ask_refund(server, order["contract_id"])
    ea.sync_once()
    assert count_inbox(a, SYSTEM_ACTOR, "refund") == 1
    result = carry_out_refund_request(a, SYSTEM_ACTOR, rid)
    assert result.amount_fen > 0 and count_inbox(a, SYSTEM_ACTOR, "refund") == 0
    ea.sync_once()
    assert problems(a) == []
    answered = _server_request(server, rid)
    assert answered == {
        "status": "agreed",
        "response_reason": "机构已办理退费",
        "returned_fen": result.amount_fen,
    }
    assert _returns(server, rid) == [result.amount_fen]
    assert _local_status(a, rid) == "agreed"  # the pull of the same cycle brought the answer down
    assert _run_deadlines(server, 30)["auto_agreed"] == 0
    assert _returns(server, rid) == [result.amount_fen]
    assert _server_request(server, rid)["status"] == "agreed"
    ea.sync_once()
    assert count_inbox(a, SYSTEM_ACTOR, "refund") == 0 and problems(a) == []


def test_refusal_offline_is_kept_and_sent_by_the_next_sync(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults)
    [order] = _desk_with_orders(server, a, ea)
    rid = _ask_refund(server, order["contract_id"])
    ea.sync_once()
    with pytest.raises(PermissionDenied):
        refuse_refund_request(a, FRONT_DESK, rid, "课程已过半")
    with pytest.raises(ValidationError) as empty:
        refuse_refund_request(a, SYSTEM_ACTOR, rid, "  ")
    assert empty.value.code == "inbox.reason_required"
    refused = refuse_refund_request(a, SYSTEM_ACTOR, rid, " 课程已过半，按合同不予退费 ")
    assert refused.reason == "课程已过半，按合同不予退费" and refused.state == "pending"
    assert count_inbox(a, SYSTEM_ACTOR, "refund") == 0  # nothing more to do at the desk
    with pytest.raises(RuleViolation) as twice:
        refuse_refund_request(a, SYSTEM_ACTOR, rid, "再次拒绝")
    assert twice.value.code == "inbox.already_refused"
    with pytest.raises(RuleViolation):
        carry_out_refund_request(a, SYSTEM_ACTOR, rid)
    faults.arm(RESPOND, "reset_before")  # the network drops exactly when the answer goes out
    ea.sync_once()  # the cycle itself succeeds: the pull still runs
    [waiting] = refund_answers(a, SYSTEM_ACTOR)
    assert (waiting.state, waiting.attempts) == ("pending", 1) and "sync.offline" in (
        waiting.last_error or ""
    )
    assert _server_request(server, rid)["status"] == "requested"
    ea.sync_once()
    assert _server_request(server, rid) == {
        "status": "rejected", "response_reason": "课程已过半，按合同不予退费", "returned_fen": 0,
    }  # fmt: skip
    assert refund_answers(a, SYSTEM_ACTOR) == []
    [sent] = refund_answers(a, SYSTEM_ACTOR, ("sent",))
    assert sent.server_status == "rejected" and sent.attempts == 2
    assert _local_status(a, rid) == "rejected" and _returns(server, rid) == []
    assert _run_deadlines(server, 30)["auto_agreed"] == 0 and _returns(server, rid) == []


def test_refusing_an_already_decided_request_is_kept_as_an_outcome_not_retried(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    faults = FaultTransport()
    ea = engine_for(a, server, "a", faults)
    [order] = _desk_with_orders(server, a, ea)
    rid = _ask_refund(server, order["contract_id"], 100000)
    ea.sync_once()
    assert _run_deadlines(server, 14)["auto_agreed"] == 1  # the desk was silent: agreed, money returned
    refuse_refund_request(a, SYSTEM_ACTOR, rid, "不同意")  # the desk has not synced since
    ea.sync_once()
    [late] = refund_answers(a, SYSTEM_ACTOR)
    assert (late.state, late.server_status) == ("conflict", "auto_agreed")
    assert _local_status(a, rid) == "auto_agreed"
    [item] = list_inbox(a, SYSTEM_ACTOR, "refund", 0, 10, server.clock.today())
    assert (item.item_id, item.status, item.answer_state) == (rid, "auto_agreed", "conflict")
    with pytest.raises(RuleViolation) as again:
        refuse_refund_request(a, SYSTEM_ACTOR, rid, "还是不同意")
    assert again.value.code == "inbox.answer_too_late"
    before = sum(path.startswith(RESPOND) for path in faults.seen)  # one answer (+ a 401 retry)
    ea.sync_once()
    ea.sync_once()
    assert sum(path.startswith(RESPOND) for path in faults.seen) == before  # never resent
    assert _returns(server, rid) == [100000]
    result = carry_out_refund_request(a, SYSTEM_ACTOR, rid)  # book locally what the platform returned
    ea.sync_once()
    assert _returns(server, rid) == [100000] and result.amount_fen > 0
    assert _server_request(server, rid)["status"] == "auto_agreed" and problems(a) == []


def _spoiling(server: LiveServer, spoil: list[bytes]) -> httpx.MockTransport:
    """The real server behind a MockTransport that replaces the next answers to ``respond`` (after the
    server committed them) by the bodies in ``spoil``."""
    real = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])

    def handle(request: httpx.Request) -> httpx.Response:
        response = real.handle_request(request)
        body = response.read()
        response.close()
        if request.url.path.startswith(RESPOND) and spoil:
            return httpx.Response(200, content=spoil.pop(0))
        return httpx.Response(response.status_code, headers=response.headers, content=body)

    return httpx.MockTransport(handle)


def test_a_malformed_reply_to_an_answer_does_not_lose_it(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    spoil = [b'{"id": "', b'{"unexpected": true}']
    ea = engine_for(a, server, "a", _spoiling(server, spoil))
    first, second = _desk_with_orders(server, a, ea, n=2)
    one, two = _ask_refund(server, first["contract_id"]), _ask_refund(server, second["contract_id"])
    ea.sync_once()
    refuse_refund_request(a, SYSTEM_ACTOR, one, "理由一")
    refuse_refund_request(a, SYSTEM_ACTOR, two, "理由二")
    ea.sync_once()  # both committed on the server, both replies spoiled
    assert spoil == []
    kept = refund_answers(a, SYSTEM_ACTOR)
    assert {(k.request_id, k.state) for k in kept} == {(one, "pending"), (two, "pending")}
    assert all("sync.bad_reply" in (k.last_error or "") for k in kept)
    ea.sync_once()  # resent: the platform says "already rejected", which is what we asked for
    assert refund_answers(a, SYSTEM_ACTOR) == []
    sent = {s.request_id: s for s in refund_answers(a, SYSTEM_ACTOR, ("sent",))}
    assert {rid: sent[rid].server_status for rid in (one, two)} == {one: "rejected", two: "rejected"}
    assert _server_request(server, one)["response_reason"] == "理由一"
    assert _server_request(server, two)["response_reason"] == "理由二"
    assert _local_status(a, one) == _local_status(a, two) == "rejected"
