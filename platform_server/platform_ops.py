"""Platform-side state machines: 消课 confirmations and refund requests, and their deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import add_working_days, iso_utc
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, RowState
from platform_server.ids import new_row_id
from platform_server.models import ConsumptionConfirmation, RefundRequest
from platform_server.rawsql import Raw
from platform_server.runtime import Runtime


def confirmation_payload(c: ConsumptionConfirmation | ConfRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "attendance_id": c.attendance_id,
        "amount_fen": c.amount_fen,
        "status": c.status,
        "reason": c.reason,
        "created_on": c.created_on.isoformat(),
        "deadline": c.deadline.isoformat(),
        "decided_at": iso_utc(c.decided_at) if c.decided_at else None,
    }


def refund_payload(r: RefundRequest | RequestRow) -> dict[str, Any]:
    return {
        "id": r.id,
        "contract_id": r.contract_id,
        "units": r.units,
        "amount_fen": r.amount_fen,
        "status": r.status,
        "reason": r.reason,
        "response_reason": r.response_reason,
        "requested_on": r.requested_on.isoformat(),
        "deadline": r.deadline.isoformat(),
        "decided_at": iso_utc(r.decided_at) if r.decided_at else None,
        "returned_fen": r.returned_fen,
    }


def emit_confirmation(emitter: Emitter, c: ConsumptionConfirmation | ConfRow, op: str = "update") -> None:
    # A new confirmation has a fresh random id: no row to look up.
    state = emitter.new if op == "insert" else emitter.get
    emitter.put(state("consumption_confirmation", c.id), op, confirmation_payload(c), None)


def emit_refund(emitter: Emitter, r: RefundRequest | RequestRow, op: str = "update") -> None:
    emitter.put(emitter.get("refund_request", r.id), op, refund_payload(r), None)


CONF_COLS = (
    ("id", "text"), ("institution_id", "text"), ("attendance_id", "text"), ("amount_fen", "bigint"),
    ("status", "text"), ("reason", "text"), ("created_on", "date"), ("deadline", "date"),
    ("decided_at", "timestamp"),
)  # fmt: skip
CONF_UPDATE_COLS = (
    ("amount_fen", "bigint"), ("status", "text"), ("created_on", "date"), ("deadline", "date"),
    ("decided_at", "timestamp"),
)  # fmt: skip


@dataclass(slots=True)
class ConfRow:
    """A confirmation as the push path handles it: plain values, written in bulk by ``Confirmations``."""

    id: str
    attendance_id: str
    amount_fen: int
    status: str
    reason: str | None
    created_on: dt.date
    deadline: dt.date
    decided_at: dt.datetime | None
    new: bool = False
    dirty: bool = False


class Confirmations:
    """The confirmations a push batch touches: one lookup per batch, one bulk insert and update at flush."""

    def __init__(self, session: Session, rt: Runtime, emitter: Emitter) -> None:
        self.session = session
        self.emitter = emitter
        self.known: dict[str, ConfRow] = {}
        self.deadline = add_working_days(emitter.today, rt.settings.confirm_working_days)

    def load(self, attendance_ids: list[str]) -> None:
        """Read the confirmations of these attendance ids and load their feed rows (one query each)."""
        if not attendance_ids:
            return
        raw = Raw(self.session)
        sql = (
            "SELECT id, attendance_id, amount_fen, status, reason, created_on, deadline, decided_at "
            "FROM consumption_confirmation WHERE institution_id = {ph} AND attendance_id {IN}"
        )
        for cid, aid, amount, status, reason, created, deadline, decided in raw.select_in(
            sql, (self.emitter.institution_id,), attendance_ids
        ):
            created_on, deadline_on = raw.to_date(created), raw.to_date(deadline)
            assert created_on is not None and deadline_on is not None
            self.known[aid] = ConfRow(
                cid, aid, amount, status, reason, created_on, deadline_on, raw.to_ts(decided)
            )
        self.emitter.load([("consumption_confirmation", c.id) for c in self.known.values()])

    def on_attendance(self, state: RowState) -> None:
        """A charged attendance asks the parent to confirm; an undone one withdraws an open request."""
        emitter = self.emitter
        conf = self.known.get(state.entity_id)
        charged = is_charged(state)
        amount = int(state.payload.get("amount_fen") or 0)
        if conf is None:
            if not charged:
                return
            conf = ConfRow(
                new_row_id(),
                state.entity_id,
                amount,
                "pending",
                None,
                emitter.today,
                self.deadline,
                None,
                new=True,
            )
            self.known[state.entity_id] = conf
            emit_confirmation(emitter, conf, "insert")
            return
        if conf.status in ("pending", "disputed") and not charged:
            conf.status, conf.decided_at = "cancelled", emitter.now
        elif conf.status == "cancelled" and charged:
            conf.status, conf.amount_fen, conf.decided_at = "pending", amount, None
            conf.created_on = emitter.today
            conf.deadline = self.deadline
        elif conf.status == "pending" and charged and conf.amount_fen != amount:
            conf.amount_fen = amount
        else:
            return
        conf.dirty = True
        emit_confirmation(emitter, conf)

    def flush(self) -> None:
        """Write the new confirmations (executemany / COPY) and the changed ones (one executemany)."""
        raw = Raw(self.session)
        inst = self.emitter.institution_id
        new, old = [], []
        for c in self.known.values():
            decided = None if c.decided_at is None else raw.ts(c.decided_at)
            if c.new:
                new.append(
                    (
                        c.id,
                        inst,
                        c.attendance_id,
                        c.amount_fen,
                        c.status,
                        c.reason,
                        raw.date(c.created_on),
                        raw.date(c.deadline),
                        decided,
                    )
                )
            elif c.dirty:
                old.append(
                    (c.amount_fen, c.status, raw.date(c.created_on), raw.date(c.deadline), decided, c.id)
                )
            c.new = c.dirty = False
        raw.insert("consumption_confirmation", CONF_COLS, new)
        raw.update("consumption_confirmation", ("id", "text"), CONF_UPDATE_COLS, old)


#: ``response_reason`` of a request the institution answered by pushing a refund for it
CARRIED_OUT_REASON = "机构已办理退费"
REQUEST_UPDATE_COLS = (
    ("status", "text"), ("response_reason", "text"), ("decided_at", "timestamp"), ("returned_fen", "bigint"),
)  # fmt: skip


@dataclass(slots=True)
class RequestRow:
    """A refund request as the push path handles it: plain values, updated in bulk by ``CarriedOut``."""

    id: str
    contract_id: str
    units: str
    amount_fen: int
    status: str
    reason: str | None
    response_reason: str | None
    requested_on: dt.date
    deadline: dt.date
    decided_at: dt.datetime | None
    returned_fen: int
    dirty: bool = False


class CarriedOut:
    """Refund requests answered by a pushed refund (its ``refund_request_id``): a request of this
    institution still ``requested`` becomes ``agreed``, with ``returned_fen`` = what the escrow return of
    that refund moved. One lookup per batch (only when it has such refunds), one bulk update at flush;
    the feed rows of these requests are loaded with the batch's own rows (see ``PushBatch.run``)."""

    def __init__(self, session: Session, emitter: Emitter) -> None:
        self.session = session
        self.emitter = emitter
        self.known: dict[str, RequestRow] = {}

    def load(self, request_ids: list[str]) -> None:
        if not request_ids:
            return
        raw = Raw(self.session)
        sql = (
            "SELECT id, contract_id, units, amount_fen, status, reason, response_reason, requested_on, "
            "deadline, decided_at, returned_fen FROM refund_request WHERE institution_id = {ph} AND id {IN}"
        )
        for (
            rid,
            contract,
            units,
            amount,
            status,
            reason,
            answer,
            requested,
            deadline,
            decided,
            returned,
        ) in raw.select_in(sql, (self.emitter.institution_id,), request_ids):
            requested_on, deadline_on = raw.to_date(requested), raw.to_date(deadline)
            assert requested_on is not None and deadline_on is not None
            self.known[rid] = RequestRow(
                rid,
                contract,
                units,
                amount,
                status,
                reason,
                answer,
                requested_on,
                deadline_on,
                raw.to_ts(decided),
                int(returned or 0),
            )

    def agree(self, request_id: str, entry: dict[str, Any] | None) -> None:
        """The refund of this request was booked by the institution: the request is agreed (once)."""
        req = self.known.get(request_id)
        if req is None or req.status != "requested":
            return
        req.status, req.response_reason, req.decided_at = "agreed", CARRIED_OUT_REASON, self.emitter.now
        if entry is not None:
            req.returned_fen = int(entry["amount_fen"])
        req.dirty = True
        emit_refund(self.emitter, req)

    def flush(self) -> None:
        raw = Raw(self.session)
        rows = [
            (
                r.status,
                r.response_reason,
                None if r.decided_at is None else raw.ts(r.decided_at),
                r.returned_fen,
                r.id,
            )
            for r in self.known.values()
            if r.dirty
        ]
        for r in self.known.values():
            r.dirty = False
        raw.update("refund_request", ("id", "text"), REQUEST_UPDATE_COLS, rows)


def is_charged(state: RowState) -> bool:
    p = state.payload
    amount = p.get("amount_fen")
    live = not state.deleted and p.get("undone") is not True
    return live and p.get("charged") is True and isinstance(amount, int) and amount > 0


def decide_confirmation(
    emitter: Emitter, escrow: EscrowLedger, conf: ConsumptionConfirmation, status: str, reason: str | None
) -> None:
    conf.status, conf.reason, conf.decided_at = status, reason, emitter.now
    if status in ("confirmed", "auto_confirmed"):
        escrow.record("release", "attendance", conf.attendance_id, conf.amount_fen)
    emit_confirmation(emitter, conf)


def decide_refund(
    emitter: Emitter, escrow: EscrowLedger, req: RefundRequest, status: str, reason: str | None
) -> None:
    req.status, req.response_reason, req.decided_at = status, reason, emitter.now
    if status in ("agreed", "auto_agreed"):
        entry = escrow.record("return", "refund_request", req.id, req.amount_fen)
        req.returned_fen = int(entry["amount_fen"]) if entry else 0
    emit_refund(emitter, req)


def run_deadlines(session: Session, rt: Runtime) -> dict[str, int]:
    """Apply every deadline that has passed as of the clock's today, institution by institution."""
    today = rt.clock.today()
    due_conf = (ConsumptionConfirmation.status == "pending", ConsumptionConfirmation.deadline <= today)
    due_refund = (RefundRequest.status == "requested", RefundRequest.deadline <= today)
    institutions = set(session.scalars(select(ConsumptionConfirmation.institution_id).where(*due_conf)))
    institutions |= set(session.scalars(select(RefundRequest.institution_id).where(*due_refund)))
    counts = {"auto_confirmed": 0, "auto_agreed": 0}
    for inst in sorted(institutions):
        emitter = Emitter(session, inst, rt.clock.now(), today)  # locks the institution first
        escrow = EscrowLedger(session, emitter)
        confs = session.scalars(
            select(ConsumptionConfirmation)
            .where(ConsumptionConfirmation.institution_id == inst, *due_conf)
            .order_by(ConsumptionConfirmation.created_on, ConsumptionConfirmation.id)
            .execution_options(populate_existing=True)
        ).all()
        for conf in confs:
            decide_confirmation(emitter, escrow, conf, "auto_confirmed", "家长逾期未确认,视为确认")
        refunds = session.scalars(
            select(RefundRequest)
            .where(RefundRequest.institution_id == inst, *due_refund)
            .order_by(RefundRequest.requested_on, RefundRequest.id)
            .execution_options(populate_existing=True)
        ).all()
        for req in refunds:
            decide_refund(emitter, escrow, req, "auto_agreed", "机构逾期未答复,视为同意")
        session.flush()
        emitter.flush()
        counts["auto_confirmed"] += len(confs)
        counts["auto_agreed"] += len(refunds)
    return counts
