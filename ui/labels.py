"""Translated labels of the core's short codes (statuses, methods, kinds) and number formats."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from app.money import format_fen
from ui.i18n import tr

ATTENDANCE: dict[str, Callable[[], str]] = {
    "present": lambda: tr("出勤"),
    "late": lambda: tr("迟到"),
    "leave": lambda: tr("请假"),
    "absent": lambda: tr("缺勤"),
    "trial": lambda: tr("试听"),
    "makeup": lambda: tr("补课"),
}
PAYMENT_METHODS: dict[str, Callable[[], str]] = {
    "cash": lambda: tr("现金"),
    "wechat": lambda: tr("微信"),
    "alipay": lambda: tr("支付宝"),
    "bank_card": lambda: tr("银行卡"),
    "transfer": lambda: tr("转账"),
    "platform": lambda: tr("平台支付"),
}
CONTRACT_STATUS: dict[str, Callable[[], str]] = {
    "active": lambda: tr("执行中"),
    "closed": lambda: tr("已结束"),
    "refunded": lambda: tr("已退费"),
}
SESSION_STATUS: dict[str, Callable[[], str]] = {
    "scheduled": lambda: tr("未点名"),
    "held": lambda: tr("已上课"),
    "cancelled": lambda: tr("已取消"),
}
LEDGER_KINDS: dict[str, Callable[[], str]] = {
    "purchase": lambda: tr("购买"),
    "gift": lambda: tr("赠送"),
    "refund": lambda: tr("退费"),
    "adjust": lambda: tr("调整"),
    "expire": lambda: tr("过期"),
    "reverse": lambda: tr("冲正"),
}
GENDERS: dict[str, Callable[[], str]] = {"M": lambda: tr("男"), "F": lambda: tr("女")}


def label(table: dict[str, Callable[[], str]], code: str | None) -> str:
    if code is None:
        return ""
    found = table.get(code)
    return found() if found else code


def units(value: Decimal) -> str:
    """课时 as people write them: 10, 1.5 (no trailing zeros)."""
    text = f"{value.normalize():f}"
    return text


def yuan(fen: int) -> str:
    return tr("{amount} 元", amount=format_fen(fen))
