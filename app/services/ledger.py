"""Corrections of the money and unit ledger: reversals, adjustments and expiry (manager only).

Ledger entries are append-only (docs/domain.md): a mistake is corrected by a ``reverse`` entry carrying the
negated units and money and ``reverses_id``, never by an UPDATE. Every correction keeps the contract's
balance non-negative on this desk (only offline merges may overdraw), and a closed or refunded contract
is no longer corrected here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import Actor, Permission, require
from app.services.lookups import get_live
from localdb.balances import contract_balance
from localdb.codes import ContractStatus
from localdb.models import Contract, LedgerEntry

MESSAGES: dict[str, str] = {
    "ledger.reason_required": "请填写更正原因",
    "ledger.already_reversed": "该流水已被冲正过，不能重复冲正",
    "ledger.reverse_of_reversal": "冲正流水不能再冲正；如需恢复，请重新录入",
    "ledger.refund_not_reversible": "退费流水不能冲正",
    "ledger.contract_closed": "合同已{status_label}，不能再更正流水",
    "ledger.would_overdraw": "更正后合同余额为负（剩余{units_left}课时、{fen_left}分），不能执行",
    "ledger.empty_adjustment": "调整的课时数和金额不能同时为零",
    "ledger.bad_units": "课时数最多两位小数：{value}",
    "ledger.nothing_to_expire": "合同已没有剩余课时或金额",
}
InstDeskError.register(MESSAGES)

_STATUS_LABELS = {"closed": "结束", "refunded": "退费"}


@dataclass(frozen=True)
class EntryInfo:
    entry_id: str
    contract_id: str
    kind: str
    units: Decimal
    amount_fen: int
    reverses_id: str | None
    reason: str | None


def _info(row: LedgerEntry) -> EntryInfo:
    return EntryInfo(
        row.id, row.contract_id, row.kind, row.units, row.amount_fen, row.reverses_id, row.reason
    )


def _reason(reason: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError("ledger.reason_required")
    return reason.strip()


def _active_contract(session: Session, contract_id: str) -> Contract:
    contract = get_live(session, Contract, contract_id)
    if contract.status != ContractStatus.ACTIVE:
        raise RuleViolation(
            "ledger.contract_closed",
            status=contract.status,
            status_label=_STATUS_LABELS.get(contract.status, ""),
        )
    return contract


def book(
    session: Session,
    actor: Actor,
    contract: Contract,
    kind: str,
    units: Decimal,
    fen: int,
    reason: str,
    reverses_id: str | None = None,
    *,
    check: bool = True,
    entry_id: str | None = None,
) -> LedgerEntry:
    """Append one entry; with ``check``, refuse it when it would overdraw the contract on this desk.
    ``entry_id``: a derived id (the same on every desk) for an entry that must exist only once."""
    if check:
        left = contract_balance(session, contract.id)
        if (left.units_left + units < 0 and units < 0) or (left.fen_left + fen < 0 and fen < 0):
            raise RuleViolation(
                "ledger.would_overdraw", units_left=str(left.units_left + units), fen_left=left.fen_left + fen
            )
    entry = LedgerEntry(
        **({"id": entry_id} if entry_id else {}),
        contract_id=contract.id,
        student_id=contract.student_id,
        course_id=contract.course_id,
        kind=kind,
        units=units,
        amount_fen=fen,
        reverses_id=reverses_id,
        reason=reason,
        created_by=actor.username,
    )
    session.add(entry)
    session.flush()
    audit(session, actor, f"ledger.{kind}", "ledger_entry", entry.id, contract_id=contract.id, reason=reason)
    return entry


def reverse_entry(db: Database, actor: Actor, entry_id: str, reason: str) -> EntryInfo:
    """Cancel a mistaken entry with its exact opposite (once; never a reversal or a refund)."""
    require(actor, Permission.CORRECT_LEDGER)
    why = _reason(reason)
    with db.transaction() as session:
        entry = get_live(session, LedgerEntry, entry_id)
        if entry.kind == "reverse":
            raise RuleViolation("ledger.reverse_of_reversal")
        if entry.kind == "refund":
            raise RuleViolation("ledger.refund_not_reversible")
        if session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == entry_id)) is not None:
            raise RuleViolation("ledger.already_reversed")
        contract = _active_contract(session, entry.contract_id)
        return _info(
            book(session, actor, contract, "reverse", -entry.units, -entry.amount_fen, why, entry.id)
        )


def _signed_units(value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError("ledger.bad_units", value=repr(value))
    units = Decimal(value)
    if not units.is_finite() or units != units.quantize(Decimal("0.01")):
        raise ValidationError("ledger.bad_units", value=str(value))
    return units


def adjust(
    db: Database, actor: Actor, contract_id: str, units: Decimal | int, amount_fen: int, reason: str
) -> EntryInfo:
    """A signed correction of units and/or money (a goodwill lesson, a price correction)."""
    require(actor, Permission.CORRECT_LEDGER)
    why = _reason(reason)
    delta = _signed_units(units)
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise ValidationError("money.not_integer", field="调整金额")
    if delta == 0 and amount_fen == 0:
        raise ValidationError("ledger.empty_adjustment")
    with db.transaction() as session:
        contract = _active_contract(session, contract_id)
        return _info(book(session, actor, contract, "adjust", delta, amount_fen, why))


def expire(db: Database, actor: Actor, contract_id: str, reason: str = "课时到期") -> EntryInfo:
    """Expire what is left of a contract (units and money) and close it."""
    require(actor, Permission.CORRECT_LEDGER)
    why = _reason(reason)
    with db.transaction() as session:
        contract = _active_contract(session, contract_id)
        left = contract_balance(session, contract_id)
        if left.units_left <= 0 and left.fen_left <= 0:
            raise RuleViolation("ledger.nothing_to_expire")
        entry = book(
            session, actor, contract, "expire", -max(left.units_left, Decimal(0)), -max(left.fen_left, 0), why
        )
        contract.status = ContractStatus.CLOSED
        return _info(entry)
