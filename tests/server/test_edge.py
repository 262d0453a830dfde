"""Limits and errors at the edge: 413, 422 with the field, 500 without a traceback, 404/405 shape."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from platform_server.app import create_app
from tests.server.conftest import LiveServer
from tests.server.helpers import Device


def test_body_over_the_limit_is_413(device: Device) -> None:
    big = [device.op("student", payload={"blob": "x" * 3000}) for _ in range(800)]
    response = device.client.post(
        "/v1/sync/push", json={"device_id": device.device_id, "ops": big}, headers=device.headers
    )
    assert response.status_code == 413 and response.json()["error"] == "payload_too_large"


def test_chunked_body_over_the_limit_is_413(device: Device) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"device_id": "x", "ops": ['
        for _ in range(3000):
            yield b'{"seq": 1, "op_id": "' + b"y" * 1000 + b'"},'
        yield b"]}"

    response = device.client.post(
        "/v1/sync/push", content=chunks(), headers={**device.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_too_many_ops_is_422(device: Device) -> None:
    ops = [device.op("student") for _ in range(1001)]
    body = device.push(ops, expect=422)
    assert ["body", "ops"] in [f["loc"] for f in body["fields"]]


def test_bad_query_parameter_is_422(device: Device) -> None:
    response = device.client.get("/v1/sync/changes", params={"cursor": "-1"}, headers=device.headers)
    assert response.status_code == 422 and response.json()["fields"][0]["loc"] == ["query", "cursor"]


def test_unknown_route_and_method_share_the_error_shape(device: Device) -> None:
    assert device.client.get("/v1/nothing").json()["error"] == "not_found"
    assert device.client.delete("/v1/meta").json()["error"] == "method_not_allowed"


@pytest.fixture
def crashing(live: LiveServer) -> Iterator[TestClient]:
    router = APIRouter()

    @router.get("/v1/test-crash")
    def crash() -> None:
        raise RuntimeError("secret internal detail")

    app = create_app(live.rt.settings, clock=live.clock, engine=live.engine)  # keep the shared app clean
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as tc:
        yield tc


def test_unhandled_error_is_a_plain_500_with_request_id(crashing: TestClient) -> None:
    response = crashing.get("/v1/test-crash")
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal" and body["request_id"] == response.headers["x-request-id"]
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
