"""A hostile or buggy client must never break the platform for others (issue 11 items 4, 5, 6, 8).

Amounts and units are bounded at the API, a malformed payload is that op's ``rejected`` result with a
reason (the rest of the batch and the device's next batches go on), sums cannot overflow, an approved
course that changes what parents buy goes back to review, and ``/v1/stats`` takes only real dates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import orjson
import pytest

from platform_server.models import EscrowEntry
from platform_server.payloads import MAX_FEN
from tests.server.conftest import LiveServer
from tests.server.helpers import Device, new_id
from tests.server.platform_fixtures import approved_course, buy

HUGE = 2**63 - 1


def _push_raw(device: Device, body: bytes) -> httpx.Response:
    headers = {**device.headers, "Content-Type": "application/json"}
    return device.client.post("/v1/sync/push", content=body, headers=headers)


def test_huge_payments_are_rejected_and_the_regulator_list_still_answers(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    ops = [device.op("payment", payload={"amount_fen": HUGE, "method": "cash"}) for _ in range(2)]
    results = device.push(ops)["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all("amount_fen" in r["reason"] for r in results)
    assert client.get("/v1/regulator/institutions", headers=regulator).status_code == 200
    assert client.get("/v1/stats", headers=device.headers).status_code == 200
    limit = device.push_one("payment", payload={"amount_fen": MAX_FEN, "method": "cash"})
    assert limit["status"] == "applied"


def test_sums_of_rows_stored_before_the_limits_cannot_overflow(
    server: LiveServer, client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    """Two deposits of 2^63 - 1 written straight into the database (as an older server would have)."""
    now = server.clock.now()
    with server.rt.sessionmaker() as session:
        for _ in range(2):
            session.add(
                EscrowEntry(
                    id=new_id(),
                    institution_id=device.institution_id,
                    kind="deposit",
                    amount_fen=HUGE,
                    requested_fen=HUGE,
                    ref_entity="payment",
                    ref_id=new_id(),
                    on_date=now.date(),
                    created_at=now,
                )
            )
        session.commit()
    listed = client.get("/v1/regulator/institutions", headers=regulator)
    assert listed.status_code == 200, listed.text
    mine = next(i for i in listed.json() if i["id"] == device.institution_id)
    assert mine["escrow_held_fen"] == 2 * MAX_FEN
    assert client.get("/v1/stats", headers=device.headers).status_code == 200
    # and the institution can still answer a parent's refund request (its escrow balance is summed)
    bought = buy(client, regulator, device, approved_course(device, client, regulator), 20000)
    body = {"contract_id": bought["contract_id"], "units": "4", "amount_fen": 9000, "reason": "搬家"}
    url = f"/v1/parent/institutions/{device.institution_id}/refund-requests"
    request_id = client.post(url, json=body, headers=regulator).json()["id"]
    answer = client.post(
        f"/v1/refund-requests/{request_id}/respond", json={"decision": "agree"}, headers=device.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "agreed" and answer.json()["returned_fen"] == 9000


MALFORMED: list[tuple[str, dict[str, Any]]] = [
    ("attendance", {"charged": True, "amount_fen": "15000", "units": "1.00"}),
    ("attendance", {"charged": True, "amount_fen": [15000], "units": "1.00"}),
    ("attendance", {"charged": True, "amount_fen": 15000.5, "units": "1.00"}),
    ("attendance", {"charged": True, "amount_fen": 15000, "units": "1.333"}),
    ("attendance", {"charged": True, "amount_fen": -1, "units": "1.00"}),
    ("attendance", {"charged": "yes", "amount_fen": 15000}),
    ("attendance", {"charged": False, "undone": "yes"}),
    ("course", {"name": "编程", "review_status": ["approved"]}),
    ("staff", {"name": "李老师", "background_check": ["passed"]}),
    ("payment", {"amount_fen": 2**64, "method": "cash"}),
    ("student", {"name": "小明", "note": 2**63}),
    ("refund", {"amount_fen": 100, "units": "99999999"}),
    ("course", {"name": "编程", "price_fen": MAX_FEN + 1}),
]


@pytest.mark.parametrize(
    ("entity", "payload"), MALFORMED, ids=[f"{e}-{i}" for i, (e, _) in enumerate(MALFORMED)]
)
def test_a_malformed_payload_is_rejected_alone(device: Device, entity: str, payload: dict[str, Any]) -> None:
    bad = device.op(entity, payload=payload)
    good = device.op("student", payload={"name": "小红"})
    results = device.push([bad, good])["results"]
    assert results[0]["status"] == "rejected" and results[0]["reason"]
    assert results[1]["status"] == "applied"
    assert device.push_one("student", payload={"name": "小刚"})["status"] == "applied"  # the queue goes on


RAW_PAYLOADS = {
    "nan": b'{"charged": true, "amount_fen": NaN}',
    "infinity": b'{"charged": true, "amount_fen": Infinity}',
    "minus-infinity": b'{"amount_fen": -Infinity}',
    "lone-surrogate": b'{"name": "\\ud800"}',
    "surrogate-key": b'{"\\udfff": 1}',
    "nul-text": b'{"note": "a\\u0000b"}',
    "nul-reference": b'{"amount_fen": 10, "refund_request_id": "r\\u0000"}',
    "int-2-63": b'{"amount_fen": 9223372036854775808}',
    "nesting-255": b'{"note": ' + b"[" * 255 + b"]" * 255 + b"}",
    "nesting-900": b'{"note": ' + b"[" * 900 + b"]" * 900 + b"}",
}


@pytest.mark.parametrize("name", sorted(RAW_PAYLOADS))
def test_payloads_json_cannot_store_are_rejected_per_op(device: Device, name: str) -> None:
    bad = device.op("attendance")
    good = device.op("student", payload={"name": "小红"})
    marker = b'"__payload__"'
    bad["payload"] = "__payload__"
    ops = orjson.dumps({"device_id": device.device_id, "ops": [bad, good]})
    response = _push_raw(device, ops.replace(marker, RAW_PAYLOADS[name], 1))
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["status"] == "rejected" and results[0]["reason"]
    assert results[1]["status"] == "applied"
    assert device.push_one("student", payload={"name": "小刚"})["status"] == "applied"


def test_nul_outside_payloads_is_refused_before_it_reaches_the_database(
    client: httpx.Client, device: Device
) -> None:
    """PostgreSQL text cannot hold NUL: in an id, a login field or the URL it is a clear 4xx, never a 500."""
    op = device.op("student")
    body = orjson.dumps({"device_id": device.device_id, "ops": [{**op, "entity_id": "__id__"}]})
    assert _push_raw(device, body.replace(b'"__id__"', b'"ab\\u0000c"')).status_code == 422
    login = {"uscc": device.uscc, "password": "x-password", "device_name": "前台\x00"}
    assert client.post("/v1/auth/login", json=login).status_code == 422
    url = "/v1/refund-requests/a%00b/respond"
    answer = client.post(url, json={"decision": "agree"}, headers=device.headers)
    assert answer.status_code == 400 and answer.json()["error"] == "bad_request"
    assert (
        client.get("/v1/sync/changes", params={"check": "a\x00"}, headers=device.headers).status_code == 400
    )


def test_a_body_too_deep_to_parse_is_a_clear_400(device: Device) -> None:
    """Deeper than the JSON reader goes (no client row can be): the request is refused, never a 500."""
    body = b'{"device_id": "x", "ops": [' + b"[" * 5000 + b"]" * 5000 + b"]}"
    response = _push_raw(device, body)
    assert response.status_code == 400 and response.json()["error"] == "bad_request"


def test_a_lone_surrogate_in_an_id_is_a_clear_422(device: Device) -> None:
    op = device.op("student")
    body = orjson.dumps({"device_id": device.device_id, "ops": [{**op, "op_id": "__id__"}]})
    response = _push_raw(device, body.replace(b'"__id__"', b'"\\ud800"'))
    assert response.status_code == 422 and response.json()["error"] == "validation_error"


def test_an_approved_course_that_changes_what_parents_buy_goes_back_to_review(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    for change in ({"price_fen": 99900}, {"units_per_lesson": "2.00"}, {"name": "少儿美术(新)"}):
        cid = approved_course(device, client, regulator)
        payload = {"name": "少儿美术", "review_status": "approved", **change}
        result = device.push_one("course", "update", cid, payload, base_version=2)
        assert result["status"] == "applied" and "review" in result["reason"]
        assert device.all_changes()[-1]["payload"]["review_status"] == "pending"
        pending = client.get("/v1/regulator/courses/pending", headers=regulator).json()
        assert cid in [p["course_id"] for p in pending]


def test_an_approved_course_edited_elsewhere_stays_approved(
    client: httpx.Client, device: Device, regulator: dict[str, str]
) -> None:
    cid = approved_course(device, client, regulator)
    payload = {"name": "少儿美术", "review_status": "approved", "description": "周六上午"}
    result = device.push_one("course", "update", cid, payload, base_version=2)
    assert result["status"] == "applied"
    assert device.all_changes()[-1]["payload"]["review_status"] == "approved"


@pytest.mark.parametrize("value", ["0", "1700000000", "2026-02-30", "2026-3-1", "today"])
def test_stats_dates_must_be_dates(client: httpx.Client, device: Device, value: str) -> None:
    for name in ("from", "to"):
        response = client.get("/v1/stats", params={name: value}, headers=device.headers)
        assert response.status_code == 422, (name, value, response.text)
        assert response.json()["error"] == "validation_error"


def test_stats_take_iso_dates(client: httpx.Client, device: Device) -> None:
    day = dt.date(2026, 3, 1).isoformat()
    body = client.get("/v1/stats", params={"from": day, "to": day}, headers=device.headers).json()
    assert body["from_date"] == body["to_date"] == day


def test_openapi_documents_the_payload_limits(client: httpx.Client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    amount = schemas["PaymentPayload"]["properties"]["amount_fen"]["anyOf"][0]
    assert amount["maximum"] == MAX_FEN and amount["minimum"] == -MAX_FEN
    assert "AttendancePayload" in schemas and "CoursePayload" in schemas
