"""Shared steps for the regulator and parent tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.helpers import Device, new_id


def approved_course(device: Device, client: httpx.Client, regulator: dict[str, str]) -> str:
    cid = new_id()
    device.push_one("course", entity_id=cid, payload={"name": "少儿美术", "review_status": "pending"})
    url = f"/v1/regulator/institutions/{device.institution_id}/courses/{cid}/review"
    response = client.post(url, json={"decision": "approve"}, headers=regulator)
    assert response.status_code == 200, response.text
    return cid


def buy(
    client: httpx.Client, regulator: dict[str, str], device: Device, course_id: str, fen: int
) -> dict[str, Any]:
    body = {
        "course_id": course_id,
        "student": {"name": "小明"},
        "guardian": {"name": "明妈", "phone": "13800000000"},
        "units": "20",
        "amount_fen": fen,
        "channel": "wechat",
    }
    response = client.post(
        f"/v1/parent/institutions/{device.institution_id}/purchases", json=body, headers=regulator
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def charge(device: Device, attendance_id: str, fen: int, op: str = "insert", charged: bool = True) -> None:
    payload = {"status": "present", "charged": charged, "units": "1", "amount_fen": fen}
    assert device.push_one("attendance", op, attendance_id, payload)["status"] == "applied"


def decide(
    client: httpx.Client, regulator: dict[str, str], device: Device, attendance_id: str, decision: str
) -> httpx.Response:
    url = f"/v1/parent/institutions/{device.institution_id}/consumptions/{attendance_id}/decision"
    return client.post(url, json={"decision": decision, "reason": "家长操作"}, headers=regulator)


def stats(client: httpx.Client, device: Device, **params: str) -> dict[str, Any]:
    response = client.get("/v1/stats", params=params, headers=device.headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result
