"""Platform-side state machines: 消课 confirmations and refund requests, and their deadlines."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import add_working_days, iso_utc
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, RowState
from platform_server.models import ConsumptionConfirmation, RefundRequest
from platform_server.rawsql import in_values
from platform_server.runtime import Runtime


def confirmation_payload(c: ConsumptionConfirmation) -> dict[str, Any]:
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


def refund_payload(r: RefundRequest) -> dict[str, Any]:
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


def emit_confirmation(emitter: Emitter, c: ConsumptionConfirmation, op: str = "update") -> None:
    # A new confirmation has a fresh random id: no row to look up.
    state = emitter.new if op == "insert" else emitter.get
    emitter.put(state("consumption_confirmation", c.id), op, confirmation_payload(c), None)


def emit_refund(emitter: Emitter, r: RefundRequest, op: str = "update") -> None:
    emitter.put(emitter.get("refund_request", r.id), op, refund_payload(r), None)


def load_confirmations(
    session: Session, emitter: Emitter, ids: list[str]
) -> dict[str, ConsumptionConfirmation]:
    """The confirmations of these attendance ids, their feed rows loaded into ``emitter`` (one query each)."""
    if not ids:
        return {}
    stmt = select(ConsumptionConfirmation).where(
        ConsumptionConfirmation.institution_id == emitter.institution_id,
        in_values(ConsumptionConfirmation.attendance_id, ids, session.get_bind().dialect.name),
    )
    found = {c.attendance_id: c for c in session.scalars(stmt)}
    emitter.load([("consumption_confirmation", c.id) for c in found.values()])
    return found


def is_charged(state: RowState) -> bool:
    p = state.payload
    amount = p.get("amount_fen")
    return not state.deleted and p.get("charged") is True and isinstance(amount, int) and amount > 0


def on_attendance(
    session: Session,
    rt: Runtime,
    emitter: Emitter,
    state: RowState,
    known: dict[str, ConsumptionConfirmation],
) -> None:
    """A charged attendance asks the parent to confirm; an undone one withdraws an open request."""
    conf = known.get(state.entity_id)
    charged = is_charged(state)
    amount = int(state.payload.get("amount_fen") or 0)
    if conf is None:
        if not charged:
            return
        conf = ConsumptionConfirmation(
            id=str(uuid.uuid4()),
            institution_id=emitter.institution_id,
            attendance_id=state.entity_id,
            amount_fen=amount,
            status="pending",
            reason=None,
            created_on=emitter.today,
            deadline=add_working_days(emitter.today, rt.settings.confirm_working_days),
            decided_at=None,
        )
        session.add(conf)
        known[state.entity_id] = conf
        emit_confirmation(emitter, conf, "insert")
        return
    if conf.status in ("pending", "disputed") and not charged:
        conf.status, conf.decided_at = "cancelled", emitter.now
    elif conf.status == "cancelled" and charged:
        conf.status, conf.amount_fen, conf.decided_at = "pending", amount, None
        conf.created_on = emitter.today
        conf.deadline = add_working_days(emitter.today, rt.settings.confirm_working_days)
    elif conf.status == "pending" and charged and conf.amount_fen != amount:
        conf.amount_fen = amount
    else:
        return
    emit_confirmation(emitter, conf)


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
