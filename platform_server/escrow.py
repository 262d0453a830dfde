"""Fund supervision: the escrow ledger of one institution (deposit, release, return; never negative)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from platform_server.feed import Emitter
from platform_server.models import EscrowEntry
from platform_server.rawsql import in_values

SIGN = {"deposit": 1, "release": -1, "return": -1}


def held_fen(session: Session, institution_id: str) -> int:
    signed = case((EscrowEntry.kind == "deposit", EscrowEntry.amount_fen), else_=-EscrowEntry.amount_fen)
    total = session.scalar(
        select(func.coalesce(func.sum(signed), 0)).where(EscrowEntry.institution_id == institution_id)
    )
    return int(total or 0)


class EscrowLedger:
    """Used inside a transaction that holds the institution's counter lock, so balances cannot race."""

    def __init__(self, session: Session, emitter: Emitter) -> None:
        self.session = session
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
        entry = EscrowEntry(
            id=str(uuid.uuid4()),
            institution_id=self.institution_id,
            kind=kind,
            amount_fen=amount,
            requested_fen=requested,
            ref_entity=ref_entity,
            ref_id=ref_id,
            on_date=self.emitter.today,
            created_at=self.emitter.now,
        )
        self.session.add(entry)
        self._seen.add((kind, ref_id))
        self._balance = self.balance + SIGN[kind] * amount
        payload = {
            "id": entry.id,
            "kind": kind,
            "amount_fen": amount,
            "requested_fen": requested,
            "capped": amount < requested,
            "ref_entity": ref_entity,
            "ref_id": ref_id,
            "on_date": entry.on_date.isoformat(),
            "balance_fen": self._balance,
        }
        self.emitter.put(self.emitter.new("escrow_entry", entry.id), "insert", payload, None)
        return payload
