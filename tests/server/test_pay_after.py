"""先学后付 on the platform: no escrow for these lessons, the parent's payment of owed lessons, and the
payloads of the new entities."""

from __future__ import annotations

from typing import Any

import httpx

from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, decide, stats

PRICE = 15_000


def learn_first(device: Device, student_id: str | None = None) -> tuple[str, str]:
    """A student and a 先学后付 contract pushed by the desk."""
    sid = student_id or new_id()
    assert device.push_one("student", entity_id=sid, payload={"name": "小红"})["status"] == "applied"
    cid = new_id()
    contract = {
        "student_id": sid,
        "billing": "pay_after",
        "lesson_price_fen": PRICE,
        "fee_fen": 0,
        "total_units": "0",
    }
    assert device.push_one("contract", entity_id=cid, payload=contract)["status"] == "applied"
    return sid, cid


def owe_lesson(device: Device, sid: str, cid: str, day: str) -> tuple[str, str]:
    """The desk's roll call of one lesson: the charged attendance and its lesson entry, in one batch."""
    aid, eid = new_id(), new_id()
    attendance = {"status": "present", "charged": True, "units": "1", "amount_fen": PRICE, "contract_id": cid}
    entry = {"student_id": sid, "contract_id": cid, "kind": "lesson", "amount_fen": PRICE, "lesson_date": day,
             "attendance_id": aid}  # fmt: skip
    results = device.push(
        [
            device.op("attendance", "insert", aid, attendance),
            device.op("receivable_entry", "insert", eid, entry),
        ]
    )
    assert [r["status"] for r in results["results"]] == ["applied", "applied"]
    return aid, eid


def parent(device: Device, sid: str) -> str:
    return f"/v1/parent/institutions/{device.institution_id}/students/{sid}"


def test_a_learn_first_lesson_holds_and_releases_no_escrow(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 100_000)
    sid, cid = learn_first(device)
    aid, _ = owe_lesson(device, sid, cid, "2026-03-03")
    conf = [c for c in device.all_changes() if c["entity"] == "consumption_confirmation"][-1]["payload"]
    assert conf["attendance_id"] == aid and conf["pay_after"] is True and conf["status"] == "pending"
    assert decide(client, regulator, device, aid, "confirm").json()["status"] == "confirmed"
    totals = stats(client, device)
    assert totals["escrow_released_fen"] == 0 and totals["escrow_held_fen"] == 100_000
    assert not [
        c for c in device.all_changes() if c["entity"] == "escrow_entry" and c["payload"]["kind"] == "release"
    ]


def test_a_prepaid_lesson_beside_it_is_still_released(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    bought = buy(client, regulator, device, approved_course(device, client, regulator), 100_000)
    aid = new_id()
    payload = {
        "status": "present",
        "charged": True,
        "units": "1",
        "amount_fen": 5000,
        "contract_id": bought["contract_id"],
    }
    assert device.push_one("attendance", "insert", aid, payload)["status"] == "applied"
    conf = device.all_changes()[-1]["payload"]
    assert conf["pay_after"] is False
    decide(client, regulator, device, aid, "confirm")
    assert stats(client, device)["escrow_released_fen"] == 5000


def test_a_dispute_of_a_learn_first_lesson_is_possible(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    sid, cid = learn_first(device)
    aid, _ = owe_lesson(device, sid, cid, "2026-03-03")
    assert decide(client, regulator, device, aid, "dispute").json()["status"] == "disputed"


def test_the_parent_pays_the_oldest_lessons_and_the_rows_flow_down(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    sid, cid = learn_first(device)
    _, first = owe_lesson(device, sid, cid, "2026-03-03")
    _, second = owe_lesson(device, sid, cid, "2026-03-10")
    owed = client.get(f"{parent(device, sid)}/owed-lessons", headers=regulator).json()
    assert [(o["lesson_entry_id"], o["owed_fen"]) for o in owed] == [(first, PRICE), (second, PRICE)]
    held = stats(client, device)["escrow_held_fen"]
    paid = client.post(f"{parent(device, sid)}/owed-payments", json={"amount_fen": 20_000}, headers=regulator)
    assert paid.status_code == 200, paid.text
    body: dict[str, Any] = paid.json()
    assert body["paid"] == [
        {"lesson_entry_id": first, "amount_fen": PRICE},
        {"lesson_entry_id": second, "amount_fen": 5000},
    ]
    assert body["still_owed_fen"] == 2 * PRICE - 20_000
    down = [c for c in device.all_changes() if c["entity"] in ("owed_payment", "receivable_entry")]
    payment = next(c["payload"] for c in down if c["entity"] == "owed_payment")
    assert (
        payment["amount_fen"] == 20_000
        and payment["method"] == "platform"
        and payment["source"] == "platform"
    )
    entries = [
        c["payload"] for c in down if c["entity"] == "receivable_entry" and c["payload"]["kind"] == "payment"
    ]
    assert sorted(e["amount_fen"] for e in entries) == [-PRICE, -5000]
    assert all(e["payment_id"] == payment["id"] and e["student_id"] == sid for e in entries)
    assert stats(client, device)["escrow_held_fen"] == held  # nothing prepaid, nothing deposited
    left = client.get(f"{parent(device, sid)}/owed-lessons", headers=regulator).json()
    assert [(o["lesson_entry_id"], o["owed_fen"]) for o in left] == [(second, 10_000)]


def test_paying_more_than_owed_or_nothing_is_refused(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    sid, cid = learn_first(device)
    _, first = owe_lesson(device, sid, cid, "2026-03-03")
    url = f"{parent(device, sid)}/owed-payments"
    too_much = client.post(url, json={"amount_fen": PRICE + 1}, headers=regulator)
    assert too_much.status_code == 422 and too_much.json()["error"] == "overpayment"
    for amount in (0, -1):
        assert client.post(url, json={"amount_fen": amount}, headers=regulator).status_code == 422
    unknown = client.post(url, json={"amount_fen": 1, "lesson_entry_ids": [new_id()]}, headers=regulator)
    assert unknown.status_code == 404
    exact = client.post(url, json={"amount_fen": PRICE, "lesson_entry_ids": [first]}, headers=regulator)
    assert exact.status_code == 200
    assert client.post(url, json={"amount_fen": 1}, headers=regulator).status_code == 422
    assert client.get(f"{parent(device, sid)}/owed-lessons", headers=regulator).json() == []


def test_a_reversed_lesson_is_no_longer_owed(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    sid, cid = learn_first(device)
    aid, first = owe_lesson(device, sid, cid, "2026-03-03")
    reverse = {"student_id": sid, "contract_id": cid, "kind": "reverse", "amount_fen": -PRICE,
               "lesson_date": "2026-03-03", "attendance_id": aid, "lesson_entry_id": first}  # fmt: skip
    assert device.push_one("receivable_entry", payload=reverse)["status"] == "applied"
    assert client.get(f"{parent(device, sid)}/owed-lessons", headers=regulator).json() == []


def test_payloads_of_the_new_entities_are_checked(device: Device) -> None:
    sid, cid = learn_first(device)
    bad_kind = {"student_id": sid, "contract_id": cid, "kind": "gift", "amount_fen": 1}
    assert device.push_one("receivable_entry", payload=bad_kind)["status"] == "rejected"
    no_money = {"student_id": sid, "amount_fen": 0, "method": "cash", "receipt_no": "A1-2026-000001"}
    assert device.push_one("owed_payment", payload=no_money)["status"] == "rejected"
    bad_billing = {"student_id": sid, "billing": "credit"}
    assert device.push_one("contract", payload=bad_billing)["status"] == "rejected"
    eid = new_id()
    entry = {
        "student_id": sid,
        "contract_id": cid,
        "kind": "lesson",
        "amount_fen": PRICE,
        "lesson_date": "2026-03-03",
    }
    assert device.push_one("receivable_entry", entity_id=eid, payload=entry)["status"] == "applied"
    assert (
        device.push_one("receivable_entry", "update", eid, {**entry, "amount_fen": 1})["status"] == "rejected"
    )


def test_the_same_lesson_entry_from_a_second_desk_is_not_a_problem(device: Device, sibling: Device) -> None:
    sid, cid = learn_first(device)
    eid = new_id()
    entry = {
        "student_id": sid,
        "contract_id": cid,
        "kind": "lesson",
        "amount_fen": PRICE,
        "lesson_date": "2026-03-03",
    }
    assert device.push_one("receivable_entry", entity_id=eid, payload=entry)["status"] == "applied"
    again = sibling.push_one("receivable_entry", entity_id=eid, payload=entry)
    assert again["status"] == "applied" and "其他前台" in again["reason"]
    other = sibling.push_one("receivable_entry", entity_id=eid, payload={**entry, "amount_fen": 1})
    assert other["status"] == "rejected"
    assert len([c for c in device.all_changes() if c["entity_id"] == eid]) == 1
