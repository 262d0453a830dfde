"""Tenant isolation: a second institution can neither read nor write the first one's data."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tests.server.conftest import Tenant
from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, charge, stats


def test_second_institution_sees_and_touches_nothing(
    client: httpx.Client,
    device: Device,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
    regulator: dict[str, str],
) -> None:
    cid = approved_course(device, client, regulator)
    bought = buy(client, regulator, device, cid, 10000)
    aid = new_id()
    charge(device, aid, 1000)
    url = f"/v1/parent/institutions/{device.institution_id}/refund-requests"
    rid = client.post(
        url, json={"contract_id": bought["contract_id"], "units": "1", "amount_fen": 1}, headers=regulator
    )
    intruder = make_device(make_tenant())

    # read: feed, snapshot, stats are empty for the intruder
    assert intruder.all_changes() == []
    snap = client.get("/v1/sync/snapshot", headers=intruder.headers).json()
    assert snap["rows"] == [] and snap["as_of_seq"] == 0
    assert stats(client, intruder)["escrow_held_fen"] == 0 and stats(client, intruder)["payments_fen"] == 0

    # write: the same ids land in the intruder's own namespace or are refused
    own = intruder.push_one("course", "update", cid, {"name": "hijack"}, base_version=2)
    assert own["status"] == "rejected"  # unknown in the intruder's institution
    assert intruder.push_one("course", entity_id=cid, payload={"name": "mine"})["status"] == "applied"
    steal = client.post(
        "/v1/sync/push",
        json={"device_id": device.device_id, "ops": [intruder.op("student")]},
        headers=intruder.headers,
    )
    assert steal.status_code == 404
    answer = client.post(
        f"/v1/refund-requests/{rid.json()['id']}/respond",
        json={"decision": "agree"},
        headers=intruder.headers,
    )
    assert answer.status_code == 404

    # the victim's data is untouched
    course_rows = [c for c in device.all_changes() if c["entity_id"] == cid]
    assert all(c["payload"]["name"] == "少儿美术" for c in course_rows)
    assert stats(client, device)["escrow_held_fen"] == 10000
    assert all(c["payload"].get("name") != "mine" for c in device.all_changes())


def test_parent_and_regulator_paths_check_the_institution(
    client: httpx.Client, device: Device, make_tenant: Callable[[], Tenant], regulator: dict[str, str]
) -> None:
    cid = approved_course(device, client, regulator)
    other = make_tenant()
    body = {
        "course_id": cid,
        "student": {"name": "a"},
        "guardian": {"name": "b"},
        "units": "1",
        "amount_fen": 1,
    }
    # the course belongs to the first institution: buying it "from" the second one finds nothing
    assert (
        client.post(f"/v1/parent/institutions/{other.id}/purchases", json=body, headers=regulator).status_code
        == 404
    )
    review = f"/v1/regulator/institutions/{other.id}/courses/{cid}/review"
    assert client.post(review, json={"decision": "reject"}, headers=regulator).status_code == 404
    unknown = f"/v1/parent/institutions/{new_id()}/complaints"
    assert client.post(unknown, json={"subject": "x", "text": "y"}, headers=regulator).status_code == 404


def test_a_review_cannot_name_another_institutions_contract_or_lesson(
    client: httpx.Client,
    device: Device,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
    regulator: dict[str, str],
) -> None:
    cid = approved_course(device, client, regulator)
    contract = buy(client, regulator, device, cid, 10000)["contract_id"]
    lesson = new_id()
    charge(device, lesson, 500)
    intruder = make_device(make_tenant())
    url = f"/v1/parent/institutions/{intruder.institution_id}/reviews"
    for body in ({"contract_id": contract}, {"attendance_id": lesson}, {"course_id": cid}):
        answer = client.post(url, json={**body, "rating": 1, "text": "差"}, headers=regulator)
        assert answer.status_code == 404, answer.text
    assert intruder.all_changes() == []
    assert not [c for c in device.all_changes() if c["entity"] == "review"]


def test_learn_first_owed_lessons_and_payments_stay_in_their_institution(
    client: httpx.Client,
    device: Device,
    make_tenant: Callable[[], Tenant],
    make_device: Callable[[Tenant], Device],
    regulator: dict[str, str],
) -> None:
    sid, cid = new_id(), new_id()
    device.push_one("student", entity_id=sid, payload={"name": "小红"})
    device.push_one("contract", entity_id=cid, payload={"student_id": sid, "billing": "pay_after"})
    entry = {
        "student_id": sid,
        "contract_id": cid,
        "kind": "lesson",
        "amount_fen": 15000,
        "lesson_date": "2026-03-03",
    }
    eid = new_id()
    assert device.push_one("receivable_entry", entity_id=eid, payload=entry)["status"] == "applied"
    intruder_tenant = make_tenant()
    intruder = make_device(intruder_tenant)

    # the other institution's parent path finds neither the student nor what it owes
    theirs = f"/v1/parent/institutions/{intruder_tenant.id}/students/{sid}"
    assert client.get(f"{theirs}/owed-lessons", headers=regulator).status_code == 404
    pay = {"amount_fen": 100, "lesson_entry_ids": [eid]}
    assert client.post(f"{theirs}/owed-payments", json=pay, headers=regulator).status_code == 404

    # the same entry id pushed by the intruder lands in its own namespace; the victim still owes in full
    stolen = intruder.push_one("receivable_entry", entity_id=eid, payload={**entry, "amount_fen": -15000})
    assert stolen["status"] == "applied"
    mine = f"/v1/parent/institutions/{device.institution_id}/students/{sid}"
    owed = client.get(f"{mine}/owed-lessons", headers=regulator).json()
    assert [(o["lesson_entry_id"], o["owed_fen"]) for o in owed] == [(eid, 15000)]
    assert not [c for c in intruder.all_changes() if c["entity"] in ("owed_payment", "student")]
