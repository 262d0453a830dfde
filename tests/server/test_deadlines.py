"""Working-day deadlines with injected time: auto-confirm after 15, auto-agree after 5."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
import pytest

from platform_server.clock import SHANGHAI, add_working_days, is_workday
from tests.server.conftest import LiveServer
from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy, charge, stats

Regulator = Callable[[], dict[str, str]]


@pytest.mark.parametrize(
    ("day", "workday"),
    [("2026-01-04", True), ("2026-02-14", True), ("2026-10-10", True), ("2026-01-01", False),
     ("2026-02-18", False), ("2026-10-05", False), ("2026-09-25", False), ("2026-03-03", True)],
)  # fmt: skip
def test_official_calendar(day: str, workday: bool) -> None:
    assert is_workday(dt.date.fromisoformat(day)) is workday


def test_add_working_days_skips_holidays_and_counts_adjusted_weekends() -> None:
    assert add_working_days(dt.date(2026, 9, 24), 15) == dt.date(2026, 10, 22)
    assert add_working_days(dt.date(2026, 9, 24), 5) == dt.date(2026, 10, 9)
    assert add_working_days(dt.date(2099, 1, 2), 1) == dt.date(2099, 1, 5)  # beyond the library: weekdays


def _at(server: LiveServer, day: str) -> None:
    server.clock.set(dt.datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=SHANGHAI))


def _run(client: httpx.Client, regulator_login: Regulator) -> dict[str, int]:
    response = client.post("/v1/admin/run-deadlines", headers=regulator_login())
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


def test_unanswered_confirmation_is_auto_confirmed_after_15_working_days(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    _at(server, "2026-09-24")
    device.renew()
    buy(client, regulator_login(), device, approved_course(device, client, regulator_login()), 10000)
    aid = new_id()
    charge(device, aid, 2500)
    assert device.all_changes()[-1]["payload"]["deadline"] == "2026-10-22"
    _at(server, "2026-10-21")
    _run(client, regulator_login)
    device.renew()
    assert device.all_changes()[-1]["payload"]["status"] == "pending"
    _at(server, "2026-10-22")
    assert _run(client, regulator_login)["auto_confirmed"] >= 1
    device.renew()
    last = device.all_changes()[-2:]
    assert last[0]["payload"]["kind"] == "release" and last[0]["payload"]["amount_fen"] == 2500
    assert last[1]["payload"]["status"] == "auto_confirmed"
    assert stats(client, device)["escrow_held_fen"] == 7500
    assert _run(client, regulator_login)["auto_confirmed"] == 0  # applied once


def test_unanswered_refund_request_is_agreed_after_5_working_days(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Regulator
) -> None:
    _at(server, "2026-09-24")
    device.renew()
    bought = buy(client, regulator_login(), device, approved_course(device, client, regulator_login()), 9000)
    url = f"/v1/parent/institutions/{device.institution_id}/refund-requests"
    body = {"contract_id": bought["contract_id"], "units": "3", "amount_fen": 3000, "reason": "搬家"}
    req = client.post(url, json=body, headers=regulator_login()).json()
    assert req["deadline"] == "2026-10-09"
    _at(server, "2026-10-08")
    _run(client, regulator_login)
    flags = client.get("/v1/regulator/institutions", headers=regulator_login()).json()
    assert next(i for i in flags if i["id"] == device.institution_id)["refunds_overdue"] == 0
    _at(server, "2026-10-09")
    _run(client, regulator_login)
    device.renew()
    assert device.all_changes()[-1]["payload"]["status"] == "auto_agreed"
    assert stats(client, device)["escrow_held_fen"] == 6000
    late = client.post(
        f"/v1/refund-requests/{req['id']}/respond", json={"decision": "reject"}, headers=device.headers
    )
    assert late.status_code == 409
