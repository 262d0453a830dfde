"""Regulator review and background checks, parent purchases, complaints and reviews flowing down."""

from __future__ import annotations

import httpx

from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, charge


def test_course_review_flows_down_as_a_platform_change(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    cid = new_id()
    device.push_one("course", entity_id=cid, payload={"name": "编程", "review_status": "pending"})
    pending = client.get("/v1/regulator/courses/pending", headers=regulator).json()
    assert {"course_id": cid, "institution_id": device.institution_id}.items() <= next(
        p for p in pending if p["course_id"] == cid
    ).items()
    url = f"/v1/regulator/institutions/{device.institution_id}/courses/{cid}/review"
    assert client.post(
        url, json={"decision": "reject", "reason": "课时安排超时"}, headers=regulator
    ).json() == {
        "entity": "course",
        "entity_id": cid,
        "version": 2,
    }
    change = device.all_changes()[-1]
    assert change["origin_device_id"] is None and change["op"] == "update"
    assert (
        change["payload"]["review_status"] == "rejected"
        and change["payload"]["review_reason"] == "课时安排超时"
    )
    assert client.post(url, json={"decision": "approve"}, headers=regulator).status_code == 409
    # resubmitting after a rejection is the client's publish move
    again = device.push_one(
        "course", "update", cid, {"name": "编程", "review_status": "pending"}, base_version=2
    )
    assert again["status"] == "applied" and device.all_changes()[-1]["payload"]["review_status"] == "pending"
    assert cid not in [p["course_id"] for p in pending if p["institution_id"] != device.institution_id]


def test_background_check_result_flows_down_and_sticks(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    sid = new_id()
    device.push_one("staff", entity_id=sid, payload={"name": "钱老师", "background_check": "submitted"})
    url = f"/v1/regulator/institutions/{device.institution_id}/staff/{sid}/background-check"
    assert (
        client.post(
            url, json={"result": "failed", "note": "无犯罪记录证明缺失"}, headers=regulator
        ).status_code
        == 200
    )
    change = device.all_changes()[-1]
    assert change["payload"]["background_check"] == "failed" and change["origin_device_id"] is None
    edit = device.push_one(
        "staff", "update", sid, {"name": "钱老师", "background_check": "passed"}, base_version=2
    )
    assert edit["status"] == "applied" and "background_check" in edit["reason"]
    assert device.all_changes()[-1]["payload"]["background_check"] == "failed"


def test_purchase_creates_rows_that_flow_down_and_escrow(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    cid = approved_course(device, client, regulator)
    bought = buy(client, regulator, device, cid, 180000)
    platform = [c for c in device.all_changes() if c["origin_device_id"] is None]
    entities = [c["entity"] for c in platform]
    assert entities[-6:] == ["student", "guardian", "contract", "payment", "ledger_entry", "escrow_entry"]
    contract = next(c["payload"] for c in platform if c["entity"] == "contract")
    assert contract["id"] == bought["contract_id"] and contract["amount_fen"] == 180000
    escrow = platform[-1]["payload"]
    assert (
        escrow["kind"] == "deposit"
        and escrow["amount_fen"] == 180000
        and escrow["ref_id"] == bought["payment_id"]
    )


def test_purchase_of_unapproved_course_is_refused(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    cid = new_id()
    device.push_one("course", entity_id=cid, payload={"name": "奥数", "review_status": "draft"})
    body = {
        "course_id": cid,
        "student": {"name": "a"},
        "guardian": {"name": "b"},
        "units": "1",
        "amount_fen": 1,
    }
    url = f"/v1/parent/institutions/{device.institution_id}/purchases"
    assert client.post(url, json=body, headers=regulator).status_code == 409
    assert client.post(url, json=body).status_code == 401  # the parent simulation needs a regulator token


def test_complaints_and_reviews_flow_down_and_raise_a_flag(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    cid = approved_course(device, client, regulator)
    base = f"/v1/parent/institutions/{device.institution_id}"
    complaint = client.post(
        f"{base}/complaints", json={"subject": "退费慢", "text": "两周未处理"}, headers=regulator
    )
    review = client.post(
        f"{base}/reviews", json={"course_id": cid, "rating": 5, "text": "好"}, headers=regulator
    )
    assert complaint.status_code == review.status_code == 200
    last_two = device.all_changes()[-2:]
    assert [c["entity"] for c in last_two] == ["complaint", "review"]
    assert last_two[0]["payload"]["status"] == "open" and last_two[1]["payload"]["rating"] == 5
    listed = client.get("/v1/regulator/institutions", headers=regulator).json()
    mine = next(i for i in listed if i["id"] == device.institution_id)
    assert mine["open_complaints"] == 1 and "complaints" in mine["risk_flags"]


def test_a_review_may_name_the_contract_and_lesson_it_is_about(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    """The links let the institution attribute the review to a class and teacher; the course defaults
    to the contract's, and a review without links keeps the payload it always had."""
    cid = approved_course(device, client, regulator)
    contract = buy(client, regulator, device, cid, 10000)["contract_id"]
    lesson = new_id()
    charge(device, lesson, 500)
    base = f"/v1/parent/institutions/{device.institution_id}/reviews"
    linked = client.post(
        base, json={"contract_id": contract, "attendance_id": lesson, "rating": 4}, headers=regulator
    )
    plain = client.post(base, json={"course_id": cid, "rating": 3}, headers=regulator)
    assert linked.status_code == plain.status_code == 200
    reviews = [c["payload"] for c in device.all_changes() if c["entity"] == "review"]
    assert reviews[0]["contract_id"] == contract and reviews[0]["attendance_id"] == lesson
    assert reviews[0]["course_id"] == cid and reviews[0]["rating"] == 4
    assert "contract_id" not in reviews[1] and "attendance_id" not in reviews[1]


def test_a_review_naming_an_unknown_contract_or_lesson_is_refused(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    base = f"/v1/parent/institutions/{device.institution_id}/reviews"
    for link in ("contract_id", "attendance_id"):
        answer = client.post(base, json={link: new_id(), "rating": 5}, headers=regulator)
        assert answer.status_code == 404, answer.text
    assert not [c for c in device.all_changes() if c["entity"] == "review"]
