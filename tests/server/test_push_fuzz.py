"""Property-based fuzzing of ``POST /v1/sync/push`` (issue 11 item 5): whatever the payloads hold — wrong
types, NaN and infinities, integers past 2^63, lone surrogates, lists where the platform reads a status —
the server never answers 5xx, and every batch it accepts has one result per op."""

from __future__ import annotations

import json
import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.helpers import Device

ENTITIES = [
    "attendance", "payment", "refund", "ledger_entry", "contract", "course", "staff", "student",
    "lesson_session", "klass", "refund_request", "complaint", "no_such_entity",
]  # fmt: skip
FIELDS = [
    "amount_fen", "units", "charged", "status", "review_status", "background_check", "price_fen", "name",
    "refund_request_id", "fee_fen", "total_units", "method", "channel", "units_per_lesson", "paid_at",
    "lesson_date", "id", "minutes_per_lesson",
]  # fmt: skip
#: the next seq each fuzzed device must send (hypothesis runs all examples on one device)
NEXT_SEQ: dict[str, int] = {}
ROW_IDS = [str(uuid.UUID(int=n)) for n in range(1, 6)]  # a few shared ids reach the update paths

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**53 - 2, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(exclude_categories=()), max_size=12)  # surrogates included
    | st.sampled_from(["1.50", "-3", "1e999", "NaN", "approved", "passed", "2026-03-01", "", "a\x00b"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
payloads = st.none() | st.dictionaries(
    st.sampled_from(FIELDS) | st.text(st.characters(exclude_categories=()), max_size=6), values, max_size=6
)


@st.composite
def batches(draw: st.DrawFn) -> list[dict[str, Any]]:
    ops = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        ops.append(
            {
                "op_id": str(uuid.uuid4()),
                "entity": draw(st.sampled_from(ENTITIES)),
                "entity_id": draw(st.sampled_from(ROW_IDS) | st.uuids().map(str)),
                "op": draw(st.sampled_from(["insert", "update", "delete"])),
                "base_version": draw(st.none() | st.integers(min_value=0, max_value=4)),
                "payload": draw(payloads),
            }
        )
    return ops


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=batches())
def test_push_never_answers_5xx(device: Device, ops: list[dict[str, Any]]) -> None:
    first = NEXT_SEQ.setdefault(device.device_id, 1)
    for offset, op in enumerate(ops):
        op["seq"] = first + offset
    # Python's encoder writes NaN/Infinity and \\ud800 escapes, as a buggy client's JSON library might
    body = json.dumps({"device_id": device.device_id, "ops": ops}, allow_nan=True).encode()
    headers = {**device.headers, "Content-Type": "application/json"}
    response = device.client.post("/v1/sync/push", content=body, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        results = response.json()["results"]
        assert [r["op_id"] for r in results] == [op["op_id"] for op in ops]
        NEXT_SEQ[device.device_id] = first + len(ops)
    else:
        assert response.status_code in (409, 422), response.text
