"""One error hierarchy, one JSON shape: ``{"error": code, "message": text, ...}``."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("platform_server")


class JsonResponse(Response):
    """JSON rendered with orjson (FastAPI's ORJSONResponse is deprecated)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class ApiError(Exception):
    status = 400
    code = "bad_request"
    message = "请求无效 / Bad request"

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        super().__init__(message or self.message)
        self.text = message or self.message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.text, **self.extra}


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"
    message = "未登录或登录已过期 / Not authenticated or token expired"


class InvalidCredentials(ApiError):
    status = 401
    code = "invalid_credentials"
    message = "统一社会信用代码或密码错误 / Wrong credentials"


class TooManyAttempts(ApiError):
    status = 429
    code = "too_many_attempts"
    message = "登录失败次数过多,请稍后再试 / Too many failed logins, try again later"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"
    message = "无权执行此操作 / Not allowed"


class NotFound(ApiError):
    status = 404
    code = "not_found"
    message = "记录不存在 / Not found"


class SeqGap(ApiError):
    status = 409
    code = "seq_gap"
    message = "操作序号不连续 / Operation sequence has a gap"


class StateConflict(ApiError):
    status = 409
    code = "invalid_state"
    message = "当前状态不允许此操作 / Not allowed in the current state"


class ResetRequired(ApiError):
    status = 410
    code = "reset_required"
    message = "同步游标已过期,请重新下载全部数据 / Cursor older than retention, download a snapshot"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"
    message = "请求体过大 / Request body too large"


class ProtocolUnsupported(ApiError):
    status = 426
    code = "protocol_unsupported"
    message = "客户端协议版本不受支持,请升级 / Unsupported protocol version, please upgrade"


def error_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return JsonResponse(body, status_code=status, headers=headers)


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def install_handlers(app: FastAPI) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        headers = {"Retry-After": str(exc.extra["retry_after"])} if "retry_after" in exc.extra else None
        return error_response(exc.status, exc.body(), headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = [
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": err.get("type"),
            }
            for err in exc.errors()
        ]  # never echo the input: it may hold a password
        body = {
            "error": "validation_error",
            "message": "请求字段无效 / Invalid request fields",
            "fields": fields,
        }
        return error_response(422, body)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            413: "payload_too_large",
        }.get(exc.status_code, "http_error")
        return error_response(
            exc.status_code, {"error": code, "message": str(exc.detail)}, dict(exc.headers or {}) or None
        )

    async def unhandled(request: Request, exc: Exception) -> Response:
        rid = _request_id(request)
        log.exception("unhandled error, request_id=%s", rid)
        body = {"error": "internal", "message": "服务器内部错误 / Internal server error", "request_id": rid}
        return error_response(500, body, {"X-Request-Id": rid})

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unhandled)
