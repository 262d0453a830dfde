"""Derived balances: remaining 课时 and prepaid money per contract.

A balance is never stored (docs/architecture.md): it is the contract's ledger entries minus its charged
attendance rows. Both sums are read from covering indexes (``ix_ledger_entry_contract_sums``,
``ix_attendance_contract_charged``) in ONE query for any number of contracts or students, so a roll call
of 40 students costs one query for all their balances.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Connection, Integer, Select, Subquery, bindparam, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from localdb.models import metadata
from localdb.types import units_from_x100

_ledger = metadata.tables["ledger_entry"]
_attendance = metadata.tables["attendance"]
_contract = metadata.tables["contract"]


class Balance(NamedTuple):
    """What is left on a contract; negative means overdrawn (a balance to settle, not corruption)."""

    units_left: Decimal
    fen_left: int


@dataclass(frozen=True, slots=True)
class ContractBalance:
    """One contract of a student with its balance (plain data for UI workers)."""

    contract_id: str
    student_id: str
    course_id: str
    contract_no: str
    status: str
    units_left: Decimal
    fen_left: int


def movements(contract_ids: Select[tuple[str]] | None = None) -> Subquery:
    """Signed unit/fen movements per contract: ledger entries (+) and charged attendance (−).

    ``contract_ids`` restricts both sides (a sub-select of ids); None means every contract. Lessons of a
    先学后付 contract are owed, not taken from a package (docs/pay_after.md): they are not movements.
    """
    units = type_coerce(_ledger.c.units_x100, Integer)
    ledger = select(_ledger.c.contract_id, units.label("u"), _ledger.c.amount_fen.label("f"))
    a_units = type_coerce(_attendance.c.units_x100, Integer)
    pay_after = select(_contract.c.id).where(_contract.c.billing == "pay_after")
    charged = select(
        _attendance.c.contract_id, (literal(0) - a_units).label("u"), (-_attendance.c.amount_fen).label("f")
    ).where(
        _attendance.c.charged.is_(True),
        _attendance.c.contract_id.is_not(None),
        _attendance.c.contract_id.not_in(pay_after),
    )
    if contract_ids is not None:
        ledger = ledger.where(_ledger.c.contract_id.in_(contract_ids))
        charged = charged.where(_attendance.c.contract_id.in_(contract_ids))
    return ledger.union_all(charged).subquery("movement")


def _sums(contract_ids: Select[tuple[str]] | None) -> Subquery:
    mv = movements(contract_ids)
    return (
        select(mv.c.contract_id, func.sum(mv.c.u).label("u"), func.sum(mv.c.f).label("f"))
        .group_by(mv.c.contract_id)
        .subquery("sums")
    )


def _balance(units_x100: int | None, fen: int | None) -> Balance:
    return Balance(units_from_x100(units_x100 or 0), int(fen or 0))


def contract_balances(conn: Connection | Session, contract_ids: Collection[str]) -> dict[str, Balance]:
    """Balances of many contracts in one query; contracts without any movement get zero."""
    if not contract_ids:
        return {}
    ids = select(_contract.c.id).where(_contract.c.id.in_(bindparam("ids", expanding=True)))
    sums = _sums(ids)
    rows = conn.execute(select(sums.c.contract_id, sums.c.u, sums.c.f), {"ids": list(contract_ids)})
    result = {cid: _balance(0, 0) for cid in contract_ids}
    for cid, units, fen in rows:
        result[str(cid)] = _balance(units, fen)
    return result


def contract_balance(conn: Connection | Session, contract_id: str) -> Balance:
    """``(units_left, fen_left)`` of one contract."""
    return contract_balances(conn, [contract_id])[contract_id]


def students_balances(
    conn: Connection | Session, student_ids: Collection[str]
) -> dict[str, list[ContractBalance]]:
    """Every contract of each student with its balance, in one query (roll call, student panel)."""
    if not student_ids:
        return {}
    c = _contract
    ids = select(c.c.id).where(c.c.student_id.in_(bindparam("ids", expanding=True)))
    sums = _sums(ids)
    query = (
        select(c.c.id, c.c.student_id, c.c.course_id, c.c.contract_no, c.c.status, sums.c.u, sums.c.f)
        .outerjoin(sums, sums.c.contract_id == c.c.id)
        .where(c.c.student_id.in_(bindparam("ids", expanding=True)))
        .order_by(c.c.student_id, c.c.signed_at, c.c.id)
    )
    result: dict[str, list[ContractBalance]] = {sid: [] for sid in student_ids}
    for cid, sid, course_id, no, status, units, fen in conn.execute(query, {"ids": list(student_ids)}):
        left = _balance(units, fen)
        result.setdefault(sid, []).append(
            ContractBalance(cid, sid, course_id, no, status, left.units_left, left.fen_left)
        )
    return result


def student_balances(conn: Connection | Session, student_id: str) -> list[ContractBalance]:
    """Every contract of one student with its balance (oldest contract first)."""
    return students_balances(conn, [student_id])[student_id]
