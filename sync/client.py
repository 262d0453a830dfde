"""HTTP client of the platform API: one long-lived ``httpx.Client``, handshake, tokens, strict replies.

Every failure comes out as a coded ``SyncError``: transport problems as ``sync.offline``/``sync.timeout``,
5xx and 429 as ``sync.server_error`` (with ``Retry-After``), and any reply that is not the JSON we expect
(bad JSON, a missing field, a truncated body) as ``sync.bad_reply`` — raised before anything is applied.
A 401 refreshes the access token once and repeats the same request (the same push batch).
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

import httpx
import orjson

from sync.backoff import parse_retry_after
from sync.credentials import TokenStore
from sync.errors import BadReply, ResetRequired, SeqGap, SyncError
from sync.wire import (
    ChangesPage,
    ConfirmationJson,
    OpJson,
    PushReply,
    RefundRequestJson,
    SnapshotPage,
    StatsJson,
)

log = logging.getLogger("sync.client")

PROTOCOL = 1
PROTOCOL_HEADER = "X-InstDesk-Protocol"
#: The platform's data generation, on every answer (``/v1/meta`` ``epoch``): see ``sync.resend``.
EPOCH_HEADER = "X-Platform-Epoch"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=60.0, write=60.0, pool=5.0)
#: Without TCP_NODELAY a POST's headers and body wait for a delayed ACK: ~40 ms per request (docs/sync.md).
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


@dataclass(frozen=True)
class Meta:
    """The handshake: what the server speaks, its clock and its change retention."""

    protocol_min: int
    protocol_max: int
    schema_version: int
    server_time: dt.datetime
    retention_days: int
    skew_seconds: float
    #: the generation of the platform's data; None from a platform that does not state one
    epoch: str | None = None


@dataclass(frozen=True)
class Login:
    device_id: str
    expires_in: int


def field(obj: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    """``obj[key]`` when ``obj`` is a dict and the value has the expected type, else ``BadReply``."""
    if not isinstance(obj, dict) or key not in obj:
        raise BadReply(f"缺少字段 {key}")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise BadReply(f"字段 {key} 类型错误")
    return value


def _decode(resp: httpx.Response) -> Any:
    try:
        return orjson.loads(resp.content)
    except orjson.JSONDecodeError as exc:
        raise BadReply(f"HTTP {resp.status_code} 非 JSON 应答") from exc


class ApiClient:
    """The platform API for one server and one institution's tokens."""

    def __init__(
        self,
        base_url: str,
        tokens: TokenStore,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.tokens = tokens
        self.now = now
        #: the platform epoch of the latest answer that stated one (every answer does)
        self.epoch: str | None = None
        self.http = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=transport or httpx.HTTPTransport(socket_options=NODELAY),
            timeout=timeout,
            headers={PROTOCOL_HEADER: str(PROTOCOL), "User-Agent": "InstDesk-sync/1"},
        )

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------ endpoints

    def handshake(self) -> Meta:
        """``GET /v1/meta``; an incompatible protocol range is ``sync.incompatible`` (never retried)."""
        body = self._json(self._send("GET", "/v1/meta"))
        pmin, pmax = field(body, "protocol_min", int), field(body, "protocol_max", int)
        try:
            server_time = dt.datetime.fromisoformat(field(body, "server_time", str))
        except ValueError as exc:
            raise BadReply("server_time") from exc
        if server_time.tzinfo is None:
            server_time = server_time.replace(tzinfo=dt.UTC)
        if not pmin <= PROTOCOL <= pmax:
            raise SyncError("sync.incompatible", client=PROTOCOL, server_min=pmin, server_max=pmax)
        skew = (server_time - self.now()).total_seconds()
        epoch = body.get("epoch")
        if epoch is not None and not isinstance(epoch, str):
            raise BadReply("epoch")
        return Meta(
            pmin,
            pmax,
            field(body, "schema_version", int),
            server_time,
            field(body, "retention_days", int),
            skew,
            epoch or self.epoch,
        )

    def login(self, uscc: str, password: str, device_name: str) -> Login:
        body = {"uscc": uscc, "password": password, "device_name": device_name}
        return self._take_tokens(self._json(self._send("POST", "/v1/auth/login", json=body)))

    def logout(self) -> None:
        if self.tokens.access_token is not None or self.tokens.refresh_token() is not None:
            self._authed("POST", "/v1/auth/logout")

    def push(self, device_id: str, ops: list[OpJson]) -> PushReply:
        content = orjson.dumps({"device_id": device_id, "ops": ops})
        body = self._authed("POST", "/v1/sync/push", content=content)
        field(body, "results", list)
        field(body, "last_seq", int)
        return cast(PushReply, dict(body))  # each result is checked by sync.push before use

    def changes(self, cursor: int, limit: int, check: str | None = None) -> ChangesPage:
        """A page of the feed after ``cursor``; ``check`` names the change at the cursor as this desk saw
        it (a platform restored from a backup answers ``ResetRequired(ahead=True)``)."""
        params: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if check is not None:
            params["check"] = check
        body = self._authed("GET", "/v1/sync/changes", params=params)
        field(body, "changes", list)
        field(body, "next_cursor", int)
        field(body, "has_more", bool)
        return cast(ChangesPage, dict(body))  # each change is checked by sync.pull.parse_change

    def snapshot(self, cursor: int, limit: int) -> SnapshotPage:
        body = self._authed("GET", "/v1/sync/snapshot", params={"cursor": cursor, "limit": limit})
        field(body, "rows", list)
        field(body, "next_cursor", int)
        field(body, "has_more", bool)
        field(body, "as_of_seq", int)
        return cast(SnapshotPage, dict(body))  # each row is checked by sync.snapshot before use

    def respond_refund(self, request_id: str, decision: str, reason: str | None) -> RefundRequestJson:
        """Answer a platform refund request (``agree``/``reject``); returns the request as it now is.

        A request that is no longer awaiting an answer is ``sync.state_conflict`` (with its ``state``); an
        unknown one ``sync.rejected_request`` (``error`` = ``not_found``).
        """
        path = f"/v1/refund-requests/{quote(request_id, safe='')}/respond"
        body = self._authed("POST", path, json={"decision": decision, "reason": reason})
        if field(body, "id", str) != request_id:
            raise BadReply("id")
        field(body, "status", str)
        return cast(RefundRequestJson, dict(body))

    def missing_files(self, hashes: list[str]) -> list[str]:
        """Which of these material files the platform does not have from this institution."""
        body = self._authed("POST", "/v1/material-files/missing", json={"sha256": hashes})
        missing = field(body, "missing", list)
        if not all(isinstance(h, str) for h in missing):
            raise BadReply("missing")
        return [str(h) for h in missing]

    def upload_file(self, sha256: str, size: int, chunks: Callable[[], Iterable[bytes]]) -> dict[str, Any]:
        """Stream one material file (``chunks()`` gives its bytes; called again for a retry after a 401)."""
        path = f"/v1/material-files/{quote(sha256, safe='')}"
        headers = {"Content-Type": "application/octet-stream"}
        if self.tokens.access_token is None:
            self.refresh()
        resp = self._send("PUT", path, params={"size": size}, content=chunks(), headers=headers)
        if resp.status_code == 401:
            self.refresh()
            resp = self._send("PUT", path, params={"size": size}, content=chunks(), headers=headers)
        body = self._json(resp)
        if field(body, "sha256", str) != sha256:
            raise BadReply("sha256")
        return dict(body)

    def download_file(self, sha256: str) -> bytes:
        """A material file this institution uploaded (from any of its desks)."""
        if self.tokens.access_token is None:
            self.refresh()
        path = f"/v1/material-files/{quote(sha256, safe='')}"
        resp = self._send("GET", path)
        if resp.status_code == 401:
            self.refresh()
            resp = self._send("GET", path)
        if resp.status_code == 200:
            return resp.content
        self._json(resp)
        raise BadReply("file")

    def answer_spot_check(
        self, check_id: str, items: list[dict[str, Any]], note: str | None
    ) -> dict[str, Any]:
        """Answer a platform spot check with material files; returns the check as it now is (``status``
        ``answered`` or ``late``). An already answered one is ``sync.state_conflict``."""
        path = f"/v1/spot-checks/{quote(check_id, safe='')}/answer"
        body = self._authed("POST", path, json={"items": items, "note": note})
        if field(body, "id", str) != check_id:
            raise BadReply("id")
        field(body, "status", str)
        return dict(body)

    def answer_dispute(
        self, confirmation_id: str, decision: str, text: str | None, record: dict[str, Any] | None
    ) -> ConfirmationJson:
        """Answer a parent's 消课 dispute (``roll_call`` with its record, or ``reverse``); returns the
        confirmation as it now is. One that no longer allows this answer is ``sync.state_conflict`` (with
        its ``state``); an unknown one ``sync.rejected_request``."""
        path = f"/v1/consumption-confirmations/{quote(confirmation_id, safe='')}/answer"
        payload: dict[str, Any] = {"decision": decision, "text": text}
        if record is not None:
            payload["record"] = record
        body = self._authed("POST", path, json=payload)
        if field(body, "id", str) != confirmation_id:
            raise BadReply("id")
        field(body, "status", str)
        return cast(ConfirmationJson, dict(body))

    def stats(self) -> StatsJson:
        body = self._authed("GET", "/v1/stats")
        if not isinstance(body, dict):
            raise BadReply("stats")
        return cast(StatsJson, body)  # each total is checked where it is read (sync.check)

    # ------------------------------------------------------------ plumbing

    def _take_tokens(self, body: Any) -> Login:
        access = field(body, "access_token", str)
        refresh = field(body, "refresh_token", str)
        login = Login(field(body, "device_id", str), field(body, "expires_in", int))
        self.tokens.save_refresh_token(refresh)  # first: a rotated token must never be lost
        self.tokens.access_token = access
        return login

    def refresh(self) -> Login:
        """Swap the stored refresh token for a new pair; a refused one means logging in again."""
        token = self.tokens.refresh_token()
        if token is None:
            raise SyncError("sync.login_required")
        resp = self._send("POST", "/v1/auth/refresh", json={"refresh_token": token})
        if resp.status_code == 401:
            self.tokens.forget()
            raise SyncError("sync.login_required")
        return self._take_tokens(self._json(resp))

    def _authed(self, method: str, path: str, **kwargs: Any) -> Any:
        if self.tokens.access_token is None:
            self.refresh()
        resp = self._send(method, path, **kwargs)
        if resp.status_code == 401:
            self.refresh()
            resp = self._send(method, path, **kwargs)
            if resp.status_code == 401:
                raise SyncError("sync.login_required")
        return self._json(resp)

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if "content" in kwargs:
            headers.setdefault("Content-Type", "application/json")
        if self.tokens.access_token is not None and not path.startswith("/v1/auth/login"):
            headers["Authorization"] = f"Bearer {self.tokens.access_token}"
        try:
            resp = self.http.request(method, path, headers=headers, **kwargs)
        except httpx.TimeoutException as exc:
            raise SyncError("sync.timeout") from exc
        except httpx.TransportError as exc:  # connect/read/write errors, resets, truncated bodies
            raise SyncError("sync.offline", detail=type(exc).__name__) from exc
        self.epoch = resp.headers.get(EPOCH_HEADER) or self.epoch
        return resp

    def _json(self, resp: httpx.Response) -> Any:
        status = resp.status_code
        if 200 <= status < 300:
            return _decode(resp)
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if status >= 500 or status in (429, 503):
            if status == 429 and resp.request.url.path.endswith("/login"):
                raise SyncError("sync.too_many_attempts", retry_after=retry_after, retry_after_s=retry_after)
            raise SyncError("sync.server_error", status=status, retry_after=retry_after)
        body = _decode(resp)
        code = body.get("error") if isinstance(body, dict) else None
        return self._refused(status, code, body)

    def _refused(self, status: int, code: Any, body: Any) -> Any:
        if status == 409 and code == "seq_gap":
            raise SeqGap(field(body, "expected_seq", int))
        if status == 410 and code == "reset_required":
            raise ResetRequired(ahead=body.get("reason") in ("cursor_ahead", "cursor_unknown"))
        if status == 426:
            pmin = body.get("protocol_min", "?") if isinstance(body, dict) else "?"
            pmax = body.get("protocol_max", "?") if isinstance(body, dict) else "?"
            raise SyncError("sync.incompatible", client=PROTOCOL, server_min=pmin, server_max=pmax)
        if status == 409 and code == "invalid_state":
            state = body.get("status") if isinstance(body, dict) else None
            raise SyncError("sync.state_conflict", state=str(state or "?"))
        if status == 401 and code == "invalid_credentials":
            raise SyncError("sync.invalid_credentials")
        if status == 401:
            raise SyncError("sync.login_required")
        message = body.get("message", "") if isinstance(body, dict) else ""
        raise SyncError("sync.rejected_request", error=code or status, detail=message)
