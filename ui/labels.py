"""Translated labels of the core's short codes (statuses, methods, kinds) and number formats.

Every table is keyed by its code enum (``app.codes``) and labels every member (tests/ui/test_code_labels.py),
so no code reaches the screen as it is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from app.codes import AttendanceStatus, ContractStatus, Gender, LedgerKind, PaymentMethod, SessionStatus
from app.money import format_fen
from ui.i18n import tr

E = TypeVar("E", bound=StrEnum)
#: the translated label of every member of a code enum (called when shown, so the language may change)
Labels = dict[E, Callable[[], str]]

ATTENDANCE: Labels[AttendanceStatus] = {
    AttendanceStatus.PRESENT: lambda: tr("出勤"),
    AttendanceStatus.LATE: lambda: tr("迟到"),
    AttendanceStatus.LEAVE: lambda: tr("请假"),
    AttendanceStatus.ABSENT: lambda: tr("缺勤"),
    AttendanceStatus.TRIAL: lambda: tr("试听"),
    AttendanceStatus.MAKEUP: lambda: tr("补课"),
}
PAYMENT_METHODS: Labels[PaymentMethod] = {
    PaymentMethod.CASH: lambda: tr("现金"),
    PaymentMethod.WECHAT: lambda: tr("微信"),
    PaymentMethod.ALIPAY: lambda: tr("支付宝"),
    PaymentMethod.BANK_CARD: lambda: tr("银行卡"),
    PaymentMethod.TRANSFER: lambda: tr("转账"),
    PaymentMethod.PLATFORM: lambda: tr("平台支付"),
}
CONTRACT_STATUS: Labels[ContractStatus] = {
    ContractStatus.ACTIVE: lambda: tr("执行中"),
    ContractStatus.CLOSED: lambda: tr("已结束"),
    ContractStatus.REFUNDED: lambda: tr("已退费"),
}
SESSION_STATUS: Labels[SessionStatus] = {
    SessionStatus.SCHEDULED: lambda: tr("未点名"),
    SessionStatus.HELD: lambda: tr("已上课"),
    SessionStatus.CANCELLED: lambda: tr("已取消"),
}
LEDGER_KINDS: Labels[LedgerKind] = {
    LedgerKind.PURCHASE: lambda: tr("购买"),
    LedgerKind.GIFT: lambda: tr("赠送"),
    LedgerKind.REFUND: lambda: tr("退费"),
    LedgerKind.ADJUST: lambda: tr("调整"),
    LedgerKind.EXPIRE: lambda: tr("过期"),
    LedgerKind.REVERSE: lambda: tr("冲正"),
}
GENDERS: Labels[Gender] = {Gender.M: lambda: tr("男"), Gender.F: lambda: tr("女")}


def label(table: Mapping[E, Callable[[], str]], code: E | str | None) -> str:
    """The label of a code ("" for none). A string no member stands for can only come from the platform
    (its statuses are an open set); it shows as 未知 rather than as the code."""
    if code is None or code == "":
        return ""
    codes: type[E] = type(next(iter(table)))
    try:
        member = codes(code)
    except ValueError:
        return tr("未知")
    return table[member]()


def units(value: Decimal) -> str:
    """课时 as people write them: 10, 1.5 (no trailing zeros)."""
    text = f"{value.normalize():f}"
    return text


def yuan(fen: int) -> str:
    return tr("{amount} 元", amount=format_fen(fen))
