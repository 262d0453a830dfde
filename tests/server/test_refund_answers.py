"""A pushed refund that names a platform refund request answers it: agreed, money returned once, and the
5-working-day deadline no longer applies. Runs on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx

from platform_server.clock import SHANGHAI
from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, stats

Regulator = Callable[[], dict[str, str]]


def _at(server: LiveServer, day: str) -> None:
    server.clock.set(dt.datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=SHANGHAI))


def _request(
    client: httpx.Client, regulator: dict[str, str], device: Device, contract_id: str, fen: int
) -> str:
    url = f"/v1/parent/institutions/{device.institution_id}/refund-requests"
    body = {"contract_id": contract_id, "units": "4", "amount_fen": fen, "reason": "搬家"}
    response = client.post(url, json=body, headers=regulator)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _refund(contract_id: str, fen: int, request_id: str | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"contract_id": contract_id, "amount_fen": fen, "source": "platform"}
    if request_id is not None:
        payload["refund_request_id"] = request_id
    return payload


def _request_changes(device: Device, request_id: str) -> list[dict[str, Any]]:
    return [c["payload"] for c in device.all_changes() if c["entity_id"] == request_id]


def test_pushed_refund_agrees_the_request_and_returns_once(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    _at(server, "2026-09-24")
    device.renew()
    bought = buy(client, regulator_login(), device, approved_course(device, client, regulator_login()), 20000)
    rid = _request(client, regulator_login(), device, bought["contract_id"], 9000)
    refund = _refund(bought["contract_id"], 7500, rid)  # the desk's own quote, not the parent's figure
    batch = device.push([device.op("refund", payload=refund), device.op("refund", payload=refund)])
    assert [r["status"] for r in batch["results"]] == ["applied", "applied"]  # two desks, one request
    answered = _request_changes(device, rid)[-1]
    assert answered["status"] == "agreed" and answered["returned_fen"] == 7500
    assert answered["response_reason"] == "机构已办理退费" and answered["decided_at"] is not None
    assert len(_request_changes(device, rid)) == 2  # requested, agreed: decided once
    assert stats(client, device)["escrow_returned_fen"] == 7500
    late = client.post(
        f"/v1/refund-requests/{rid}/respond", json={"decision": "reject"}, headers=device.headers
    )
    assert late.status_code == 409 and late.json()["status"] == "agreed"
    _at(server, "2026-10-20")  # well past the deadline (2026-10-09)
    response = client.post("/v1/admin/run-deadlines", headers=regulator_login())
    assert response.status_code == 200 and response.json()["auto_agreed"] == 0
    device.renew()
    totals = stats(client, device)
    assert totals["escrow_returned_fen"] == 7500 and totals["escrow_held_fen"] == 12500
    assert _request_changes(device, rid)[-1]["status"] == "agreed"


def test_refund_of_nothing_still_answers_and_capped_return_is_what_moved(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    course = approved_course(device, client, regulator)
    first, second = buy(client, regulator, device, course, 3000), buy(client, regulator, device, course, 2000)
    nothing = _request(client, regulator, device, first["contract_id"], 1000)
    capped = _request(client, regulator, device, second["contract_id"], 2000)
    device.push(
        [
            device.op("refund", payload=_refund(first["contract_id"], 0, nothing)),
            device.op("refund", payload=_refund(second["contract_id"], 9000, capped)),  # > 5000 held
        ]
    )
    assert _request_changes(device, nothing)[-1]["status"] == "agreed"
    assert _request_changes(device, nothing)[-1]["returned_fen"] == 0
    assert _request_changes(device, capped)[-1]["returned_fen"] == 5000
    assert stats(client, device)["escrow_held_fen"] == 0


def test_only_open_requests_of_the_same_institution_are_answered(
    client: httpx.Client,
    device: Device,
    regulator: dict[str, str],
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
) -> None:
    bought = buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    rejected = _request(client, regulator, device, bought["contract_id"], 1000)
    answer = {"decision": "reject", "reason": "课程已过半"}
    assert client.post(
        f"/v1/refund-requests/{rejected}/respond", json=answer, headers=device.headers
    ).is_success
    other = make_device(make_tenant())
    theirs = buy(client, regulator, other, approved_course(other, client, regulator), 5000)
    foreign = _request(client, regulator, other, theirs["contract_id"], 1000)
    device.push(
        [
            device.op("refund", payload=_refund(bought["contract_id"], 1000, rejected)),
            device.op("refund", payload=_refund(bought["contract_id"], 1000, foreign)),
            device.op("refund", payload=_refund(bought["contract_id"], 1000, new_id())),  # unknown id
            device.op("refund", payload=_refund(bought["contract_id"], 1000, None)),
        ]
    )
    assert _request_changes(device, rejected)[-1]["status"] == "rejected"
    assert [c["status"] for c in _request_changes(other, foreign)] == ["requested"]
    assert stats(client, other)["escrow_held_fen"] == 5000
