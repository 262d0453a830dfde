"""Invariant queries behind ``instdesk check``; each returns plain dataclasses and prints nothing.

1. balances: every contract's remaining units/fen = ledger entries − charged attendance; overdrawn contracts
   are listed as balances to settle (legitimate after offline desks both used the last lesson);
2. reversals: every ``reverses_id`` points at an existing entry of the same contract, exactly cancels it,
   and no entry is reversed twice;
3. outbox: every synced row never acknowledged by the server (version 0) has an outbox op;
4. capture: the capture triggers are present, equal to the generated ones, and capture is switched on;
5. summaries: the statistics caches (``localdb.summaries``) equal a recomputation from the source rows, and
   their triggers equal the generated ones (drift is reported with the capture triggers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, and_, exists, func, literal, or_, select
from sqlalchemy.orm import aliased

from localdb import summaries
from localdb.balances import movements
from localdb.capture import capture_enabled, current_triggers, installed_triggers
from localdb.models import LedgerEntry, metadata
from localdb.schema import SYNCED_TABLES
from localdb.summaries import SummaryMismatch
from localdb.types import units_from_x100


@dataclass(frozen=True, slots=True)
class Overdrawn:
    contract_id: str
    units_left: Decimal
    fen_left: int


@dataclass(frozen=True, slots=True)
class BadReversal:
    entry_id: str
    reverses_id: str
    problem: str  # 'missing' | 'other_contract' | 'not_opposite' | 'reversed_twice'


@dataclass(frozen=True, slots=True)
class UncapturedRow:
    entity: str
    entity_id: str


@dataclass(frozen=True, slots=True)
class TriggerDrift:
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    different: tuple[str, ...] = ()
    capture_off: bool = False

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.different or self.capture_off)


@dataclass(frozen=True, slots=True)
class InvariantReport:
    overdrawn: list[Overdrawn] = field(default_factory=list)
    bad_reversals: list[BadReversal] = field(default_factory=list)
    uncaptured: list[UncapturedRow] = field(default_factory=list)
    triggers: TriggerDrift = field(default_factory=TriggerDrift)
    summary_mismatches: list[SummaryMismatch] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is corrupt; overdrawn contracts are reported but are not failures."""
        return (
            not self.bad_reversals
            and not self.uncaptured
            and self.triggers.ok
            and not self.summary_mismatches
        )


def overdrawn_contracts(conn: Connection) -> list[Overdrawn]:
    """Contracts whose remaining units or money are below zero."""
    mv = movements()
    units, fen = func.sum(mv.c.u), func.sum(mv.c.f)
    query = (
        select(mv.c.contract_id, units, fen)
        .group_by(mv.c.contract_id)
        .having(or_(units < 0, fen < 0))
        .order_by(mv.c.contract_id)
    )
    return [Overdrawn(str(cid), units_from_x100(u), int(f)) for cid, u, f in conn.execute(query)]


def bad_reversals(conn: Connection) -> list[BadReversal]:
    """Reversing entries that point nowhere, across contracts, do not cancel, or repeat a reversal."""
    entry, target = aliased(LedgerEntry, name="e"), aliased(LedgerEntry, name="t")
    problem = (
        select(
            entry.id,
            entry.reverses_id,
            target.id.label("target_id"),
            (target.contract_id == entry.contract_id).label("same_contract"),
            and_(entry.units + target.units == 0, entry.amount_fen + target.amount_fen == 0).label(
                "opposite"
            ),
        )
        .outerjoin(target, target.id == entry.reverses_id)
        .where(entry.reverses_id.is_not(None))
    )
    found: list[BadReversal] = []
    for eid, rid, tid, same, opposite in conn.execute(problem):
        kind = "missing" if tid is None else "other_contract" if not same else None
        kind = kind or (None if opposite else "not_opposite")
        if kind:
            found.append(BadReversal(str(eid), str(rid), kind))
    twice = (
        select(LedgerEntry.reverses_id, func.min(LedgerEntry.id))
        .where(LedgerEntry.reverses_id.is_not(None))
        .group_by(LedgerEntry.reverses_id)
        .having(func.count() > 1)
    )
    found.extend(BadReversal(str(eid), str(rid), "reversed_twice") for rid, eid in conn.execute(twice))
    return found


def uncaptured_rows(conn: Connection, limit_per_table: int = 100) -> list[UncapturedRow]:
    """Synced rows with version 0 (never acknowledged) and no op in the outbox."""
    outbox = metadata.tables["sync_outbox"]
    found: list[UncapturedRow] = []
    for name in SYNCED_TABLES:
        table = metadata.tables[name]
        has_op = exists().where(outbox.c.entity == literal(name), outbox.c.entity_id == table.c.id)
        query = select(table.c.id).where(table.c.version == 0, ~has_op).limit(limit_per_table)
        found.extend(UncapturedRow(name, str(rid)) for (rid,) in conn.execute(query))
    return found


def trigger_drift(conn: Connection) -> TriggerDrift:
    """Compare the installed capture and summary triggers with those generated from the current code."""
    want = {**current_triggers(), **summaries.generate_triggers()}
    have = {**installed_triggers(conn), **summaries.installed_triggers(conn)}
    return TriggerDrift(
        missing=tuple(sorted(want.keys() - have.keys())),
        unexpected=tuple(sorted(have.keys() - want.keys())),
        different=tuple(sorted(n for n in want.keys() & have.keys() if want[n] != have[n])),
        capture_off=not capture_enabled(conn),
    )


def check_all(conn: Connection) -> InvariantReport:
    """Run every invariant query (inside one read transaction of ``conn`` for a consistent snapshot)."""
    return InvariantReport(
        overdrawn=overdrawn_contracts(conn),
        bad_reversals=bad_reversals(conn),
        uncaptured=uncaptured_rows(conn),
        triggers=trigger_drift(conn),
        summary_mismatches=summaries.verify(conn),
    )
