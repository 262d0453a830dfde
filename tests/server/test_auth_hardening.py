"""Field hardening of logins (issue 11 items 1 and 7): a lost refresh answer, the login throttle's keys,
and X-Forwarded-For only from a configured proxy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import PASSWORD, Device, bearer


@contextmanager
def settings(server: LiveServer, **changes: Any) -> Iterator[None]:
    """Run with some server settings changed (the session-wide server reads them per request)."""
    before = server.rt.settings
    server.rt.settings = dataclasses.replace(before, **changes)
    try:
        yield
    finally:
        server.rt.settings = before


def _refresh(client: httpx.Client, token: str) -> httpx.Response:
    return client.post("/v1/auth/refresh", json={"refresh_token": token})


def _login_from(client: httpx.Client, uscc: str, address: str, password: str = PASSWORD) -> httpx.Response:
    body = {"uscc": uscc, "password": password, "device_name": "前台"}
    return client.post("/v1/auth/login", json=body, headers={"X-Forwarded-For": address})


def test_a_refresh_whose_answer_was_lost_is_accepted_again(client: httpx.Client, device: Device) -> None:
    lost = _refresh(client, device.refresh_token)  # the server rotated; the desk never saw this answer
    assert lost.status_code == 200
    again = _refresh(client, device.refresh_token)
    assert again.status_code == 200, again.text
    pair = again.json()
    assert pair["device_id"] == device.device_id
    assert client.get("/v1/sync/changes", headers=bearer(pair["access_token"])).status_code == 200
    # the pair the desk holds now rotates normally; the one it never received is dead: if it ever shows
    # up, someone else had it, and the family goes
    assert _refresh(client, pair["refresh_token"]).status_code == 200
    late = _refresh(client, lost.json()["refresh_token"])
    assert late.status_code == 401 and late.json()["reason"] == "reused"


def test_reuse_is_still_detected_after_the_new_token_was_used(client: httpx.Client, device: Device) -> None:
    rotated = _refresh(client, device.refresh_token).json()
    newest = _refresh(client, rotated["refresh_token"]).json()
    reuse = _refresh(client, device.refresh_token)
    assert reuse.status_code == 401 and reuse.json()["reason"] == "reused"
    assert _refresh(client, newest["refresh_token"]).status_code == 401


def test_a_copy_used_before_the_desk_came_back_revokes_the_family(
    client: httpx.Client, device: Device
) -> None:
    """The desk got its new token; a stale copy of the old one is then presented (within the window, the
    new one unused): the copy gets a pair, and the desk's own token coming back gives the theft away."""
    desk = _refresh(client, device.refresh_token).json()
    thief = _refresh(client, device.refresh_token)
    assert thief.status_code == 200
    caught = _refresh(client, desk["refresh_token"])
    assert caught.status_code == 401 and caught.json()["reason"] == "reused"
    assert _refresh(client, thief.json()["refresh_token"]).status_code == 401
    assert client.get("/v1/sync/changes", headers=bearer(thief.json()["access_token"])).status_code == 401


def test_the_grace_window_ends(server: LiveServer, client: httpx.Client, device: Device) -> None:
    assert _refresh(client, device.refresh_token).status_code == 200
    server.clock.advance(dt.timedelta(seconds=server.rt.settings.refresh_grace_seconds + 1))
    late = _refresh(client, device.refresh_token)
    assert late.status_code == 401 and late.json()["reason"] == "reused"


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(
    server: LiveServer, client: httpx.Client, tenant: Tenant
) -> None:
    with settings(server, trusted_proxies=("127.0.0.1",)):
        for _ in range(6):
            assert _login_from(client, tenant.uscc, "203.0.113.9", "wrong-password").status_code in (401, 429)
        assert _login_from(client, tenant.uscc, "203.0.113.9").status_code == 429
        assert _login_from(client, tenant.uscc, "198.51.100.20").status_code == 200


def test_failures_on_one_account_do_not_lock_the_school_behind_one_nat(
    server: LiveServer, client: httpx.Client, make_tenant: Callable[[], Tenant]
) -> None:
    mistyped, colleague = make_tenant(), make_tenant()
    with settings(server, trusted_proxies=("127.0.0.1",), login_addr_max_failures=50):
        for _ in range(8):
            _login_from(client, mistyped.uscc, "192.0.2.77", "wrong-password")
        assert _login_from(client, colleague.uscc, "192.0.2.77").status_code == 200


def test_account_ceiling_never_blocks_a_desk_with_a_refresh_token(
    server: LiveServer, client: httpx.Client, tenant: Tenant, make_device: Callable[[Tenant], Device]
) -> None:
    desk = make_device(tenant)
    with settings(server, trusted_proxies=("127.0.0.1",), login_account_max_failures=10):
        for n in range(12):  # many addresses, each below its own limit: the account's ceiling trips
            _login_from(client, tenant.uscc, f"10.9.{n}.1", "wrong-password")
        assert _login_from(client, tenant.uscc, "10.9.200.1").status_code == 429
        renewed = _refresh(client, desk.refresh_token)
        assert renewed.status_code == 200
        desk.access_token = renewed.json()["access_token"]
        assert desk.push_one("student")["status"] == "applied"


def test_forwarded_for_is_ignored_without_a_trusted_proxy(
    server: LiveServer, client: httpx.Client, tenant: Tenant
) -> None:
    for n in range(5):  # a header anyone can write must not spread failures over made-up addresses
        _login_from(client, tenant.uscc, f"172.16.0.{n}", "wrong-password")
    assert _login_from(client, tenant.uscc, "172.16.0.99").status_code == 429


def test_forwarded_for_from_a_trusted_proxy_uses_the_last_untrusted_hop(
    server: LiveServer, client: httpx.Client, tenant: Tenant
) -> None:
    with settings(server, trusted_proxies=("127.0.0.1", "10.0.0.1")):
        for _ in range(5):  # a forged left-most entry changes nothing: the hop the proxy saw counts
            _login_from(client, tenant.uscc, "1.2.3.4, 198.18.0.5, 10.0.0.1", "wrong-password")
        assert _login_from(client, tenant.uscc, "9.9.9.9, 198.18.0.5").status_code == 429
        assert _login_from(client, tenant.uscc, "198.18.0.6").status_code == 200
