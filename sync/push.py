"""Push the outbox: seq order, batches of at most 500, each op deleted only after the server's answer.

The server wants a gapless ``seq`` per device. Local outbox seqs are not that (a new login is a new
device), so each op gets the device's next server seq when it is first claimed for sending; the
assignment and ``next_seq`` are committed *before* the request, so a resend after a crash or a lost
response carries the same seq and op_id and the server answers ``duplicate`` with the original result.

Master rows are versioned: an op's ``base_version`` must be the server version it was made on. An op
that follows an unacknowledged op on the same row was captured with a stale base, so a batch ends
before a second op on the same master row, and the base of later ops is rewritten when the earlier op
is acknowledged as applied. If the earlier op conflicted, the later ones keep their base and conflict
too: they were made on a state the server never had.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import orjson
from sqlalchemy import Connection

from app.db import Database
from localdb.capture import capture_suspended
from localdb.codes import ProblemKind, PushOutcome
from localdb.schema import SYNCED_TABLES
from sync import state
from sync.apply import Applier, Incoming, record_problem
from sync.client import ApiClient, field
from sync.errors import BadReply, PlatformLost, SeqGap, SyncError
from sync.mapping import to_wire
from sync.wire import OpJson, OpResultJson, PushReply

log = logging.getLogger("sync.push")
BATCH = 500
STATUSES = frozenset(PushOutcome)
#: Entities whose ops the server applies without comparing versions (last write wins, append-only).
UNVERSIONED = frozenset({"attendance", "payment", "ledger_entry", "refund"})


@dataclass(frozen=True)
class OutOp:
    outbox_seq: int
    server_seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    base_version: int | None
    payload: str

    def wire(self) -> OpJson:
        data = orjson.loads(self.payload)
        payload = to_wire(self.entity, data) if self.entity in SYNCED_TABLES else data
        return {
            "seq": self.server_seq, "op_id": self.op_id, "entity": self.entity, "entity_id": self.entity_id,
            "op": self.op, "base_version": self.base_version, "payload": payload,
        }  # fmt: skip


@dataclass
class PushResult:
    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    rejected: int = 0
    batches: int = 0

    @property
    def sent(self) -> int:
        return self.applied + self.duplicates + self.conflicts + self.rejected


def pending_count(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() or 0)


def claim(
    conn: Connection,
    device_id: str,
    limit: int = BATCH,
    *,
    after: int = 0,
    busy: frozenset[tuple[str, str]] = frozenset(),
) -> list[OutOp]:
    """The next ``limit`` ops after outbox seq ``after``, assigning server seqs to those that never had one.

    ``busy``: versioned rows with an op still on the wire; the batch ends before a new op on one of them.
    """
    rows = conn.exec_driver_sql(
        "SELECT o.seq, a.server_seq, a.device_id, o.op_id, o.entity, o.entity_id, o.op, o.base_version,"
        " o.payload FROM sync_outbox o LEFT JOIN sync_outbox_seq a ON a.outbox_seq = o.seq"
        " WHERE o.seq > ? ORDER BY o.seq LIMIT ?",
        (after, limit),
    ).all()
    if any(r[2] is not None and r[2] != device_id for r in rows):
        conn.exec_driver_sql("DELETE FROM sync_outbox_seq WHERE device_id != ?", (device_id,))
        return claim(conn, device_id, limit, after=after, busy=busy)
    next_seq = state.get_int(conn, state.NEXT_SEQ, 1)
    seen: set[tuple[str, str]] = set()
    ops: list[OutOp] = []
    fresh: list[OutOp] = []
    for seq, server_seq, dev, op_id, entity, entity_id, op, base, payload in rows:
        key = (entity, entity_id)
        if dev is None:
            if entity not in UNVERSIONED and (key in seen or key in busy):
                break  # its base depends on the answer to the earlier op: next batch
            server_seq, next_seq = next_seq, next_seq + 1
        seen.add(key)
        out = OutOp(seq, server_seq, op_id, entity, entity_id, op, base, payload)
        ops.append(out)
        if dev is None:
            fresh.append(out)
    if fresh:
        conn.exec_driver_sql(
            "INSERT INTO sync_outbox_seq (outbox_seq, device_id, server_seq) VALUES (?, ?, ?)",
            [(o.outbox_seq, device_id, o.server_seq) for o in fresh],
        )
        conn.exec_driver_sql(
            "UPDATE sync_outbox SET state = 'sending' WHERE seq = ?", [(o.outbox_seq,) for o in fresh]
        )
        state.put(conn, state.NEXT_SEQ, next_seq)
    return ops


def renumber(conn: Connection, device_id: str, expected: int) -> None:
    """After a 409 gap: give the claimed ops consecutive seqs from the server's ``expected_seq``."""
    seqs = [
        int(r[0])
        for r in conn.exec_driver_sql(
            "SELECT outbox_seq FROM sync_outbox_seq WHERE device_id = ? ORDER BY outbox_seq", (device_id,)
        )
    ]
    conn.exec_driver_sql("DELETE FROM sync_outbox_seq")
    if not seqs:
        return
    conn.exec_driver_sql(
        "INSERT INTO sync_outbox_seq (outbox_seq, device_id, server_seq) VALUES (?, ?, ?)",
        [(s, device_id, expected + i) for i, s in enumerate(seqs)],
    )
    state.put(conn, state.NEXT_SEQ, expected + len(seqs))


def _check(ops: list[OutOp], reply: PushReply) -> dict[str, OpResultJson]:
    """Every op sent has one well-formed result, or the whole reply is refused (nothing applied)."""
    results: dict[str, OpResultJson] = {}
    for item in reply["results"]:
        results[field(item, "op_id", str)] = item
        if field(item, "status", str) not in STATUSES:
            raise BadReply("status")
    for op in ops:
        answer = results.get(op.op_id)
        if answer is None:
            raise BadReply(f"缺少操作 {op.server_seq} 的结果")
        if _outcome(answer) == PushOutcome.APPLIED and not isinstance(answer.get("version"), int):
            raise BadReply("version")
    return results


def _outcome(item: OpResultJson) -> str:
    """The op's outcome (a ``PushOutcome``; a duplicate answers with the original one, as sent)."""
    status = str(item["status"])
    if status == PushOutcome.DUPLICATE:
        original = item.get("original_status")
        taken = (None, PushOutcome.APPLIED, PushOutcome.DUPLICATE)
        return PushOutcome.APPLIED if original in taken else str(original)
    return status


class Pusher:
    """Drains the outbox through one ``ApiClient``; ``progress(done)`` after every batch."""

    def __init__(
        self,
        db: Database,
        client: ApiClient,
        device_id: str,
        *,
        batch: int = BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.device_id = device_id
        self.batch = min(batch, BATCH)
        self.progress = progress
        self.result = PushResult()
        self.gaps = 0

    def run(self) -> PushResult:
        """Send batches until the outbox is empty, one request on the wire at a time.

        While a batch is on the wire the next one is claimed (its seqs committed) and encoded, and it is
        sent as soon as the answer arrives, before that answer is stored: the desk's database work
        overlaps the server's instead of waiting for it. Server seqs stay in order: one request at a time.
        """
        with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as wire:
            with self.db.transaction() as session:
                ops = claim(session.connection(), self.device_id, self.batch)
            sending = self._send(wire, ops, [op.wire() for op in ops])
            while sending is not None:
                upcoming = self._claim_after(ops)
                encoded = [op.wire() for op in upcoming]
                try:
                    reply = sending.result()
                except SeqGap as gap:
                    ops = self._renumber(gap)
                    sending = self._send(wire, ops, [op.wire() for op in ops])
                    continue
                results = _check(ops, reply)
                sending = self._send(wire, upcoming, encoded)
                with self.db.transaction() as session:
                    conn = session.connection()
                    with capture_suspended(conn):
                        self._settle(conn, ops, results)
                    if sending is None:  # the next batch waited for this answer (same row), or none is left
                        upcoming = claim(conn, self.device_id, self.batch)
                self.result.batches += 1
                if self.progress is not None:
                    self.progress(self.result.sent)
                if sending is None:
                    sending = self._send(wire, upcoming, [op.wire() for op in upcoming])
                ops = upcoming
        return self.result

    def _send(
        self, wire: ThreadPoolExecutor, ops: list[OutOp], encoded: list[OpJson]
    ) -> Future[PushReply] | None:
        return wire.submit(self.client.push, self.device_id, encoded) if ops else None

    def _claim_after(self, ops: list[OutOp]) -> list[OutOp]:
        busy = frozenset((op.entity, op.entity_id) for op in ops if op.entity not in UNVERSIONED)
        with self.db.transaction() as session:
            conn = session.connection()
            return claim(conn, self.device_id, self.batch, after=ops[-1].outbox_seq, busy=busy)

    def _renumber(self, gap: SeqGap) -> list[OutOp]:
        """After a 409 gap: every claimed op (the one on the wire and the next) gets the server's seqs.

        A platform asking for a seq it had already acknowledged has lost those ops (restored from a
        backup): ``PlatformLost``, and the engine re-sends what it lacks (``sync.resend``)."""
        with self.db.reading() as session:
            acked = state.get_int(session.connection(), state.ACKED_SEQ)
        if 1 <= gap.expected_seq <= acked:
            raise PlatformLost(gap.expected_seq, acked) from gap
        self.gaps += 1
        if self.gaps > 3 or gap.expected_seq < 1:
            raise SyncError("sync.bad_reply", detail=f"seq_gap {gap.expected_seq}") from gap
        log.warning("seq gap: server expects %s, renumbering", gap.expected_seq)
        with self.db.transaction() as session:
            renumber(session.connection(), self.device_id, gap.expected_seq)
            return claim(session.connection(), self.device_id, self.batch)

    def _settle(self, conn: Connection, ops: list[OutOp], results: dict[str, OpResultJson]) -> None:
        acked: list[tuple[OutOp, int]] = []
        for op in ops:
            item = results[op.op_id]
            outcome = _outcome(item)
            if outcome == PushOutcome.APPLIED:
                version = item.get("version")
                assert version is not None  # _check refused an applied result without one
                acked.append((op, version))
                if item["status"] == PushOutcome.DUPLICATE:
                    self.result.duplicates += 1
                else:
                    self.result.applied += 1
            else:
                self._problem(conn, op, outcome, item)
        self._acknowledge(conn, acked)
        conn.exec_driver_sql("DELETE FROM sync_outbox WHERE seq = ?", [(op.outbox_seq,) for op in ops])
        if ops:  # answered in seq order: the platform has acknowledged every seq up to the last one
            state.put(conn, state.ACKED_SEQ, max(op.server_seq for op in ops))

    def _acknowledge(self, conn: Connection, acked: list[tuple[OutOp, int]]) -> None:
        """Write server versions back and re-base later, not yet claimed ops of the same rows."""
        if not acked:
            return  # (an empty executemany would be sent as a statement without parameters)
        by_table: dict[str, list[tuple[int, str, int]]] = {}
        for op, version in acked:
            if op.entity in SYNCED_TABLES:
                by_table.setdefault(op.entity, []).append((version, op.entity_id, version))
        for entity, params in by_table.items():
            conn.exec_driver_sql(f"UPDATE {entity} SET version = ? WHERE id = ? AND version < ?", params)
        # later, not yet claimed ops of the same versioned rows were captured on the old version
        rebase = [(v, o.entity, o.entity_id, o.outbox_seq) for o, v in acked if o.entity not in UNVERSIONED]
        if rebase:
            conn.exec_driver_sql(
                "UPDATE sync_outbox SET base_version = ? WHERE entity = ? AND entity_id = ? AND seq > ?"
                " AND seq NOT IN (SELECT outbox_seq FROM sync_outbox_seq)",
                rebase,
            )

    def _problem(self, conn: Connection, op: OutOp, outcome: str, item: OpResultJson) -> None:
        """Keep a refused op for the user and show the server's row locally; the queue goes on."""
        if outcome == PushOutcome.CONFLICT:
            self.result.conflicts += 1
        else:
            self.result.rejected += 1
        kind = ProblemKind.CONFLICT if outcome == PushOutcome.CONFLICT else ProblemKind.REJECTED
        server_row = item.get("server_row")
        reason = str(item.get("reason") or outcome)
        record_problem(
            conn,
            op.entity,
            op.entity_id,
            reason,
            server_row,
            op_id=op.op_id,
            kind=kind,
            local_payload=op.payload,
        )
        if isinstance(server_row, dict) and op.entity in SYNCED_TABLES:
            try:
                row = Incoming(
                    op.entity,
                    op.entity_id,
                    int(server_row["version"]),
                    bool(server_row.get("deleted")),
                    dict(server_row["payload"]),
                )
            except (KeyError, TypeError, ValueError):
                return
            Applier(conn, respect_pending=False, outbox_empty=True).apply([row])
