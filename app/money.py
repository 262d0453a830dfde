"""Money as integer 分 (fen), never float.

Amounts come in as text people type (``'5,000.00'``, ``'¥12.5'``) and leave as text people read; in
between they are ``int`` fen so sums are exact and SQLite stores them as integers. Ratios (a refund of
7 of 12 lessons) are computed on exact fractions and rounded once, half up, like a cashier does.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from app.errors import InstDeskError, ValidationError

MESSAGES: dict[str, str] = {
    "money.invalid": "金额格式不正确：{text}",
    "money.negative": "金额不能为负数：{text}",
    "money.sub_fen": "金额最多保留两位小数（精确到分）：{text}",
    "money.too_large": "金额过大：{text}",
    "money.not_integer": "{field}必须是以分为单位的整数",
    "money.zero": "{field}必须大于零",
    "money.bad_parts": "分摊份数必须是正整数：{parts}",
    "money.bad_ratio": "比例不正确：{numerator}/{denominator}",
}
InstDeskError.register(MESSAGES)

#: 10 万亿元: far above any real amount, far below SQLite's int64 limit
MAX_FEN = 10**15

_CURRENCY_MARKS = ("¥", "RMB", "CNY", "元")
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")


def _clean(text: str) -> str:
    """Fold full-width characters, drop currency marks and spaces people add around amounts."""
    folded = unicodedata.normalize("NFKC", text).strip().upper()
    for mark in _CURRENCY_MARKS:
        folded = folded.replace(mark, "")
    return re.sub(r"\s+", "", folded)


def parse_yuan(text: str) -> int:
    """Parse an amount in 元 as typed by a person and return it in fen.

    Accepts thousands separators, a ``¥``/``￥`` sign, ``元`` and full-width digits. Extra trailing zeros
    (``12.500``) are accepted because they are still whole fen; a real fraction of a fen is refused.
    """
    if not isinstance(text, str):
        raise ValidationError("money.invalid", text=repr(text))
    cleaned = _clean(text)
    negative = cleaned.startswith("-")
    body = cleaned[1:] if negative or cleaned.startswith("+") else cleaned
    if not _NUMBER.fullmatch(body):
        raise ValidationError("money.invalid", text=text)
    value = Decimal(body.replace(",", ""))
    if negative and value != 0:
        raise ValidationError("money.negative", text=text)
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValidationError("money.sub_fen", text=text)
    if fen > MAX_FEN:
        raise ValidationError("money.too_large", text=text)
    return int(fen)


def format_fen(fen: int) -> str:
    """Render fen as 元 with thousands separators and two decimals: ``500000`` → ``'5,000.00'``."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def require_fen(value: Any, *, field: str, allow_zero: bool = True) -> int:
    """Check that an amount handed over by code is a non-negative int of fen (bools are not amounts)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("money.not_integer", field=field, value=repr(value))
    if value < 0:
        raise ValidationError("money.negative", field=field, text=format_fen(value))
    if value == 0 and not allow_zero:
        raise ValidationError("money.zero", field=field)
    return value


def split_evenly(total_fen: int, parts: int) -> list[int]:
    """Split an amount into ``parts`` shares that differ by at most one fen and sum exactly.

    Largest remainder with equal weights: every share gets the floor, the first ``remainder`` shares one
    fen more, so the result is deterministic (the same desk and the platform split alike).
    """
    if isinstance(parts, bool) or not isinstance(parts, int) or parts < 1:
        raise ValidationError("money.bad_parts", parts=parts)
    base, remainder = divmod(total_fen, parts)
    return [base + 1 if i < remainder else base for i in range(parts)]


def _exact(value: Decimal | int) -> Fraction:
    """Turn a Decimal (or int) into an exact fraction, refusing NaN and infinities."""
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidOperation(str(value))
    return Fraction(value)


def round_half_up(value: Fraction) -> int:
    """Round an exact fraction to an integer, halves away from zero (ROUND_HALF_UP)."""
    magnitude = abs(value)
    whole = int(magnitude + Fraction(1, 2))  # int() truncates, magnitude is non-negative
    return whole if value >= 0 else -whole


def prorate(total_fen: int, numerator: Decimal | int, denominator: Decimal | int) -> int:
    """Return ``total × numerator ÷ denominator`` in fen, rounded half up once at the end.

    The ratio is computed on exact fractions (never float, no intermediate rounding), so
    ``prorate(fee, bought, bought) == fee`` and the result is monotone in the numerator.
    """
    try:
        num, den = _exact(numerator), _exact(denominator)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError("money.bad_ratio", numerator=numerator, denominator=denominator) from exc
    if den <= 0:
        raise ValidationError("money.bad_ratio", numerator=numerator, denominator=denominator)
    return round_half_up(Fraction(total_fen) * num / den)


# ------------------------------------------------------------------ 大写金额 (amount in capitals)

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_IN_SECTION = ("仟", "佰", "拾", "")
_SECTIONS = ("", "万", "亿", "万亿")


def _section_capitals(value: int) -> str:
    """0 < value < 10000 in capitals; one 零 stands for any run of zeros between two digits."""
    out: list[str] = []
    zero_pending = False
    for unit, digit in zip(_IN_SECTION, f"{value:04d}", strict=True):
        if digit == "0":
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_CAPITAL_DIGITS[int(digit)] + unit)
    return "".join(out)


def _yuan_capitals(yuan: int) -> str:
    """Whole yuan in capitals without the 元 (``10050`` → ``壹万零伍拾``)."""
    sections: list[int] = []
    while yuan:
        yuan, section = divmod(yuan, 10000)
        sections.append(section)
    out: list[str] = []
    gap = False  # an all-zero section or a section below 1000 after a higher one needs one 零
    for index in range(len(sections) - 1, -1, -1):
        value = sections[index]
        if value == 0:
            gap = bool(out)
            continue
        if out and (gap or value < 1000):
            out.append("零")
        out.append(_section_capitals(value) + _SECTIONS[index])
        gap = False
    return "".join(out)


def capitals(fen: int) -> str:
    """An amount in Chinese financial capitals (中文大写金额) as written on receipts.

    ``120000`` → ``壹仟贰佰元整``, ``1005000`` → ``壹万零伍拾元整``, ``120005`` → ``壹仟贰佰元零伍分``,
    ``50`` → ``伍角整``. Rules (中国人民银行《支付结算办法》附件): a run of zeros inside the number is one
    零; an amount that ends at 元 or 角 ends with 整, one that ends at 分 does not; a zero 角 between 元 and
    a non-zero 分 is written 零. Negative amounts get 负 in front.
    """
    require_fen(abs(fen), field="金额")
    if fen < 0:
        return "负" + capitals(-fen)
    yuan, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    if fen == 0:
        return "零元整"
    out = _yuan_capitals(yuan) + "元" if yuan else ""
    if jiao:
        out += _CAPITAL_DIGITS[jiao] + "角"
    elif fen_digit and yuan:
        out += "零"
    return out + (_CAPITAL_DIGITS[fen_digit] + "分" if fen_digit else "整")
