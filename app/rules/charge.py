"""Limits on one prepaid charge (one payment for one course), from 教监管函〔2021〕2号 and docs/domain.md.

One charge covers at most 3 months *or* 60 课时, whichever is shorter — so both limits apply — and at
most 5000 元. No stored value or 次卡. Regionally: no charge earlier than one month before the course
starts, and a renewal only while at most 20 课时 remain in that subject. Every number comes from the
``PolicyParams`` profile.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.errors import InstDeskError
from app.money import format_fen
from app.policy import PolicyParams
from app.rules.violation import Violation, raise_violations, violation

MESSAGES: dict[str, str] = {
    "charge.non_positive": "收费的课时数和金额必须大于零",
    "charge.stored_value": "不得以充值、次卡等形式收取培训费用",
    "charge.end_before_start": "课程结束日期{end_date}早于开始日期{start_date}",
    "charge.too_many_units": "一次收费不得超过{max_units}课时，本次为{units}课时",
    "charge.period_too_long": (
        "一次收费的时间跨度不得超过{max_months}个月（最晚至{latest_end}），本次至{end_date}"
    ),
    "charge.amount_too_high": "一次收费不得超过{max_yuan}元，本次为{amount_yuan}元",
    "charge.too_early": "最早只能在开课前{months}个月（{earliest}）收费，本次收费日期为{charge_date}",
    "charge.renewal_too_early": "该科目剩余{remaining}课时，剩余不超过{max_remaining}课时时才能续费",
}
InstDeskError.register(MESSAGES)


@dataclass(frozen=True)
class ChargeRequest:
    """One proposed charge: what is sold, for how much, for which period, and when it is paid.

    ``remaining_units_same_subject`` is what the student still has in this subject (0 for a first sale).
    """

    units: Decimal
    fee_fen: int
    start_date: date
    end_date: date
    charge_date: date
    remaining_units_same_subject: Decimal
    stored_value: bool = False


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole calendar months, clamped to the month's last day (01-31 + 1 → 02-28)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def latest_end_date(start: date, params: PolicyParams) -> date:
    """The last end date one charge may cover (start + 3 calendar months, inclusive)."""
    return add_months(start, params.max_months_per_charge)


def earliest_charge_date(start: date, params: PolicyParams) -> date:
    """The earliest day a charge for a course starting on ``start`` may be taken (start − 1 month)."""
    return add_months(start, -params.earliest_charge_months_before_start)


def max_units_allowed(params: PolicyParams) -> Decimal:
    """The most 课时 one charge may cover."""
    return params.max_units_per_charge


def _shape_violations(req: ChargeRequest) -> list[Violation]:
    found: list[Violation] = []
    if req.units <= 0 or req.fee_fen <= 0:
        found.append(violation("charge.non_positive", units=str(req.units), fee_fen=req.fee_fen))
    if req.stored_value:
        found.append(violation("charge.stored_value"))
    if req.end_date < req.start_date:
        found.append(violation("charge.end_before_start", start_date=req.start_date, end_date=req.end_date))
    return found


def _size_violations(req: ChargeRequest, params: PolicyParams) -> list[Violation]:
    found: list[Violation] = []
    if req.units > params.max_units_per_charge:
        found.append(
            violation(
                "charge.too_many_units", units=f"{req.units:f}", max_units=f"{params.max_units_per_charge:f}"
            )
        )
    latest = latest_end_date(req.start_date, params)
    if req.end_date > latest:
        found.append(
            violation(
                "charge.period_too_long",
                end_date=req.end_date,
                latest_end=latest,
                max_months=params.max_months_per_charge,
            )
        )
    if req.fee_fen > params.max_fen_per_charge:
        found.append(
            violation(
                "charge.amount_too_high",
                fee_fen=req.fee_fen,
                max_fen=params.max_fen_per_charge,
                amount_yuan=format_fen(req.fee_fen),
                max_yuan=format_fen(params.max_fen_per_charge),
            )
        )
    return found


def _timing_violations(req: ChargeRequest, params: PolicyParams) -> list[Violation]:
    found: list[Violation] = []
    earliest = earliest_charge_date(req.start_date, params)
    if req.charge_date < earliest:
        found.append(
            violation(
                "charge.too_early",
                charge_date=req.charge_date,
                earliest=earliest,
                months=params.earliest_charge_months_before_start,
            )
        )
    if req.remaining_units_same_subject > params.renewal_max_remaining_units:
        found.append(
            violation(
                "charge.renewal_too_early",
                remaining=f"{req.remaining_units_same_subject:f}",
                max_remaining=f"{params.renewal_max_remaining_units:f}",
            )
        )
    return found


def charge_violations(req: ChargeRequest, params: PolicyParams) -> list[Violation]:
    """Every rule the charge breaks, for a form that shows them all."""
    return [*_shape_violations(req), *_size_violations(req, params), *_timing_violations(req, params)]


def check_charge(req: ChargeRequest, params: PolicyParams) -> None:
    """Raise ``RuleViolation`` for the first rule the charge breaks (all of them in ``violations``)."""
    raise_violations(charge_violations(req, params))
