"""Pure ASGI middleware at the edge: request id, body-size limit (413), protocol version (426)."""

from __future__ import annotations

import uuid

import orjson
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from platform_server.errors import ApiError, PayloadTooLarge, ProtocolUnsupported
from platform_server.settings import PROTOCOL_MAX, PROTOCOL_MIN

PROTOCOL_HEADER = b"x-instdesk-protocol"
#: On every answer: the generation of the platform's data (``/v1/meta`` ``epoch``), so a desk notices a
#: platform restored from a backup whatever request it makes.
EPOCH_HEADER = b"x-platform-epoch"
#: uploads of training-material files (platform_server/routes/materials.py)
FILE_UPLOAD_PATH = "/v1/material-files/"


async def _send_error(send: Send, error: ApiError, rid: str, extra: list[tuple[bytes, bytes]]) -> None:
    """The error's JSON (the shape of ``errors.py``) sent before the app runs: routing is not reached."""
    data = orjson.dumps(error.body())
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        (b"x-request-id", rid.encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` while streaming; FastAPI re-raises HTTPExceptions from body reading."""

    def __init__(self) -> None:
        super().__init__(PayloadTooLarge.status, PayloadTooLarge.message)


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, epoch: str = "", max_file_bytes: int = 0) -> None:
        self.app = app
        self.max_body = max_body_bytes
        # a material file's bytes are the one body allowed to be bigger (its route enforces its own limit)
        self.max_file = max(max_file_bytes, max_body_bytes)
        self.headers = [(EPOCH_HEADER, epoch.encode())] if epoch else []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        headers = dict(scope.get("headers", []))
        proto = headers.get(PROTOCOL_HEADER)
        if proto is not None and not _protocol_ok(proto) and scope["path"] != "/v1/meta":
            unsupported = ProtocolUnsupported(protocol_min=PROTOCOL_MIN, protocol_max=PROTOCOL_MAX)
            await _send_error(send, unsupported, rid, self.headers)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
            # a NUL reaches SQL as a path or query value, and PostgreSQL text cannot hold one
            nul = ApiError("请求地址含有 NUL 字符 / NUL in the request URL")
            await _send_error(send, nul, rid, self.headers)
            return
        limit = self.max_file if scope["path"].startswith(FILE_UPLOAD_PATH) else self.max_body
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _send_error(send, PayloadTooLarge(), rid, self.headers)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", rid.encode()),
                    *self.headers,
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, tagged_send)
        except BodyTooLarge:
            if not started:
                await _send_error(send, PayloadTooLarge(), rid, self.headers)


def _protocol_ok(value: bytes) -> bool:
    try:
        version = int(value)
    except ValueError:
        return False
    return PROTOCOL_MIN <= version <= PROTOCOL_MAX
