"""Login, refresh rotation and reuse, logout, expiry, the login throttle, protocol handshake."""

from __future__ import annotations

import datetime as dt

import httpx

from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import Device, bearer, login


def test_meta_states_protocol_and_retention(client: httpx.Client) -> None:
    body = client.get("/v1/meta").json()
    assert body["protocol_min"] == 1 and body["protocol_max"] == 1
    assert body["retention_days"] == 30 and body["schema_version"] >= 1
    assert body["server_time"].endswith("Z")


def test_login_returns_tokens_and_device(client: httpx.Client, tenant: Tenant) -> None:
    body = login(client, tenant.uscc.lower()).json()
    assert set(body) >= {"access_token", "refresh_token", "expires_in", "device_id"}
    assert body["expires_in"] == 15 * 60
    assert client.get("/v1/sync/changes", headers=bearer(body["access_token"])).status_code == 200


def test_wrong_password_and_unknown_account_look_the_same(client: httpx.Client, tenant: Tenant) -> None:
    wrong = login(client, tenant.uscc, "nope-nope")
    unknown = login(client, "91350100M000100Y43X", "nope-nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"] == "invalid_credentials"


def test_refresh_rotates_and_reuse_revokes_the_family(client: httpx.Client, device: Device) -> None:
    first = client.post("/v1/auth/refresh", json={"refresh_token": device.refresh_token})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != device.refresh_token and rotated["device_id"] == device.device_id
    # the desk used the rotated token: it had the answer, so the old token coming back is a stolen copy
    second = client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert second.status_code == 200
    newest = second.json()
    reuse = client.post("/v1/auth/refresh", json={"refresh_token": device.refresh_token})
    assert reuse.status_code == 401 and reuse.json()["reason"] == "reused"
    # the whole family is gone: the newest token and its access token no longer work
    assert client.post("/v1/auth/refresh", json={"refresh_token": newest["refresh_token"]}).status_code == 401
    assert client.get("/v1/sync/changes", headers=bearer(newest["access_token"])).status_code == 401


def test_logout_revokes_the_device(client: httpx.Client, device: Device) -> None:
    assert client.post("/v1/auth/logout", headers=device.headers).status_code == 200
    assert client.get("/v1/sync/changes", headers=device.headers).status_code == 401
    assert client.post("/v1/auth/refresh", json={"refresh_token": device.refresh_token}).status_code == 401
    assert device.push([device.op("student")], expect=401)["error"] == "unauthorized"


def test_access_token_expires_and_refresh_renews(
    server: LiveServer, client: httpx.Client, device: Device
) -> None:
    server.clock.advance(dt.timedelta(minutes=16))
    assert client.get("/v1/sync/changes", headers=device.headers).status_code == 401
    renewed = client.post("/v1/auth/refresh", json={"refresh_token": device.refresh_token}).json()
    assert client.get("/v1/sync/changes", headers=bearer(renewed["access_token"])).status_code == 200


def test_failed_logins_are_throttled_then_released(
    server: LiveServer, client: httpx.Client, tenant: Tenant
) -> None:
    for _ in range(5):
        assert login(client, tenant.uscc, "wrong-password").status_code == 401
    locked = login(client, tenant.uscc)  # even the right password waits
    assert locked.status_code == 429 and locked.json()["error"] == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    server.clock.advance(dt.timedelta(seconds=31))
    assert login(client, tenant.uscc).status_code == 200


def test_throttle_lock_grows_with_more_failures(
    server: LiveServer, client: httpx.Client, tenant: Tenant
) -> None:
    for _ in range(5):
        login(client, tenant.uscc, "wrong-password")
    server.clock.advance(dt.timedelta(seconds=31))
    assert login(client, tenant.uscc, "wrong-password").status_code == 401
    retry = int(login(client, tenant.uscc).headers["Retry-After"])
    assert 30 < retry <= 61


def test_bad_token_and_missing_token(client: httpx.Client) -> None:
    assert client.get("/v1/sync/changes").json()["error"] == "unauthorized"
    assert client.get("/v1/sync/changes", headers=bearer("forged")).status_code == 401


def test_regulator_token_cannot_act_as_institution(client: httpx.Client, regulator: dict[str, str]) -> None:
    response = client.get("/v1/sync/changes", headers=regulator)
    assert response.status_code == 403 and response.json()["error"] == "forbidden"


def test_institution_token_cannot_act_as_regulator(client: httpx.Client, device: Device) -> None:
    assert client.get("/v1/regulator/institutions", headers=device.headers).status_code == 403


def test_unsupported_protocol_gets_426(client: httpx.Client, device: Device) -> None:
    response = client.get("/v1/sync/changes", headers={**device.headers, "X-InstDesk-Protocol": "7"})
    assert response.status_code == 426
    assert response.json()["error"] == "protocol_unsupported"
    assert client.get("/v1/meta", headers={"X-InstDesk-Protocol": "7"}).status_code == 200


def test_validation_error_names_the_field_and_hides_the_password(client: httpx.Client) -> None:
    response = client.post("/v1/auth/login", json={"uscc": "x", "password": "hunter2-secret"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert ["body", "device_name"] in [f["loc"] for f in body["fields"]]
    assert "hunter2-secret" not in response.text
