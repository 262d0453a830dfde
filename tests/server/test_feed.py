"""The change feed: keyset paging, other desks' changes, retention (410) and the snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx

from tests.server.conftest import LiveServer
from tests.server.helpers import Device


def test_pages_are_keyset_and_complete(device: Device) -> None:
    device.push([device.op("student", payload={"n": i}) for i in range(25)])
    seen, cursor, pages = [], 0, 0
    while True:
        page = device.changes(cursor, limit=10)
        seen += [c["server_seq"] for c in page["changes"]]
        cursor, pages = page["next_cursor"], pages + 1
        if not page["has_more"]:
            break
    assert seen == list(range(1, 26)) and pages == 3
    assert device.changes(cursor)["changes"] == []


def test_feed_includes_the_other_desks_changes_with_origin(device: Device, sibling: Device) -> None:
    device.push_one("student")
    sibling.push_one("student")
    origins = [c["origin_device_id"] for c in device.all_changes()]
    assert origins == [device.device_id, sibling.device_id]


def test_change_shape(device: Device) -> None:
    device.push_one("course", payload={"name": "钢琴", "price_fen": 12000})
    change = device.all_changes()[0]
    assert set(change) == {
        "server_seq",
        "entity",
        "entity_id",
        "op",
        "version",
        "payload",
        "origin_device_id",
    }
    assert change["payload"]["price_fen"] == 12000 and change["op"] == "insert" and change["version"] == 1


def test_rejected_ops_leave_no_gap_in_server_seq(device: Device) -> None:
    pay = device.op("payment", payload={"amount_fen": 0})
    device.push([pay, device.op("payment", "update", pay["entity_id"], {}, 1), device.op("student")])
    assert [c["server_seq"] for c in device.all_changes()] == [1, 2]


def test_old_cursor_needs_reset_and_snapshot_pages_current_state(
    server: LiveServer, client: httpx.Client, device: Device, regulator_login: Callable[[], dict[str, str]]
) -> None:
    sid = device.op("student", payload={"name": "旧名"})
    device.push([sid, *[device.op("student") for _ in range(4)]])
    device.push_one("student", "update", sid["entity_id"], {"name": "新名"}, base_version=1)
    server.clock.advance(dt.timedelta(days=31))
    device.renew()
    device.push_one("student")  # a recent change survives pruning
    pruned = client.post("/v1/admin/run-deadlines", headers=regulator_login()).json()["pruned_changes"]
    assert pruned >= 6
    gone = client.get("/v1/sync/changes", params={"cursor": 0}, headers=device.headers)
    assert gone.status_code == 410 and gone.json()["error"] == "reset_required"
    rows, cursor, as_of = [], 0, None
    while True:
        page = client.get(
            "/v1/sync/snapshot", params={"cursor": cursor, "limit": 4}, headers=device.headers
        ).json()
        as_of = page["as_of_seq"] if as_of is None else as_of
        rows += page["rows"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(rows) == 6 and as_of == 7
    assert {r["version"] for r in rows if r["entity_id"] == sid["entity_id"]} == {2}
    assert [r["payload"]["name"] for r in rows if r["entity_id"] == sid["entity_id"]] == ["新名"]
    assert [c["server_seq"] for c in device.changes(as_of - 1)["changes"]] == [7]
