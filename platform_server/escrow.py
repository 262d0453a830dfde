"""Fund supervision: the escrow ledger of one institution (deposit, release, return, reclaim; never
negative). ``reclaim`` brings back what was released for a lesson whose charge the institution reversed."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, case, select
from sqlalchemy.orm import Session

from platform_server.feed import Emitter
from platform_server.ids import new_row_id
from platform_server.models import EscrowEntry
from platform_server.payloads import capped_sum
from platform_server.rawsql import columns, in_values
from platform_server.scope import InstitutionScope, scoped
from platform_server.wire import EscrowEntryJson, as_payload

ESCROW_COLS = columns(cast(Table, EscrowEntry.__table__))
_escrow_values = itemgetter(*(name for name, _ in ESCROW_COLS))
SIGN = {"deposit": 1, "release": -1, "return": -1, "reclaim": 1}
#: the kinds that bring money into the supervised account
INFLOWS = tuple(kind for kind, sign in SIGN.items() if sign > 0)


def held_fen(session: Session, scope: InstitutionScope) -> int:
    signed = case((EscrowEntry.kind.in_(INFLOWS), EscrowEntry.amount_fen), else_=-EscrowEntry.amount_fen)
    with scoped(session, scope):
        total = session.scalar(select(capped_sum(signed)))
    return int(total or 0)


class EscrowLedger:
    """Used inside a transaction that holds the institution's counter lock, so balances cannot race."""

    def __init__(self, session: Session, emitter: Emitter, bulk: bool = False) -> None:
        """``bulk``: entries are kept and written by ``flush`` in one statement instead of via the ORM."""
        self.session = session
        self.bulk = bulk
        self._pending: list[dict[str, Any]] = []
        self.emitter = emitter
        self.scope = emitter.scope
        self._balance: int | None = None
        self._seen: set[tuple[str, str]] = set()
        self._absent: set[tuple[str, str]] = set()

    @property
    def balance(self) -> int:
        if self._balance is None:
            self._balance = held_fen(self.session, self.scope)
        return self._balance

    def preload(self, kind: str, ref_ids: list[str]) -> None:
        """Learn in one query which of these refs already have an entry of ``kind``."""
        if not ref_ids:
            return
        dialect = self.session.get_bind().dialect.name
        with scoped(self.session, self.scope):
            found = set(
                self.session.scalars(
                    select(EscrowEntry.ref_id).where(
                        EscrowEntry.kind == kind, in_values(EscrowEntry.ref_id, ref_ids, dialect)
                    )
                )
            )
        self._seen.update((kind, ref) for ref in found)
        self._absent.update((kind, ref) for ref in ref_ids if ref not in found)

    def _exists(self, kind: str, ref_id: str) -> bool:
        if (kind, ref_id) in self._seen:
            return True
        if (kind, ref_id) in self._absent:
            return False
        with scoped(self.session, self.scope):
            found = self.session.scalar(
                select(EscrowEntry.id).where(EscrowEntry.kind == kind, EscrowEntry.ref_id == ref_id)
            )
        return found is not None

    def record(self, kind: str, ref_entity: str, ref_id: str, requested: int) -> EscrowEntryJson | None:
        """Add one entry unless this (kind, ref) already has one; outflows are capped at the balance."""
        if requested < 0 or self._exists(kind, ref_id):
            return None
        amount = requested if SIGN[kind] > 0 else min(requested, self.balance)
        entry_id = new_row_id()
        entry = {
            "id": entry_id, "kind": kind, "amount_fen": amount, "requested_fen": requested,
            "ref_entity": ref_entity, "ref_id": ref_id,
        }  # fmt: skip
        if self.bulk:
            self._pending.append(entry)
        else:
            self.session.add(
                EscrowEntry(
                    **entry,
                    institution_id=self.scope.institution_id,
                    on_date=self.emitter.today,
                    created_at=self.emitter.now,
                )
            )
        self._seen.add((kind, ref_id))
        self._balance = self.balance + SIGN[kind] * amount
        payload: EscrowEntryJson = {
            "id": entry_id,
            "kind": kind,
            "amount_fen": amount,
            "requested_fen": requested,
            "capped": amount < requested,
            "ref_entity": ref_entity,
            "ref_id": ref_id,
            "on_date": self.emitter.today.isoformat(),
            "balance_fen": self._balance,
        }
        row = self.emitter.new("escrow_entry", entry_id)
        self.emitter.put(row, "insert", as_payload(payload), None)
        return payload

    def flush(self) -> None:
        """Write the entries kept in bulk mode (executemany on SQLite, ``COPY`` on PostgreSQL)."""
        if not self._pending:
            return
        raw = self.emitter.raw()
        dated = {"on_date": raw.date(self.emitter.today), "created_at": raw.ts(self.emitter.now)}
        rows = [_escrow_values({**entry, **dated}) for entry in self._pending]
        raw.insert("escrow_entry", ESCROW_COLS, rows)
        self._pending = []
