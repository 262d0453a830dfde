"""Platform-side state machines: 消课 confirmations and refund requests, and their deadlines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, select
from sqlalchemy.orm import Session

from platform_server.clock import add_working_days, iso_utc
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, RowState
from platform_server.ids import new_row_id
from platform_server.models import ConsumptionConfirmation, RefundRequest
from platform_server.rawsql import columns
from platform_server.runtime import Runtime
from platform_server.scope import InstitutionScope, scoped, unscoped
from platform_server.wire import ConfirmationJson, EscrowEntryJson, RefundRequestJson, as_payload


def confirmation_payload(c: ConsumptionConfirmation | ConfRow) -> ConfirmationJson:
    return {
        "id": c.id,
        "attendance_id": c.attendance_id,
        "amount_fen": c.amount_fen,
        "status": c.status,
        "reason": c.reason,
        "created_on": c.created_on.isoformat(),
        "deadline": c.deadline.isoformat(),
        "decided_at": iso_utc(c.decided_at) if c.decided_at else None,
        "pay_after": c.pay_after,
        "answer_kind": c.answer_kind,
        "answer_text": c.answer_text,
        "answer_record": c.answer_record,
        "answered_at": iso_utc(c.answered_at) if c.answered_at else None,
        "parent_reply": c.parent_reply,
    }


def refund_payload(r: RefundRequest | RequestRow) -> RefundRequestJson:
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
    emitter.put(state("consumption_confirmation", c.id), op, as_payload(confirmation_payload(c)), None)


def emit_refund(emitter: Emitter, r: RefundRequest | RequestRow, op: str = "update") -> None:
    emitter.put(emitter.get("refund_request", r.id), op, as_payload(refund_payload(r)), None)


_conf_t = cast(Table, ConsumptionConfirmation.__table__)
CONF_COLS = columns(_conf_t)
#: what a later push can change in a confirmation
CONF_UPDATE_COLS = columns(
    _conf_t,
    "amount_fen",
    "status",
    "created_on",
    "deadline",
    "decided_at",
    "pay_after",
    "reason",
    "answer_kind",
    "answer_text",
    "answer_record",
    "answered_at",
    "parent_reply",
)


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
    pay_after: bool = False
    answer_kind: str | None = None
    answer_text: str | None = None
    answer_record: dict[str, Any] | None = None
    answered_at: dt.datetime | None = None
    parent_reply: str | None = None
    new: bool = False
    dirty: bool = False


#: a dispute still open: the parent's, or the institution's answer awaiting the parent, or the regulator's
DISPUTE_OPEN = ("disputed", "answered", "escalated")
#: what a lesson undone at the desk withdraws (its money was never released)
WITHDRAWABLE = ("pending", *DISPUTE_OPEN)


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
        raw = self.emitter.raw()
        cols = (
            "id, attendance_id, amount_fen, status, reason, created_on, deadline, decided_at, pay_after, "
            "answer_kind, answer_text, answer_record, answered_at, parent_reply"
        )
        for row in raw.select_in("consumption_confirmation", cols, "attendance_id", attendance_ids):
            cid, aid, amount, status, reason, created, deadline, decided, later = row[:9]
            kind, text, record, answered, reply = row[9:]
            created_on, deadline_on = raw.to_date(created), raw.to_date(deadline)
            assert created_on is not None and deadline_on is not None
            self.known[aid] = ConfRow(
                cid, aid, amount, status, reason, created_on, deadline_on, raw.to_ts(decided), bool(later),
                kind, text, None if record is None else raw.from_json(record), raw.to_ts(answered), reply,
            )  # fmt: skip
        self.emitter.load([("consumption_confirmation", c.id) for c in self.known.values()])

    def on_attendance(self, state: RowState) -> None:
        """A charged attendance asks the parent to confirm; an undone one withdraws an open request."""
        emitter = self.emitter
        conf = self.known.get(state.entity_id)
        charged = is_charged(state)
        amount = int(state.payload.get("amount_fen") or 0)
        later = self._pay_after(state)
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
                later,
                new=True,
            )
            self.known[state.entity_id] = conf
            emit_confirmation(emitter, conf, "insert")
            return
        if conf.status in WITHDRAWABLE and not charged:
            conf.status, conf.decided_at = "cancelled", emitter.now
        elif conf.status == "cancelled" and charged:
            conf.status, conf.amount_fen, conf.decided_at = "pending", amount, None
            conf.created_on = emitter.today
            conf.deadline = self.deadline
            conf.pay_after = later
            # a new charge: the withdrawn one's dispute and answer are not its own
            conf.reason = conf.answer_kind = conf.answer_text = conf.parent_reply = None
            conf.answer_record, conf.answered_at = None, None
        elif conf.status == "pending" and charged and (conf.amount_fen, conf.pay_after) != (amount, later):
            conf.amount_fen, conf.pay_after = amount, later
        else:
            return
        conf.dirty = True
        emit_confirmation(emitter, conf)

    def _pay_after(self, state: RowState) -> bool:
        """Whether the attendance charges a 先学后付 contract (its feed row, loaded with the batch)."""
        contract_id = state.payload.get("contract_id")
        if not isinstance(contract_id, str):
            return False
        contract = self.emitter.rows.get(("contract", contract_id))
        return contract is not None and contract.payload.get("billing") == "pay_after"

    def flush(self) -> None:
        """Write the new confirmations (executemany / COPY) and the changed ones (one executemany)."""
        raw = self.emitter.raw()
        new, old = [], []
        for c in self.known.values():
            if c.new:
                new.append(raw.stored(c, CONF_COLS))
            elif c.dirty:
                old.append((*raw.stored(c, CONF_UPDATE_COLS), c.id))
            c.new = c.dirty = False
        raw.insert("consumption_confirmation", CONF_COLS, new)
        raw.update("consumption_confirmation", ("id", "text"), CONF_UPDATE_COLS, old)


#: ``response_reason`` of a request the institution answered by pushing a refund for it
CARRIED_OUT_REASON = "机构已办理退费"
REQUEST_UPDATE_COLS = columns(
    cast(Table, RefundRequest.__table__), "status", "response_reason", "decided_at", "returned_fen"
)


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
        raw = self.emitter.raw()
        cols = (
            "id, contract_id, units, amount_fen, status, reason, response_reason, requested_on, deadline, "
            "decided_at, returned_fen"
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
        ) in raw.select_in("refund_request", cols, "id", request_ids):
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

    def agree(self, request_id: str, entry: EscrowEntryJson | None) -> None:
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
        raw = self.emitter.raw()
        rows = [(*raw.stored(r, REQUEST_UPDATE_COLS), r.id) for r in self.known.values() if r.dirty]
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
    if conf.status in DISPUTE_OPEN:  # the dispute's reason stays; what closes it is its last word
        conf.parent_reply = reason
    else:
        conf.reason = reason
    conf.status, conf.decided_at = status, emitter.now
    # a 先学后付 lesson was never prepaid: no escrow holds it, so confirming it releases nothing
    if status in ("confirmed", "auto_confirmed") and not conf.pay_after:
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
    counts = {"auto_confirmed": 0, "auto_agreed": 0, "escalated": 0}
    for inst in _institutions_with_deadlines(session, today):
        decided = _apply_deadlines(session, rt, InstitutionScope(inst), today)
        for outcome, n in decided.items():
            counts[outcome] += n
    return counts


#: what the end of the confirmation window makes of each open state: a lesson the parent left
#: unconfirmed, or an answer the parent left unanswered, counts as confirmed; a dispute the institution
#: left unanswered goes to the regulator (docs/sync.md, 消课异议)
DEADLINE_OUTCOME = {"pending": "auto_confirmed", "answered": "auto_confirmed", "disputed": "escalated"}
DEADLINE_REASONS = {
    "auto_confirmed": "家长逾期未确认,视为确认",
    "escalated": "机构逾期未答复异议,已转监管部门处理",
}


def _due_confirmations(today: dt.date) -> tuple[ColumnElement[bool], ...]:
    return (
        ConsumptionConfirmation.status.in_(DEADLINE_OUTCOME),
        ConsumptionConfirmation.deadline <= today,
    )


def _due_refunds(today: dt.date) -> tuple[ColumnElement[bool], ...]:
    return (RefundRequest.status == "requested", RefundRequest.deadline <= today)


def _institutions_with_deadlines(session: Session, today: dt.date) -> list[str]:
    with unscoped(session, "deadline sweep: finds the institutions with a passed deadline"):
        found = set(
            session.scalars(select(ConsumptionConfirmation.institution_id).where(*_due_confirmations(today)))
        )
        found |= set(session.scalars(select(RefundRequest.institution_id).where(*_due_refunds(today))))
    return sorted(found)


def _apply_deadlines(
    session: Session, rt: Runtime, scope: InstitutionScope, today: dt.date
) -> dict[str, int]:
    """One institution's passed deadlines (under its counter lock); returns how many of each it decided."""
    emitter = Emitter(session, scope, rt.clock.now(), today)  # locks the institution first
    escrow = EscrowLedger(session, emitter)
    with scoped(session, scope):
        confs = session.scalars(
            select(ConsumptionConfirmation)
            .where(*_due_confirmations(today))
            .order_by(ConsumptionConfirmation.created_on, ConsumptionConfirmation.id)
            .execution_options(populate_existing=True)
        ).all()
        decided = {"auto_confirmed": 0, "escalated": 0, "auto_agreed": 0}
        for conf in confs:
            outcome = DEADLINE_OUTCOME[conf.status]
            decide_confirmation(emitter, escrow, conf, outcome, DEADLINE_REASONS[outcome])
            decided[outcome] += 1
        refunds = session.scalars(
            select(RefundRequest)
            .where(*_due_refunds(today))
            .order_by(RefundRequest.requested_on, RefundRequest.id)
            .execution_options(populate_existing=True)
        ).all()
        for req in refunds:
            decide_refund(emitter, escrow, req, "auto_agreed", "机构逾期未答复,视为同意")
        session.flush()
    emitter.flush()
    decided["auto_agreed"] = len(refunds)
    return decided
