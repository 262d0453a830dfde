"""One prepaid charge: 60 课时, 3 months, 5000 元, one month ahead, renewal at ≤ 20 left, no stored value."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.errors import RuleViolation
from app.policy import NATIONAL_DEFAULT, PolicyParams
from app.rules.charge import (
    ChargeRequest,
    add_months,
    charge_violations,
    check_charge,
    earliest_charge_date,
    latest_end_date,
    max_units_allowed,
)

OK = ChargeRequest(
    units=Decimal(60),
    fee_fen=500_000,
    start_date=date(2026, 3, 1),
    end_date=date(2026, 6, 1),
    charge_date=date(2026, 2, 1),
    remaining_units_same_subject=Decimal(20),
)


def code_of(req: ChargeRequest, params: PolicyParams = NATIONAL_DEFAULT) -> str | None:
    try:
        check_charge(req, params)
    except RuleViolation as exc:
        return exc.code
    return None


def test_everything_at_its_limit_is_allowed() -> None:
    check_charge(OK, NATIONAL_DEFAULT)
    assert charge_violations(OK, NATIONAL_DEFAULT) == []


def test_60_units_ok_61_not() -> None:
    assert code_of(replace(OK, units=Decimal(61))) == "charge.too_many_units"
    assert code_of(replace(OK, units=Decimal("60.5"))) == "charge.too_many_units"
    assert max_units_allowed(NATIONAL_DEFAULT) == Decimal(60)


def test_5000_00_ok_5000_01_not() -> None:
    with pytest.raises(RuleViolation) as info:
        check_charge(replace(OK, fee_fen=500_001), NATIONAL_DEFAULT)
    assert info.value.code == "charge.amount_too_high"
    assert info.value.params["max_fen"] == 500_000
    assert "5,000.00" in str(info.value) and "5,000.01" in str(info.value)


def test_three_months_ok_three_months_and_a_day_not() -> None:
    assert latest_end_date(date(2026, 3, 1), NATIONAL_DEFAULT) == date(2026, 6, 1)
    assert code_of(replace(OK, end_date=date(2026, 6, 2))) == "charge.period_too_long"


def test_shorter_basis_wins_both_limits_apply() -> None:
    # 40 课时 but over 4 months: the time limit is the shorter one here
    assert code_of(replace(OK, units=Decimal(40), end_date=date(2026, 7, 1))) == "charge.period_too_long"
    # 80 课时 in 2 months: the unit limit is the shorter one here
    assert code_of(replace(OK, units=Decimal(80), end_date=date(2026, 5, 1))) == "charge.too_many_units"


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)


def test_exactly_one_month_before_start_ok_one_day_earlier_not() -> None:
    assert earliest_charge_date(date(2026, 3, 1), NATIONAL_DEFAULT) == date(2026, 2, 1)
    with pytest.raises(RuleViolation) as info:
        check_charge(replace(OK, charge_date=date(2026, 1, 31)), NATIONAL_DEFAULT)
    assert info.value.code == "charge.too_early"
    assert info.value.params["earliest"] == date(2026, 2, 1)
    # paying on or after the start is fine
    check_charge(replace(OK, charge_date=date(2026, 4, 1)), NATIONAL_DEFAULT)


def test_renewal_20_remaining_ok_20_5_not() -> None:
    with pytest.raises(RuleViolation) as info:
        check_charge(replace(OK, remaining_units_same_subject=Decimal("20.5")), NATIONAL_DEFAULT)
    assert info.value.code == "charge.renewal_too_early"
    assert info.value.params["remaining"] == "20.5"
    check_charge(replace(OK, remaining_units_same_subject=Decimal(0)), NATIONAL_DEFAULT)


def test_stored_value_refused() -> None:
    assert code_of(replace(OK, stored_value=True)) == "charge.stored_value"


@pytest.mark.parametrize(("units", "fee"), [(Decimal(0), 100), (Decimal(-1), 100), (Decimal(10), 0)])
def test_non_positive(units: Decimal, fee: int) -> None:
    assert code_of(replace(OK, units=units, fee_fen=fee)) == "charge.non_positive"


def test_end_before_start() -> None:
    assert code_of(replace(OK, end_date=date(2026, 2, 28))) == "charge.end_before_start"


def test_all_violations_are_reported_and_carried() -> None:
    bad = replace(
        OK,
        units=Decimal(61),
        fee_fen=500_001,
        end_date=date(2026, 6, 2),
        charge_date=date(2026, 1, 1),
        remaining_units_same_subject=Decimal(21),
        stored_value=True,
    )
    codes = [v.code for v in charge_violations(bad, NATIONAL_DEFAULT)]
    assert codes == [
        "charge.stored_value",
        "charge.too_many_units",
        "charge.period_too_long",
        "charge.amount_too_high",
        "charge.too_early",
        "charge.renewal_too_early",
    ]
    with pytest.raises(RuleViolation) as info:
        check_charge(bad, NATIONAL_DEFAULT)
    assert [v.code for v in info.value.params["violations"]] == codes


def test_regional_profile_changes_the_limits() -> None:
    params = replace(
        NATIONAL_DEFAULT, renewal_max_remaining_units=Decimal(10), earliest_charge_months_before_start=2
    )
    assert (
        code_of(replace(OK, remaining_units_same_subject=Decimal(11)), params) == "charge.renewal_too_early"
    )
    early = replace(OK, charge_date=date(2026, 1, 1), remaining_units_same_subject=Decimal(10))
    assert code_of(early, params) is None
    assert code_of(replace(early, charge_date=date(2025, 12, 31)), params) == "charge.too_early"
