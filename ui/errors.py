"""Classify exceptions into what the user is shown.

- ``InstDeskError`` (bad input, a rule, a permission, storage full/locked): a plain, translated message.
  The code is looked up in the ``errors`` translation context (source = the core's Chinese template) and
  formatted with the error's parameters; without a translation the core's Chinese message is shown.
- Offline (network transport errors), login expired (HTTP 401 after the refresh), no keyring: a plain
  message with a way forward.
- Anything else is a bug: logged with its traceback and shown in the exception dialog.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.errors import InstDeskError
from app.rules.violation import Violation
from ui.i18n import ERRORS_CONTEXT, tr, translate


class Kind(Enum):
    EXPECTED = "expected"
    OFFLINE = "offline"
    LOGIN_EXPIRED = "login_expired"
    NO_KEYRING = "no_keyring"
    BUG = "bug"


@dataclass(frozen=True)
class Classified:
    kind: Kind
    text: str
    hint: str = ""
    detail: str = ""


_OFFLINE_CODES = {"sync.offline", "sync.timeout", "sync.server_error"}
_LOGIN_CODES = {"sync.login_required", "sync.invalid_credentials"}
_KEYRING_CODES = {"sync.keyring_unavailable", "sync.keyring_failed"}


def coded_text(code: str, params: Mapping[str, Any], fallback: str) -> str:
    """The user's-language text of a code with its parameters (``fallback`` = the core's Chinese text)."""
    template = InstDeskError.messages.get(code)
    if not template:
        return fallback
    translated = translate(ERRORS_CONTEXT, template)
    if translated == template:
        return fallback
    values = {k: translate("labels", v) if isinstance(v, str) else v for k, v in params.items()}
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return fallback


def error_text(exc: InstDeskError) -> str:
    """The user's-language message of a coded error (falls back to the core's Chinese message)."""
    return coded_text(exc.code, exc.params, exc.message)


def violation_text(found: Violation) -> str:
    return coded_text(found.code, found.params, found.message or found.code)


def _type_names(exc: BaseException) -> set[str]:
    return {f"{cls.__module__}.{cls.__name__}" for cls in type(exc).__mro__}


def _is_offline(exc: BaseException, names: set[str]) -> bool:
    return (
        "httpx.TransportError" in names
        or isinstance(exc, ConnectionError | TimeoutError)
        or getattr(exc, "code", None) in _OFFLINE_CODES
    )


def _is_login_expired(exc: BaseException) -> bool:
    return getattr(exc, "code", None) in _LOGIN_CODES


def _is_keyring(exc: BaseException, names: set[str]) -> bool:
    return getattr(exc, "code", None) in _KEYRING_CODES or any(n.startswith("keyring.errors.") for n in names)


def _text(exc: BaseException, default: str) -> str:
    return error_text(exc) if isinstance(exc, InstDeskError) else default


def classify(exc: BaseException) -> Classified:
    names = _type_names(exc)
    if _is_login_expired(exc):
        text = _text(exc, tr("平台登录已过期。"))
        return Classified(Kind.LOGIN_EXPIRED, text, tr("请在“设置”中重新登录平台。"))
    if _is_offline(exc, names):
        text = _text(exc, tr("无法连接监管平台，当前处于离线状态。"))
        return Classified(Kind.OFFLINE, text, tr("本机数据照常保存，联网后会自动同步。"))
    if _is_keyring(exc, names):
        text = _text(exc, tr("系统密钥环不可用，无法保存平台登录凭据。"))
        hint = tr("请安装并解锁系统密钥环（如 GNOME Keyring）后重试；InstDesk 不会以明文保存密码。")
        return Classified(Kind.NO_KEYRING, text, hint)
    if isinstance(exc, InstDeskError):
        return Classified(Kind.EXPECTED, error_text(exc))
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Classified(Kind.BUG, tr("程序出现了意外错误。"), detail=detail)
