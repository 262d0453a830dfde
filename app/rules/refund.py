"""How much a refund pays back (教监管函〔2021〕2号, model contract GF—2021—2604).

By default: the unconsumed paid 课时 × the contract's *effective* unit price (fee ÷ paid units), so a
discount is kept and gifts are never re-priced at list price. Our decision on gifts: consumption draws
from the package as a whole, so the refundable units are ``bought + gift − consumed`` capped at
``bought``: gift units are used up (and forfeited) before paid units, which is the reading most
favourable to the parent and the one the model contract's "未消课时" suggests. The contract's full-refund
window overrides the default. The amount is never negative and never more than the fee minus what was
already refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from app.errors import InstDeskError, ValidationError
from app.money import prorate, require_fen
from app.workcal import working_days_between

Basis = Literal["full_before_start", "full_after_start", "pro_rata", "nothing_left"]

MESSAGES: dict[str, str] = {
    "refund.invalid_units": "课时数不能为负数：{field}={value}",
    "refund.full_before_start": "开课前申请退费，全额退还",
    "refund.full_after_start": "在合同约定的全额退费期限内，全额退还",
    "refund.pro_rata": "按未消课时{units}课时 × 实际课时单价退费",
    "refund.nothing_left": "已无可退金额",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class RefundTerms:
    """The contract's numbers at the moment of the refund request.

    ``bought_units`` are the paid units (gifts excluded); ``gift_units`` the free ones; ``consumed_units``
    all charged attendance of the package. The window fields are the contract's full-refund terms (``None``
    = not agreed). ``window_in_working_days`` counts the day windows in working days (some provinces'
    contracts do, e.g. 天津's 5 working days) instead of calendar days.
    """

    fee_fen: int
    bought_units: Decimal
    gift_units: Decimal
    consumed_units: Decimal
    start_date: date
    request_date: date
    full_refund_days_before_start: int | None
    full_refund_days_after_start: int | None
    full_refund_units_after_start: Decimal | None
    already_refunded_fen: int
    window_in_working_days: bool = False


@dataclass(frozen=True)
class RefundQuote:
    """The refund to make: paid ``units`` refunded, ``amount_fen`` paid back, and why.

    ``forfeited_units`` are the remaining gift units that lapse with the refund; the ledger removes
    ``units + forfeited_units`` from the package.
    """

    units: Decimal
    amount_fen: int
    full_refund: bool
    basis: Basis
    forfeited_units: Decimal = Decimal(0)


def _check_terms(terms: RefundTerms) -> None:
    require_fen(terms.fee_fen, field="fee_fen")
    require_fen(terms.already_refunded_fen, field="already_refunded_fen")
    for name in ("bought_units", "gift_units", "consumed_units"):
        value = getattr(terms, name)
        if not value.is_finite() or value < 0:
            raise ValidationError("refund.invalid_units", field=name, value=str(value))


def _days(terms: RefundTerms, a: date, b: date) -> int:
    """Days from ``a`` to ``b``, calendar or working per the contract."""
    if terms.window_in_working_days:
        return working_days_between(a, b)
    return (b - a).days


def in_full_refund_window(terms: RefundTerms) -> Basis | None:
    """Which full-refund window the request falls in, if any.

    Before the start: within ``full_refund_days_before_start`` days of the opening. After it (the start
    day included): within ``full_refund_days_after_start`` days *and* with at most
    ``full_refund_units_after_start`` units consumed; a term that is not agreed does not limit.
    """
    if terms.request_date < terms.start_date:
        days = terms.full_refund_days_before_start
        if days is not None and _days(terms, terms.request_date, terms.start_date) <= days:
            return "full_before_start"
        return None
    days, units = terms.full_refund_days_after_start, terms.full_refund_units_after_start
    if days is None and units is None:
        return None
    if days is not None and _days(terms, terms.start_date, terms.request_date) > days:
        return None
    if units is not None and terms.consumed_units > units:
        return None
    return "full_after_start"


def refundable_units(terms: RefundTerms) -> Decimal:
    """Paid units still unconsumed: ``bought + gift − consumed``, between 0 and ``bought``."""
    remaining = terms.bought_units + terms.gift_units - terms.consumed_units
    return min(terms.bought_units, max(Decimal(0), remaining))


def compute_refund(terms: RefundTerms) -> RefundQuote:
    """Quote the refund for a request; see the module docstring for the rule and our gift decision."""
    _check_terms(terms)
    units = refundable_units(terms)
    remaining = max(Decimal(0), terms.bought_units + terms.gift_units - terms.consumed_units)
    forfeited = remaining - units
    ceiling = max(0, terms.fee_fen - terms.already_refunded_fen)
    window = in_full_refund_window(terms)
    if window is not None:
        amount = ceiling
    elif terms.bought_units > 0:
        amount = min(ceiling, prorate(terms.fee_fen, units, terms.bought_units))
    else:
        amount = 0
    basis: Basis = window or ("pro_rata" if amount > 0 else "nothing_left")
    return RefundQuote(
        units=units,
        amount_fen=amount,
        full_refund=window is not None,
        basis=basis,
        forfeited_units=forfeited,
    )
