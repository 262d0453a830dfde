"""Fund supervision: the escrow ledger of one institution (deposit, release, return; never negative)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from platform_server.feed import Emitter
from platform_server.ids import new_row_id
from platform_server.models import EscrowEntry
from platform_server.payloads import capped_sum
from platform_server.rawsql import Raw, in_values

ESCROW_COLS = (
    ("id", "text"), ("institution_id", "text"), ("kind", "text"), ("amount_fen", "bigint"),
    ("requested_fen", "bigint"), ("ref_entity", "text"), ("ref_id", "text"), ("on_date", "date"),
    ("created_at", "timestamp"),
)  # fmt: skip
SIGN = {"deposit": 1, "release": -1, "return": -1}


def held_fen(session: Session, institution_id: str) -> int:
    signed = case((EscrowEntry.kind == "deposit", EscrowEntry.amount_fen), else_=-EscrowEntry.amount_fen)
    total = session.scalar(select(capped_sum(signed)).where(EscrowEntry.institution_id == institution_id))
    return int(total or 0)


class EscrowLedger:
    """Used inside a transaction that holds the institution's counter lock, so balances cannot race."""

    def __init__(self, session: Session, emitter: Emitter, bulk: bool = False) -> None:
        """``bulk``: entries are kept and written by ``flush`` in one statement instead of via the ORM."""
        self.session = session
        self.bulk = bulk
        self._pending: list[tuple[str, str, int, int, str, str]] = []
        self.emitter = emitter
        self.institution_id = emitter.institution_id
        self._balance: int | None = None
        self._seen: set[tuple[str, str]] = set()
        self._absent: set[tuple[str, str]] = set()

    @property
    def balance(self) -> int:
        if self._balance is None:
            self._balance = held_fen(self.session, self.institution_id)
        return self._balance

    def preload(self, kind: str, ref_ids: list[str]) -> None:
        """Learn in one query which of these refs already have an entry of ``kind``."""
        if not ref_ids:
            return
        found = set(
            self.session.scalars(
                select(EscrowEntry.ref_id).where(
                    EscrowEntry.institution_id == self.institution_id,
                    EscrowEntry.kind == kind,
                    in_values(EscrowEntry.ref_id, ref_ids, self.session.get_bind().dialect.name),
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
        found = self.session.scalar(
            select(EscrowEntry.id).where(
                EscrowEntry.institution_id == self.institution_id,
                EscrowEntry.kind == kind,
                EscrowEntry.ref_id == ref_id,
            )
        )
        return found is not None

    def record(self, kind: str, ref_entity: str, ref_id: str, requested: int) -> dict[str, Any] | None:
        """Add one entry unless this (kind, ref) already has one; outflows are capped at the balance."""
        if requested < 0 or self._exists(kind, ref_id):
            return None
        amount = requested if kind == "deposit" else min(requested, self.balance)
        entry_id = new_row_id()
        if self.bulk:
            self._pending.append((entry_id, kind, amount, requested, ref_entity, ref_id))
        else:
            self.session.add(
                EscrowEntry(
                    id=entry_id,
                    institution_id=self.institution_id,
                    kind=kind,
                    amount_fen=amount,
                    requested_fen=requested,
                    ref_entity=ref_entity,
                    ref_id=ref_id,
                    on_date=self.emitter.today,
                    created_at=self.emitter.now,
                )
            )
        self._seen.add((kind, ref_id))
        self._balance = self.balance + SIGN[kind] * amount
        payload = {
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
        self.emitter.put(self.emitter.new("escrow_entry", entry_id), "insert", payload, None)
        return payload

    def flush(self) -> None:
        """Write the entries kept in bulk mode (executemany on SQLite, ``COPY`` on PostgreSQL)."""
        if not self._pending:
            return
        raw = Raw(self.session)
        on_date, created_at = raw.date(self.emitter.today), raw.ts(self.emitter.now)
        rows = [
            (eid, self.institution_id, kind, amount, requested, ref_entity, ref_id, on_date, created_at)
            for eid, kind, amount, requested, ref_entity, ref_id in self._pending
        ]
        raw.insert("escrow_entry", ESCROW_COLS, rows)
        self._pending = []
