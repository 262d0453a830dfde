"""Server-side totals of one institution for a date range, for reconciliation with the client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from platform_server.escrow import SIGN
from platform_server.models import EntityRow, EscrowEntry
from platform_server.payloads import capped_sum
from platform_server.scope import InstitutionScope, scoped
from platform_server.wire import EscrowTotalsJson, StatsJson


def _rows_in_range(entity: str, start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [EntityRow.entity == entity, EntityRow.deleted.is_(False)]
    if start is not None:
        conds.append(EntityRow.biz_date >= start)
    if end is not None:
        conds.append(EntityRow.biz_date <= end)
    return conds


def _sum_amount(session: Session, conds: list[ColumnElement[bool]]) -> int:
    amount = EntityRow.payload["amount_fen"].as_integer()
    return int(session.scalar(select(capped_sum(amount)).where(*conds)) or 0)


def _escrow(session: Session, start: dt.date | None, end: dt.date | None) -> EscrowTotalsJson:
    conds: list[ColumnElement[bool]] = []
    if end is not None:
        conds.append(EscrowEntry.on_date <= end)
    totals = {"deposit": 0, "release": 0, "return": 0, "reclaim": 0}
    held = 0
    stmt = select(EscrowEntry.kind, EscrowEntry.on_date, EscrowEntry.amount_fen).where(*conds)
    for kind, on_date, amount in session.execute(stmt):
        held += amount * SIGN[kind]
        if start is None or on_date >= start:
            totals[kind] += amount
    return {
        "escrow_deposited_fen": totals["deposit"],
        # a release taken back (the charge was reversed after it) is no longer released
        "escrow_released_fen": totals["release"] - totals["reclaim"],
        "escrow_returned_fen": totals["return"],
        "escrow_held_fen": held,
    }


def compute_stats(
    session: Session, scope: InstitutionScope, start: dt.date | None, end: dt.date | None
) -> StatsJson:
    """The totals of ``scope``'s institution (the session sees its rows only, see ``scoped``)."""
    with scoped(session, scope):
        return _totals(session, start, end)


def _totals(session: Session, start: dt.date | None, end: dt.date | None) -> StatsJson:
    charged = [*_rows_in_range("attendance", start, end), EntityRow.payload["charged"].as_boolean()]
    units = Decimal(0)
    lessons = 0
    consumption = 0
    stmt = select(EntityRow.payload["units"].as_string(), EntityRow.payload["amount_fen"].as_integer()).where(
        *charged
    )
    for unit_text, amount in session.execute(stmt):
        lessons += 1
        consumption += int(amount or 0)
        try:
            units += Decimal(unit_text or "0")
        except InvalidOperation:
            continue
    return {
        "from_date": start,
        "to_date": end,
        "lessons_consumed": lessons,
        "units_consumed": str(units),
        "consumption_fen": consumption,
        "payments_fen": _sum_amount(session, _rows_in_range("payment", start, end)),
        "refunds_fen": _sum_amount(session, _rows_in_range("refund", start, end)),
        **_escrow(session, start, end),
    }
