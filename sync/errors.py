"""Coded errors of the sync engine, with the plain Chinese message each one shows to a person.

``transient`` errors (offline, timeouts, a busy server) are retried with backoff; the others need a person
(log in again, upgrade, install a keyring) and stop automatic retries until something changes.
"""

from __future__ import annotations

from typing import Any

from app.errors import InstDeskError

InstDeskError.register(
    {
        "sync.offline": "无法连接监管平台({detail})。数据已保存在本机,联网后会自动同步。",
        "sync.timeout": "连接监管平台超时,稍后会自动重试。",
        "sync.server_error": "监管平台暂时不可用(HTTP {status}),稍后会自动重试。",
        "sync.bad_reply": "监管平台的应答不完整或格式错误({detail}),本次同步未写入任何数据,稍后会重试。",
        "sync.incompatible": (
            "本客户端(协议 {client})与监管平台(支持协议 {server_min}–{server_max})不兼容。"
            "请升级 InstDesk 后再同步。"
        ),
        "sync.login_required": "尚未登录监管平台或登录已失效,请运行 instdesk login 重新登录。",
        "sync.invalid_credentials": "统一社会信用代码或密码错误。",
        "sync.too_many_attempts": "登录失败次数过多,请 {retry_after_s:.0f} 秒后再试。",
        "sync.rejected_request": "监管平台拒绝了请求({error}):{detail}",
        "sync.not_configured": "尚未设置监管平台地址,请先运行 instdesk login --server 地址 --uscc 代码。",
        "sync.other_institution": (
            "本机数据库属于统一社会信用代码 {current} 的机构,不能登录到 {wanted}。请使用新的数据库。"
        ),
        "sync.keyring_unavailable": (
            "本机没有可用的系统密钥环,无法安全保存登录凭据(不会以明文保存)。"
            "Linux 请安装并启用 gnome-keyring 或 KWallet(Secret Service),例如 "
            "sudo apt install gnome-keyring 后重新登录桌面;Windows 与 macOS 已自带。当前后端:{backend}"
        ),
        "sync.keyring_failed": "无法访问系统密钥环:{detail}",
        "sync.state_conflict": "平台上该记录的状态已是“{state}”,操作未执行。",
    }
)

TRANSIENT_CODES = frozenset({"sync.offline", "sync.timeout", "sync.server_error", "sync.bad_reply"})


class SyncError(InstDeskError):
    """A sync failure with a code from the table above; ``retry_after`` is the server's, if it said one."""

    def __init__(
        self, code: str, message: str | None = None, *, retry_after: float | None = None, **params: Any
    ):
        super().__init__(code, message, **params)
        self.retry_after = retry_after

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_CODES


class BadReply(SyncError):
    """The server's answer could not be trusted (bad JSON, missing fields, truncated): nothing is applied."""

    def __init__(self, detail: str) -> None:
        super().__init__("sync.bad_reply", detail=detail)


class MappingError(ValueError):
    """One pulled row cannot be stored locally; it becomes a sync problem, the rest of the page goes on."""


InstDeskError.register(
    {
        "sync.seq_gap": "平台要求从第 {expected_seq} 号操作继续,正在重新编号后重发。",
        "sync.reset_required": (
            "本机同步进度已超过平台保留期限,需要重新下载全部数据(本机未同步的修改会保留)。"
        ),
        "sync.platform_restored": (
            "监管平台丢失了已确认的数据(平台期望第 {expected_seq} 号操作,本机已确认到第 {acknowledged} 号),"
            "正在重新上传本机数据。"
        ),
    }
)


class SeqGap(SyncError):
    """409 ``seq_gap``: the server's next expected seq for this device is not what we sent."""

    def __init__(self, expected_seq: int) -> None:
        super().__init__("sync.seq_gap", expected_seq=expected_seq)
        self.expected_seq = expected_seq


class ResetRequired(SyncError):
    """410 ``reset_required``: the pull cursor is older than the server's retention, or (``ahead``) past
    the platform's newest change: the platform was restored from an older backup."""

    def __init__(self, ahead: bool = False) -> None:
        super().__init__("sync.reset_required")
        self.ahead = ahead


class PlatformLost(SyncError):
    """The platform no longer has ops it acknowledged (it expects a seq this desk already had applied)."""

    def __init__(self, expected_seq: int, acknowledged: int) -> None:
        super().__init__("sync.platform_restored", expected_seq=expected_seq, acknowledged=acknowledged)
