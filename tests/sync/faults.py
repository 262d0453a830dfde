"""Fault injection between the sync client and the real server (an httpx transport wrapping the real one).

Each fault is armed for the next request whose path starts with a prefix, and fires once. "before"
faults never reach the server; "after" faults let the server commit and then lose or spoil the answer.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx


@dataclass
class Fault:
    path: str
    kind: str
    skip: int = 0  # let this many matching requests through first


class FaultTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self.faults: list[Fault] = []
        self.fired: list[str] = []
        self.seen: list[str] = []
        self.on_request: Callable[[httpx.Request], None] | None = None

    def arm(self, path: str, kind: str, skip: int = 0) -> None:
        self.faults.append(Fault(path, kind, skip))

    def _take(self, request: httpx.Request) -> Fault | None:
        for fault in self.faults:
            if request.url.path.startswith(fault.path):
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                self.faults.remove(fault)
                self.fired.append(fault.kind)
                return fault
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request.url.path)
        if self.on_request is not None:
            self.on_request(request)
        fault = self._take(request)
        if fault is None:
            return self.inner.handle_request(request)
        return self._fire(fault.kind, request)

    def _forward(self, request: httpx.Request) -> tuple[httpx.Response, bytes]:
        resp = self.inner.handle_request(request)
        body = resp.read()
        resp.close()
        return resp, body

    def _fire(self, kind: str, request: httpx.Request) -> httpx.Response:
        if kind == "reset_before":
            raise httpx.ConnectError("connection reset by peer", request=request)
        if kind == "timeout_before":
            raise httpx.ConnectTimeout("timed out", request=request)
        if kind == "503_before":
            return httpx.Response(
                503, headers={"Retry-After": "1"}, json={"error": "busy", "message": "busy"}
            )
        if kind == "401_before":
            return httpx.Response(401, json={"error": "unauthorized", "message": "expired"})
        if kind == "incompatible":
            now = dt.datetime.now(dt.UTC).isoformat()
            body = {"protocol_min": 2, "protocol_max": 3, "schema_version": 2, "server_time": now,
                    "retention_days": 30}  # fmt: skip
            return httpx.Response(200, json=body)
        resp, raw = self._forward(request)
        if kind == "drop_after":
            raise httpx.ReadError("connection lost after the server answered", request=request)
        if kind == "timeout_after":
            raise httpx.ReadTimeout("read timed out", request=request)
        if kind == "reset_after":
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        if kind == "502_after":
            return httpx.Response(502, content=b"<html>bad gateway</html>")
        if kind == "truncated_after":
            return httpx.Response(resp.status_code, content=raw[: len(raw) // 2])
        if kind == "bad_json_after":
            return httpx.Response(200, content=b"{not json")
        if kind == "missing_fields_after":
            return httpx.Response(200, json={"results": [{"seq": 1}]})
        raise ValueError(kind)
