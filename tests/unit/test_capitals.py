"""大写金额: fixed cases from the payment rules and an exhaustive check of every pattern of zeros."""

from __future__ import annotations

import itertools
import re

import pytest

from app.money import capitals

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "零元整"),
        (1, "壹分"),
        (10, "壹角整"),
        (50, "伍角整"),
        (55, "伍角伍分"),
        (100, "壹元整"),
        (105, "壹元零伍分"),
        (150, "壹元伍角整"),
        (1000, "壹拾元整"),
        (1500, "壹拾伍元整"),
        (10100, "壹佰零壹元整"),
        (120000, "壹仟贰佰元整"),
        (120005, "壹仟贰佰元零伍分"),
        (120050, "壹仟贰佰元伍角整"),
        (100100, "壹仟零壹元整"),
        (100500, "壹仟零伍元整"),
        (1005000, "壹万零伍拾元整"),
        (1000500, "壹万零伍元整"),
        (1050000, "壹万零伍佰元整"),
        (1500000, "壹万伍仟元整"),
        (500000, "伍仟元整"),
        (10000000, "壹拾万元整"),
        (100001000, "壹佰万零壹拾元整"),
        (100000000, "壹佰万元整"),
        (10000000000, "壹亿元整"),
        (10000000500, "壹亿零伍元整"),
        (10010000000, "壹亿零壹拾万元整"),
        (10001000000, "壹亿零壹万元整"),
        (12345678912, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
        (-120000, "负壹仟贰佰元整"),
    ],
)
def test_capitals_of_known_amounts(fen: int, text: str) -> None:
    assert capitals(fen) == text


def _parse_section(text: str) -> int:
    total, digit = 0, 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        else:
            total += digit * SMALL[char]
            digit = 0
    return total + digit


def parse_capitals(text: str) -> int:
    """Read capitals back into fen (an independent reader, so the writer cannot agree with itself)."""
    negative = text.startswith("负")
    text = text.removeprefix("负").removesuffix("整")
    yuan_text, _, rest = text.partition("元") if "元" in text else ("", "", text)
    yuan = 0
    for unit, scale in (("亿", 10**8), ("万", 10**4)):
        if unit in yuan_text:
            head, _, yuan_text = yuan_text.partition(unit)
            yuan += _parse_section(head.replace("零", "")) * scale
    yuan += _parse_section(yuan_text.replace("零", ""))
    jiao = re.search(r"(.)角", rest)
    fen = re.search(r"(.)分", rest)
    cents = (DIGITS[jiao.group(1)] * 10 if jiao else 0) + (DIGITS[fen.group(1)] if fen else 0)
    value = yuan * 100 + cents
    return -value if negative else value


def _well_formed(text: str, fen: int) -> None:
    assert "零零" not in text, text
    assert not re.search(r"零[万亿元角分整]", text), text  # a zero never stands before a unit
    assert text.endswith("分") != text.endswith("整"), text
    assert text.endswith("分") == (fen % 10 != 0), text
    if fen >= 100:
        assert not text.startswith("零"), text


def test_every_pattern_of_zeros_round_trips() -> None:
    """All 2**12 zero / non-zero patterns of a 12-digit amount (up to 99 亿元 with 角 and 分), each
    with two different non-zero digits, read back to the same amount and follow the zero rules."""
    checked = 0
    for pattern in itertools.product((0, 1), repeat=12):
        for fill in (1, 7):
            digits = [fill if on else 0 for on in pattern]
            fen = int("".join(map(str, digits)))
            text = capitals(fen)
            assert parse_capitals(text) == fen, (fen, text)
            if fen:
                _well_formed(text, fen)
            checked += 1
    assert checked == 2 * 2**12


def test_every_amount_up_to_ten_thousand_yuan_in_steps_round_trips() -> None:
    for fen in itertools.chain(range(0, 20001), range(0, 10**8, 9973)):
        text = capitals(fen)
        assert parse_capitals(text) == fen, (fen, text)
