"""Helpers for the platform-server tests: valid USCCs, op builders, a small API client."""

from __future__ import annotations

import itertools
import secrets
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from platform_server.security import USCC_ALPHABET, uscc_check_char

PASSWORD = "secret-pass-1"


def random_uscc() -> str:
    body = (
        "9135"
        + "".join(secrets.choice("0123456789") for _ in range(6))
        + "".join(secrets.choice(USCC_ALPHABET) for _ in range(7))
    )
    return body + uscc_check_char(body)


def nodelay_transport() -> httpx.HTTPTransport:
    """httpx writes a request's headers and body separately; without TCP_NODELAY the body waits for the
    server's delayed ACK (~40 ms per request on Linux loopback)."""
    return httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Device:
    """A logged-in device of one institution, with its own op sequence."""

    client: httpx.Client
    institution_id: str
    uscc: str
    access_token: str
    refresh_token: str
    device_id: str
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", "X-InstDesk-Protocol": "1"}

    def renew(self) -> None:
        """Rotate the refresh token (after moving the clock past the access token's life)."""
        response = self.client.post("/v1/auth/refresh", json={"refresh_token": self.refresh_token})
        assert response.status_code == 200, response.text
        body = response.json()
        self.access_token, self.refresh_token = body["access_token"], body["refresh_token"]

    def op(
        self,
        entity: str,
        op: str = "insert",
        entity_id: str | None = None,
        payload: dict[str, Any] | None = None,
        base_version: int | None = None,
    ) -> dict[str, Any]:
        eid = entity_id or new_id()
        body = {"id": eid, **(payload or {})}
        return {
            "seq": next(self.seq),
            "op_id": new_id(),
            "entity": entity,
            "entity_id": eid,
            "op": op,
            "base_version": base_version,
            "payload": body,
        }

    def push(self, ops: list[dict[str, Any]], expect: int = 200) -> dict[str, Any]:
        response = self.client.post(
            "/v1/sync/push", json={"device_id": self.device_id, "ops": ops}, headers=self.headers
        )
        assert response.status_code == expect, response.text
        result: dict[str, Any] = response.json()
        return result

    def push_one(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.push([self.op(*args, **kwargs)])["results"][0]
        return result

    def changes(self, cursor: int = 0, limit: int = 500) -> dict[str, Any]:
        response = self.client.get(
            "/v1/sync/changes", params={"cursor": cursor, "limit": limit}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def all_changes(self, cursor: int = 0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.changes(cursor)
            out.extend(page["changes"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return out


def login(client: httpx.Client, uscc: str, password: str = PASSWORD, device: str = "前台") -> httpx.Response:
    return client.post("/v1/auth/login", json={"uscc": uscc, "password": password, "device_name": device})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
