"""The roll call's integer pricing equals ``app.money.prorate`` (exact ratio, rounded half up once)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from app.money import prorate
from app.services.attendance_plan import Package, _prorate, lesson_amount

hundredths = st.integers(min_value=0, max_value=100_000).map(lambda n: Decimal(n).scaleb(-2))


@given(st.integers(min_value=0, max_value=10**9), hundredths, hundredths.filter(lambda d: d > 0))
def test_integer_prorate_matches_money_prorate(total: int, part: Decimal, whole: Decimal) -> None:
    assert _prorate(total, part, whole) == prorate(total, part, whole)


@given(
    st.integers(min_value=-10_000, max_value=10**7),
    hundredths,
    st.integers(min_value=-5_000, max_value=100_000).map(lambda n: Decimal(n).scaleb(-2)),
    hundredths.filter(lambda d: d > 0),
)
def test_lesson_amount_matches_the_fraction_reference(
    fen: int, bought: Decimal, units: Decimal, lesson: Decimal
) -> None:
    available = max(fen, 0)
    if units - lesson <= 0:
        expected = available
    else:
        before = min(max(units, Decimal(0)), bought)
        after = min(max(units - lesson, Decimal(0)), bought)
        expected = 0 if before <= 0 else min(available, max(0, prorate(available, before - after, before)))
    assert lesson_amount(Package("c", bought, units, fen), lesson) == expected


def test_halves_round_up() -> None:
    assert _prorate(1, Decimal(1), Decimal(2)) == 1 == prorate(1, Decimal(1), Decimal(2))
    assert _prorate(10_000, Decimal("0.5"), Decimal(3)) == 1667 == prorate(10_000, Decimal("0.5"), Decimal(3))
