"""Documented error responses shared by the routes (every error has the ``ErrorOut`` shape)."""

from __future__ import annotations

from typing import Any

from platform_server.schemas import ErrorOut

_DESCRIPTIONS = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Wrong kind of account",
    404: "Not found (or another institution's)",
    409: "Sequence gap or invalid state",
    410: "Cursor older than retention, or ahead of the platform's head after a restore (reset_required)",
    413: "Body too large",
    422: "Invalid fields",
    426: "Unsupported protocol version",
    429: "Too many failed logins",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    wanted = sorted({400, 413, 422, 426, *codes})
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code]} for code in wanted}
