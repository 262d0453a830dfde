"""Money: parsing what people type, formatting, and exact splitting and prorating in fen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.money import format_fen, parse_yuan, prorate, require_fen, split_evenly


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("5000", 500000),
        ("5000.0", 500000),
        ("5,000.00", 500000),
        ("¥12.5", 1250),
        ("￥12.50", 1250),
        ("12.5元", 1250),
        (" 1,234,567.89 ", 123456789),
        ("0.01", 1),
        ("0", 0),
        ("-0", 0),
        ("12.500", 1250),
        ("５０００", 500000),
        (".5", 50),
    ],
)
def test_parse_yuan_accepts_what_people_type(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "12,34", "1,2345.00", "¥", "5 000x", "1e3", "NaN"])
def test_parse_yuan_rejects_malformed(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan(text)
    assert info.value.code == "money.invalid"


def test_parse_yuan_rejects_negative() -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan("-5.00")
    assert info.value.code == "money.negative"
    assert info.value.params["text"] == "-5.00"


@pytest.mark.parametrize("text", ["12.345", "0.001", "5000.005"])
def test_parse_yuan_rejects_fraction_of_fen(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan(text)
    assert info.value.code == "money.sub_fen"
    assert "分" in str(info.value)


def test_parse_yuan_rejects_absurd_amount_and_non_text() -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan("1" * 20)
    assert info.value.code == "money.too_large"
    with pytest.raises(ValidationError):
        parse_yuan(5000)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "text"),
    [(500000, "5,000.00"), (0, "0.00"), (1, "0.01"), (123456789, "1,234,567.89"), (-1250, "-12.50")],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text


@given(st.integers(min_value=0, max_value=10**15))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen


def test_require_fen() -> None:
    assert require_fen(0, field="fee") == 0
    assert require_fen(5, field="fee", allow_zero=False) == 5
    for bad, code in [(True, "money.not_integer"), (1.5, "money.not_integer"), ("5", "money.not_integer")]:
        with pytest.raises(ValidationError) as info:
            require_fen(bad, field="fee")
        assert info.value.code == code
        assert info.value.params["field"] == "fee"
    with pytest.raises(ValidationError) as info:
        require_fen(-1, field="fee")
    assert info.value.code == "money.negative"
    with pytest.raises(ValidationError) as info:
        require_fen(0, field="fee", allow_zero=False)
    assert info.value.code == "money.zero"


def test_split_evenly_examples() -> None:
    assert split_evenly(100, 3) == [34, 33, 33]
    assert split_evenly(99, 3) == [33, 33, 33]
    assert split_evenly(1, 4) == [1, 0, 0, 0]
    assert split_evenly(0, 2) == [0, 0]
    with pytest.raises(ValidationError) as info:
        split_evenly(100, 0)
    assert info.value.code == "money.bad_parts"


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(min_value=1, max_value=500))
def test_split_evenly_sums_exactly_and_is_fair(total: int, parts: int) -> None:
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= 1
    assert shares == sorted(shares, reverse=True)


def test_prorate_examples_round_half_up() -> None:
    assert prorate(500000, Decimal(7), Decimal(12)) == 291667  # 291666.67
    assert prorate(100, Decimal(1), Decimal(8)) == 13  # 12.5 rounds up
    assert prorate(100, Decimal(3), Decimal(8)) == 38  # 37.5 rounds up
    assert prorate(1, Decimal(1), Decimal(2)) == 1
    assert prorate(1, Decimal(1), Decimal(3)) == 0
    assert prorate(450000, Decimal("1.5"), Decimal(30)) == 22500
    assert prorate(-100, Decimal(1), Decimal(8)) == -13  # half away from zero


def test_prorate_refuses_bad_ratio() -> None:
    for num, den in [(Decimal(1), Decimal(0)), (Decimal(1), Decimal(-2)), (Decimal("NaN"), Decimal(1))]:
        with pytest.raises(ValidationError) as info:
            prorate(100, num, den)
        assert info.value.code == "money.bad_ratio"


units = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(st.integers(min_value=0, max_value=10**9), units, units, units)
def test_prorate_is_monotone_and_bounded(total: int, a: Decimal, b: Decimal, den: Decimal) -> None:
    if den == 0:
        den = Decimal(1)
    lo, hi = sorted((min(a, den), min(b, den)))
    small, large = prorate(total, lo, den), prorate(total, hi, den)
    assert 0 <= small <= large <= total
    assert prorate(total, den, den) == total
    assert prorate(total, Decimal(0), den) == 0


@given(st.integers(min_value=0, max_value=10**9), units, units)
def test_prorate_is_within_half_a_fen_of_the_exact_value(total: int, num: Decimal, den: Decimal) -> None:
    if den == 0:
        den = Decimal(1)
    exact = Decimal(total) * num / den
    assert abs(Decimal(prorate(total, num, den)) - exact) <= Decimal("0.5") + Decimal("1e-20")
