"""消课 disputes answered by the institution: the roll-call record or a reversed charge, within the
confirmation window; the parent's and the regulator's side; other institutions' disputes out of reach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx

from platform_server.clock import SHANGHAI
from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, charge, decide, stats

RECORD: dict[str, Any] = {
    "lesson_date": "2026-09-24",
    "lesson_time": "16:30",
    "course_name": "少儿美术",
    "class_name": "周四美术班",
    "teacher_name": "王老师",
    "called_by": "front",
    "called_at": "2026-09-24T08:35:00Z",
    "student_status": "present",
    "units": "1",
    "class_list": [
        {"name": "李小明", "status": "present", "disputed": True},
        {"name": "张*", "status": "late", "disputed": False},
    ],
}


def _at(server: LiveServer, when: str) -> None:
    """Set the platform's clock to a Shanghai wall-clock time (``YYYY-MM-DD`` means 10:00)."""
    stamp = when if "T" in when else f"{when}T10:00:00"
    server.clock.set(dt.datetime.fromisoformat(stamp).replace(tzinfo=SHANGHAI))


def _disputed(client: httpx.Client, regulator: dict[str, str], device: Device, fen: int = 4000) -> str:
    """A bought package, one charged lesson, disputed by the parent; returns the attendance id."""
    buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    aid = new_id()
    charge(device, aid, fen)
    response = decide(client, regulator, device, aid, "dispute")
    assert response.status_code == 200 and response.json()["status"] == "disputed"
    return aid


def _confirmation(device: Device, attendance_id: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [
        c["payload"]
        for c in device.all_changes()
        if c["entity"] == "consumption_confirmation" and c["payload"]["attendance_id"] == attendance_id
    ]
    return rows[-1]


def _answer(
    client: httpx.Client, device: Device, conf_id: str, decision: str = "roll_call"
) -> httpx.Response:
    body: dict[str, Any] = {"decision": decision, "text": "点名记录如下"}
    if decision == "roll_call":
        body["record"] = RECORD
    return client.post(f"/v1/consumption-confirmations/{conf_id}/answer", json=body, headers=device.headers)


def _parent_view(
    client: httpx.Client, regulator: dict[str, str], institution_id: str, aid: str
) -> httpx.Response:
    return client.get(f"/v1/parent/institutions/{institution_id}/consumptions/{aid}", headers=regulator)


def _run_deadlines(client: httpx.Client, regulator: dict[str, str]) -> dict[str, Any]:
    response = client.post("/v1/admin/run-deadlines", headers=regulator)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_roll_call_answer_reaches_the_parent_and_the_regulator_and_the_parent_may_escalate(
    server: LiveServer, client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    _at(server, "2026-09-24")
    aid = _disputed(client, regulator, device)
    conf = _confirmation(device, aid)
    assert conf["deadline"] == "2026-10-22"  # 15 working days, the 国庆 week not counted
    answered = _answer(client, device, conf["id"])
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "answered" and body["answer_kind"] == "roll_call"
    assert body["answer_record"]["called_by"] == "front" and len(body["answer_record"]["class_list"]) == 2
    assert body["deadline"] == "2026-10-22"  # the parent's new window: 15 working days from today
    assert body["reason"] == "家长操作"  # the parent's dispute stays on record
    synced = _confirmation(device, aid)
    assert synced["status"] == "answered" and synced["answer_record"] == body["answer_record"]
    seen = _parent_view(client, regulator, device.institution_id, aid).json()
    assert seen["answer_record"]["student_status"] == "present" and seen["answer_text"] == "点名记录如下"
    listed = client.get(f"/v1/regulator/institutions/{device.institution_id}/disputes", headers=regulator)
    assert [d["status"] for d in listed.json()] == ["answered"]
    assert decide(client, regulator, device, aid, "dispute").status_code == 409  # no second dispute
    escalated = decide(client, regulator, device, aid, "escalate")
    assert escalated.status_code == 200 and escalated.json()["status"] == "escalated"
    assert escalated.json()["parent_reply"] == "家长操作" and escalated.json()["reason"] == "家长操作"
    assert stats(client, device)["escrow_released_fen"] == 0  # the regulator decides; nothing released
    assert _answer(client, device, conf["id"]).status_code == 409


def test_answer_is_taken_until_the_window_ends_and_refused_exactly_at_its_end(
    server: LiveServer, client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    _at(server, "2026-09-24")
    first, second = _disputed(client, regulator, device), _disputed(client, regulator, device)
    deadline = _confirmation(device, first)["deadline"]
    assert deadline == "2026-10-22"
    _at(server, "2026-10-21T23:59:59")  # the last second of the window (Shanghai)
    device.renew()
    assert _answer(client, device, _confirmation(device, first)["id"]).status_code == 200
    _at(server, "2026-10-22T00:00:00")  # the window's end: the platform's date reached the deadline
    device.renew()
    late = _answer(client, device, _confirmation(device, second)["id"])
    assert late.status_code == 409 and late.json()["status"] == "escalated"  # before the deadline run
    assert _run_deadlines(client, regulator)["escalated"] == 1  # unanswered: to the regulator
    closed = _confirmation(device, second)
    assert closed["status"] == "escalated" and closed["parent_reply"] == "机构逾期未答复异议,已转监管部门处理"
    assert closed["reason"] == "家长操作"


def test_answer_after_auto_confirmation_is_refused_and_a_silent_parent_confirms_an_answer(
    server: LiveServer, client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    _at(server, "2026-09-24")
    buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    pending = new_id()
    charge(device, pending, 3000)
    answered = _disputed(client, regulator, device, 2000)
    conf_id = _confirmation(device, answered)["id"]
    assert _answer(client, device, conf_id).status_code == 200
    _at(server, "2026-10-22")
    device.renew()
    assert _run_deadlines(client, regulator)["auto_confirmed"] == 2  # the pending one and the answered one
    refused = _answer(client, device, _confirmation(device, pending)["id"])
    assert refused.status_code == 409 and refused.json()["status"] == "auto_confirmed"
    assert _answer(client, device, conf_id).status_code == 409
    closed = _confirmation(device, answered)
    assert closed["status"] == "auto_confirmed" and closed["answer_kind"] == "roll_call"
    assert stats(client, device)["escrow_released_fen"] == 5000


def test_reversal_keeps_the_money_held_once_and_reclaims_a_released_lesson(
    server: LiveServer, client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    _at(server, "2026-09-24")
    aid = _disputed(client, regulator, device, 4000)
    conf_id = _confirmation(device, aid)["id"]
    reversed_ = _answer(client, device, conf_id, "reverse")
    assert reversed_.status_code == 200 and reversed_.json()["status"] == "reversed"
    twice = _answer(client, device, conf_id, "reverse")
    assert twice.status_code == 409 and twice.json()["status"] == "reversed"
    assert decide(client, regulator, device, aid, "confirm").status_code == 409
    totals = stats(client, device)
    assert totals["escrow_released_fen"] == 0 and totals["escrow_held_fen"] == 20000
    # a lesson auto-confirmed (released) before the institution gave the charge back: the escrow takes
    # the released amount back
    late = new_id()
    charge(device, late, 3000)
    _at(server, "2026-10-22")
    device.renew()
    _run_deadlines(client, regulator)
    assert stats(client, device)["escrow_held_fen"] == 17000
    assert _answer(client, device, _confirmation(device, late)["id"], "reverse").status_code == 200
    reclaim = [c["payload"] for c in device.all_changes() if c["entity"] == "escrow_entry"][-1]
    assert reclaim["kind"] == "reclaim" and reclaim["amount_fen"] == 3000 and reclaim["balance_fen"] == 20000
    totals = stats(client, device)
    assert totals["escrow_held_fen"] == 20000 and totals["escrow_released_fen"] == 0
    assert _answer(client, device, _confirmation(device, late)["id"], "reverse").status_code == 409
    listed = client.get(f"/v1/regulator/institutions/{device.institution_id}/disputes", headers=regulator)
    assert sorted(d["status"] for d in listed.json()) == ["reversed", "reversed"]


def test_roll_call_answer_needs_its_record_and_a_dispute(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    aid = new_id()
    charge(device, aid, 1000)
    conf_id = _confirmation(device, aid)["id"]
    bare = client.post(
        f"/v1/consumption-confirmations/{conf_id}/answer",
        json={"decision": "roll_call"},
        headers=device.headers,
    )
    assert bare.status_code == 422
    not_disputed = _answer(client, device, conf_id)
    assert not_disputed.status_code == 409 and not_disputed.json()["status"] == "pending"
    assert _answer(client, device, new_id()).status_code == 404


def test_another_institution_cannot_answer_read_or_list_a_dispute(
    client: httpx.Client,
    device: Device,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
    regulator: dict[str, str],
) -> None:
    aid = _disputed(client, regulator, device)
    conf_id = _confirmation(device, aid)["id"]
    other = make_device(make_tenant())
    for decision in ("roll_call", "reverse"):
        response = _answer(client, other, conf_id, decision)
        assert response.status_code == 404, response.text
    assert _parent_view(client, regulator, other.institution_id, aid).status_code == 404
    listed = client.get(f"/v1/regulator/institutions/{other.institution_id}/disputes", headers=regulator)
    assert listed.status_code == 200 and listed.json() == []
    assert client.get("/v1/regulator/institutions/nope/disputes", headers=regulator).status_code == 404
    assert _parent_view(client, regulator, "nope", aid).status_code == 404
    # the institution's own token does not open the regulator's or the parent's side
    assert (
        client.get(f"/v1/regulator/institutions/{device.institution_id}/disputes", headers=device.headers)
    ).status_code in (401, 403)
    assert _parent_view(client, device.headers, device.institution_id, aid).status_code in (401, 403)
    assert _confirmation(device, aid)["status"] == "disputed"  # untouched
    assert _answer(client, device, conf_id).status_code == 200


def test_a_lesson_charged_again_after_a_withdrawal_starts_without_the_old_dispute(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    aid = _disputed(client, regulator, device)
    conf_id = _confirmation(device, aid)["id"]
    assert _answer(client, device, conf_id).status_code == 200
    charge(device, aid, 4000, op="update", charged=False)  # the desk undoes the lesson: withdrawn
    assert _confirmation(device, aid)["status"] == "cancelled"
    charge(device, aid, 4000, op="update")  # and calls it again: a new charge to confirm
    fresh = _confirmation(device, aid)
    assert fresh["status"] == "pending" and fresh["reason"] is None
    assert fresh["answer_kind"] is None and fresh["answer_record"] is None and fresh["answered_at"] is None
    seen = _parent_view(client, regulator, device.institution_id, aid).json()
    assert seen["answer_record"] is None and seen["status"] == "pending"
    assert decide(client, regulator, device, aid, "dispute").json()["status"] == "disputed"
    assert _answer(client, device, conf_id).status_code == 200  # the new dispute is answered afresh
