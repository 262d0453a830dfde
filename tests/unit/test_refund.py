"""Refunds: unconsumed paid units × effective unit price, gifts, discounts, full-refund windows, caps."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.rules.refund import RefundQuote, RefundTerms, compute_refund, in_full_refund_window, refundable_units

BASE = RefundTerms(
    fee_fen=300_000,
    bought_units=Decimal(30),
    gift_units=Decimal(0),
    consumed_units=Decimal(10),
    start_date=date(2026, 3, 2),
    request_date=date(2026, 4, 1),
    full_refund_days_before_start=None,
    full_refund_days_after_start=None,
    full_refund_units_after_start=None,
    already_refunded_fen=0,
)


def test_pro_rata_default() -> None:
    assert compute_refund(BASE) == RefundQuote(Decimal(20), 200_000, False, "pro_rata", Decimal(0))


def test_discount_is_kept_not_repriced_at_list_price() -> None:
    # list price 100 元 per lesson, sold 30 for 2400 元 (80 元 effective): 20 left → 1600 元
    quote = compute_refund(replace(BASE, fee_fen=240_000))
    assert quote.amount_fen == 160_000


def test_gifts_are_not_repriced_and_are_used_first() -> None:
    gifted = replace(BASE, gift_units=Decimal(5), consumed_units=Decimal(10))
    quote = compute_refund(gifted)
    # 35 in the package, 10 used → 25 left: 25 paid units… capped at what is left of the 30 paid = 25
    assert quote.units == Decimal(25)
    assert quote.amount_fen == 250_000
    assert quote.forfeited_units == Decimal(0)
    only_gifts_used = replace(BASE, gift_units=Decimal(5), consumed_units=Decimal(3))
    quote = compute_refund(only_gifts_used)
    assert quote.units == Decimal(30) and quote.amount_fen == 300_000
    assert quote.forfeited_units == Decimal(2)  # the unused gifts lapse


def test_everything_consumed() -> None:
    quote = compute_refund(replace(BASE, consumed_units=Decimal(30)))
    assert quote == RefundQuote(Decimal(0), 0, False, "nothing_left", Decimal(0))
    overdrawn = compute_refund(replace(BASE, consumed_units=Decimal(32)))
    assert overdrawn.amount_fen == 0 and overdrawn.units == 0


def test_fractional_units_round_half_up() -> None:
    quote = compute_refund(
        replace(BASE, fee_fen=100_000, consumed_units=Decimal("1.5"), bought_units=Decimal(12))
    )
    # 10.5 / 12 × 1000 元 = 875 元
    assert quote.amount_fen == 87_500
    odd = compute_refund(replace(BASE, fee_fen=100, bought_units=Decimal(8), consumed_units=Decimal(7)))
    assert odd.amount_fen == 13  # 12.5 fen rounds up


def test_full_refund_before_start_window() -> None:
    before = replace(
        BASE, request_date=date(2026, 2, 25), consumed_units=Decimal(0), full_refund_days_before_start=7
    )
    quote = compute_refund(before)
    assert quote.full_refund and quote.basis == "full_before_start" and quote.amount_fen == 300_000
    too_early = replace(before, request_date=date(2026, 2, 22))  # 8 days before
    assert in_full_refund_window(too_early) is None
    assert compute_refund(too_early).amount_fen == 300_000  # nothing consumed: still everything back


def test_full_refund_after_start_window_days_and_units() -> None:
    window = replace(
        BASE,
        request_date=date(2026, 3, 9),
        consumed_units=Decimal(2),
        full_refund_days_after_start=7,
        full_refund_units_after_start=Decimal(2),
    )
    quote = compute_refund(window)
    assert quote.full_refund and quote.basis == "full_after_start"
    assert quote.amount_fen == 300_000 and quote.units == Decimal(28)
    assert not compute_refund(replace(window, request_date=date(2026, 3, 10))).full_refund  # 8 days
    assert not compute_refund(replace(window, consumed_units=Decimal("2.5"))).full_refund
    only_units = replace(window, full_refund_days_after_start=None, request_date=date(2026, 5, 1))
    assert compute_refund(only_units).full_refund
    start_day = replace(window, request_date=date(2026, 3, 2), consumed_units=Decimal(0))
    assert compute_refund(start_day).basis == "full_after_start"


def test_window_in_working_days() -> None:
    # 天津-style: 5 working days after 2026-09-30 is 10-13 (国庆 in between)
    terms = replace(
        BASE,
        start_date=date(2026, 9, 30),
        request_date=date(2026, 10, 13),
        consumed_units=Decimal(1),
        full_refund_days_after_start=5,
        window_in_working_days=True,
    )
    assert compute_refund(terms).full_refund
    assert not compute_refund(replace(terms, request_date=date(2026, 10, 14))).full_refund
    assert not compute_refund(replace(terms, window_in_working_days=False)).full_refund


def test_never_more_than_fee_minus_already_refunded() -> None:
    partial = replace(BASE, already_refunded_fen=250_000)
    assert compute_refund(partial).amount_fen == 50_000
    full = replace(partial, request_date=date(2026, 3, 3), full_refund_days_after_start=3)
    assert compute_refund(full).amount_fen == 50_000
    assert compute_refund(replace(BASE, already_refunded_fen=400_000)).amount_fen == 0


def test_gift_only_package() -> None:
    terms = replace(
        BASE, fee_fen=0, bought_units=Decimal(0), gift_units=Decimal(5), consumed_units=Decimal(2)
    )
    quote = compute_refund(terms)
    assert quote.amount_fen == 0 and quote.units == 0 and quote.forfeited_units == Decimal(3)


def test_invalid_terms() -> None:
    with pytest.raises(ValidationError) as info:
        compute_refund(replace(BASE, consumed_units=Decimal(-1)))
    assert info.value.code == "refund.invalid_units"
    with pytest.raises(ValidationError):
        compute_refund(replace(BASE, fee_fen=-1))


units = st.decimals(min_value=0, max_value=200, places=1, allow_nan=False, allow_infinity=False)


@given(st.integers(0, 10**7), units, units, units, st.integers(0, 10**7))
def test_refund_is_bounded(
    fee: int, bought: Decimal, gift: Decimal, consumed: Decimal, refunded: int
) -> None:
    terms = replace(
        BASE,
        fee_fen=fee,
        bought_units=bought,
        gift_units=gift,
        consumed_units=consumed,
        already_refunded_fen=refunded,
    )
    quote = compute_refund(terms)
    assert 0 <= quote.amount_fen <= max(0, fee - refunded)
    assert 0 <= quote.units <= bought
    assert quote.units == refundable_units(terms)
    assert quote.units + quote.forfeited_units == max(Decimal(0), bought + gift - consumed)


@given(st.integers(1, 10**7), st.integers(1, 100), st.integers(0, 100), st.integers(0, 100))
def test_consuming_more_never_refunds_more(fee: int, bought: int, gift: int, consumed: int) -> None:
    terms = replace(BASE, fee_fen=fee, bought_units=Decimal(bought), gift_units=Decimal(gift))
    now = compute_refund(replace(terms, consumed_units=Decimal(consumed)))
    later = compute_refund(replace(terms, consumed_units=Decimal(consumed + 1)))
    assert later.amount_fen <= now.amount_fen
