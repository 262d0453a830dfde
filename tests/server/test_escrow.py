"""Fund supervision: deposit, release once per lesson, refunds, never negative; stats reconcile."""

from __future__ import annotations

import httpx

from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, charge, decide, stats


def test_confirmed_lesson_is_released_once_however_often_pushed(
    client: httpx.Client, device: Device, sibling: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 100000)
    aid = new_id()
    charge(device, aid, 5000)
    conf = device.all_changes()[-1]
    assert conf["entity"] == "consumption_confirmation" and conf["payload"]["status"] == "pending"
    assert decide(client, regulator, device, aid, "confirm").json()["status"] == "confirmed"
    for desk in (device, sibling, device):
        charge(desk, aid, 5000, op="update")
    assert decide(client, regulator, device, aid, "confirm").status_code == 409
    totals = stats(client, device)
    assert totals["escrow_released_fen"] == 5000 and totals["escrow_held_fen"] == 95000
    assert (
        totals["lessons_consumed"] == 1
        and totals["consumption_fen"] == 5000
        and totals["units_consumed"] == "1"
    )


def test_release_is_capped_at_the_balance_and_flagged(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 3000)
    aid = new_id()
    charge(device, aid, 5000)
    decide(client, regulator, device, aid, "confirm")
    release = device.all_changes()[-2]["payload"]
    assert release["kind"] == "release" and release["amount_fen"] == 3000 and release["capped"] is True
    assert stats(client, device)["escrow_held_fen"] == 0
    mine = next(
        i
        for i in client.get("/v1/regulator/institutions", headers=regulator).json()
        if i["id"] == device.institution_id
    )
    assert "escrow_shortfall" in mine["risk_flags"] and mine["escrow_held_fen"] == 0


def test_disputed_lesson_is_not_released_and_undo_cancels(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 10000)
    aid = new_id()
    charge(device, aid, 4000)
    assert decide(client, regulator, device, aid, "dispute").json()["status"] == "disputed"
    assert stats(client, device)["escrow_released_fen"] == 0
    charge(device, aid, 4000, op="update", charged=False)  # the desk undoes the roll call
    assert device.all_changes()[-1]["payload"]["status"] == "cancelled"
    assert decide(client, regulator, device, aid, "confirm").status_code == 409


def test_refund_request_agreed_by_the_institution_returns_money_once(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    bought = buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    url = f"/v1/parent/institutions/{device.institution_id}/refund-requests"
    req = client.post(
        url, json={"contract_id": bought["contract_id"], "units": "4", "amount_fen": 8000}, headers=regulator
    )
    assert req.status_code == 200 and req.json()["status"] == "requested"
    rid = req.json()["id"]
    assert device.all_changes()[-1]["payload"]["status"] == "requested"
    answer = client.post(
        f"/v1/refund-requests/{rid}/respond", json={"decision": "agree"}, headers=device.headers
    )
    assert answer.json()["status"] == "agreed" and answer.json()["returned_fen"] == 8000
    again = client.post(
        f"/v1/refund-requests/{rid}/respond", json={"decision": "agree"}, headers=device.headers
    )
    assert again.status_code == 409
    # the desk's own refund row for the same request does not return the money twice
    device.push_one(
        "refund", payload={"amount_fen": 8000, "refund_request_id": rid, "contract_id": bought["contract_id"]}
    )
    totals = stats(client, device)
    assert totals["escrow_returned_fen"] == 8000 and totals["escrow_held_fen"] == 12000
    assert totals["refunds_fen"] == 8000 and totals["payments_fen"] == 20000


def test_pushed_payment_deposits_and_stats_filter_by_date(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    device.push_one(
        "payment", payload={"amount_fen": 50000, "channel": "alipay", "paid_at": "2026-03-02T02:00:00Z"}
    )
    device.push_one("payment", payload={"amount_fen": 7000, "method": "cash", "paid_on": "2026-04-10"})
    device.push_one("payment", payload={"amount_fen": 999})  # no channel: not prepaid through the platform
    march = stats(client, device, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert march["payments_fen"] == 50000
    assert stats(client, device)["payments_fen"] == 57999
    assert stats(client, device)["escrow_deposited_fen"] == 57000


def test_recharged_lesson_reopens_its_confirmation_with_the_new_amount(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    buy(client, regulator, device, approved_course(device, client, regulator), 10000)
    aid = new_id()
    charge(device, aid, 4000)
    first = device.all_changes()[-1]["payload"]
    charge(device, aid, 4500, op="update")  # a pending request follows the amount
    assert device.all_changes()[-1]["payload"] == {**first, "amount_fen": 4500}
    charge(device, aid, 4500, op="update", charged=False)
    cancelled = device.all_changes()[-1]["payload"]
    assert cancelled["status"] == "cancelled" and cancelled["decided_at"] is not None
    charge(device, aid, 3000, op="update")  # charged again: the same request reopens
    reopened = device.all_changes()[-1]["payload"]
    assert reopened["id"] == first["id"] and reopened["status"] == "pending"
    assert reopened["amount_fen"] == 3000 and reopened["decided_at"] is None
    assert decide(client, regulator, device, aid, "confirm").json()["amount_fen"] == 3000
    assert stats(client, device)["escrow_released_fen"] == 3000
