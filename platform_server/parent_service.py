"""Parent simulation: purchases, 消课 confirmation, refund requests, complaints and reviews."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import add_working_days, iso_utc
from platform_server.errors import NotFound, StateConflict
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter
from platform_server.ids import new_row_id
from platform_server.models import ConsumptionConfirmation, RefundRequest
from platform_server.platform_ops import decide_confirmation, emit_refund
from platform_server.regulator_service import live_row
from platform_server.runtime import Runtime
from platform_server.schemas_platform import (
    ComplaintIn,
    ConsumptionDecisionIn,
    ParentRefundIn,
    PurchaseIn,
    ReviewIn,
)
from platform_server.scope import InstitutionScope, scoped
from platform_server.wire import JsonObject, PurchaseJson

#: the states from which a parent may take each decision: a charge is confirmed or disputed; a dispute the
#: institution answered is accepted (confirmed) or taken to the regulator (escalated)
PARENT_MAY = {
    "confirm": ("pending", "disputed", "answered"),
    "dispute": ("pending",),
    "escalate": ("answered",),
}
PARENT_OUTCOME = {"confirm": "confirmed", "dispute": "disputed", "escalate": "escalated"}


def consumption(session: Session, scope: InstitutionScope, attendance_id: str) -> ConsumptionConfirmation:
    """The parent's view of one charged lesson: its status, the dispute and the institution's answer."""
    with scoped(session, scope):
        conf = session.scalar(
            select(ConsumptionConfirmation).where(ConsumptionConfirmation.attendance_id == attendance_id)
        )
    if conf is None:
        raise NotFound("没有这节课的消课确认 / No consumption confirmation for this lesson")
    return conf


def _start(session: Session, rt: Runtime, scope: InstitutionScope) -> Emitter:
    return Emitter(session, scope, rt.clock.now(), rt.clock.today())


def purchase(session: Session, rt: Runtime, scope: InstitutionScope, body: PurchaseIn) -> PurchaseJson:
    """A parent buys a course package on the platform: rows flow down, the money goes into escrow."""
    emitter = _start(session, rt, scope)
    course = live_row(emitter, "course", body.course_id)
    if course.payload.get("review_status") != "approved":
        raise StateConflict("课程未通过审核,不能购买 / The course is not approved for sale")
    now = iso_utc(rt.clock.now())
    student_id = _person(
        emitter, "student", body.student.id, {"name": body.student.name, "phone": body.student.phone}
    )
    guardian_id = _person(
        emitter,
        "guardian",
        body.guardian.id,
        {"name": body.guardian.name, "phone": body.guardian.phone, "student_id": student_id},
    )
    contract_id, payment_id, ledger_id = new_row_id(), new_row_id(), new_row_id()
    common: JsonObject = {"student_id": student_id, "source": "platform"}
    contract: JsonObject = {
        "id": contract_id, "course_id": body.course_id, "guardian_id": guardian_id, "units": body.units,
        "amount_fen": body.amount_fen, "status": "active", "supervision": "escrow", "signed_at": now,
        **common,
    }  # fmt: skip
    payment: JsonObject = {
        "id": payment_id,
        "contract_id": contract_id,
        "amount_fen": body.amount_fen,
        "channel": body.channel,
        "paid_at": now,
        **common,
    }
    ledger: JsonObject = {
        "id": ledger_id, "contract_id": contract_id, "kind": "purchase", "units": body.units,
        "amount_fen": body.amount_fen, "occurred_at": now, **common,
    }  # fmt: skip
    for entity, payload in (("contract", contract), ("payment", payment), ("ledger_entry", ledger)):
        emitter.put(emitter.get(entity, payload["id"]), "insert", payload, None)
    entry = EscrowLedger(session, emitter).record("deposit", "payment", payment_id, body.amount_fen)
    with scoped(session, scope):
        session.flush()
    emitter.flush()
    return {
        "student_id": student_id,
        "guardian_id": guardian_id,
        "contract_id": contract_id,
        "payment_id": payment_id,
        "ledger_entry_id": ledger_id,
        "escrow_entry_id": entry["id"] if entry else None,
    }


def _person(emitter: Emitter, entity: str, given: str | None, fields: JsonObject) -> str:
    """Reuse an existing student/guardian by id, or create one."""
    if given is not None:
        state = emitter.get(entity, given)
        if state.version and not state.deleted:
            return given
    entity_id = given or new_row_id()
    emitter.put(
        emitter.get(entity, entity_id), "insert", {"id": entity_id, "source": "platform", **fields}, None
    )
    return entity_id


def decide_consumption(
    session: Session, rt: Runtime, scope: InstitutionScope, attendance_id: str, body: ConsumptionDecisionIn
) -> ConsumptionConfirmation:
    emitter = _start(session, rt, scope)
    with scoped(session, scope):
        conf = session.scalar(
            select(ConsumptionConfirmation).where(ConsumptionConfirmation.attendance_id == attendance_id)
        )
    if conf is None:
        raise NotFound("没有待确认的消课 / No consumption awaiting confirmation")
    if conf.status not in PARENT_MAY[body.decision]:
        raise StateConflict(status=conf.status)
    status = PARENT_OUTCOME[body.decision]
    decide_confirmation(emitter, EscrowLedger(session, emitter), conf, status, body.reason)
    with scoped(session, scope):
        session.flush()
    emitter.flush()
    return conf


def request_refund(
    session: Session, rt: Runtime, scope: InstitutionScope, body: ParentRefundIn
) -> RefundRequest:
    emitter = _start(session, rt, scope)
    live_row(emitter, "contract", body.contract_id)
    today = rt.clock.today()
    req = RefundRequest(
        id=new_row_id(),
        institution_id=scope.institution_id,
        contract_id=body.contract_id,
        units=body.units,
        amount_fen=body.amount_fen,
        status="requested",
        reason=body.reason,
        response_reason=None,
        requested_on=today,
        deadline=add_working_days(today, rt.settings.refund_working_days),
        decided_at=None,
        returned_fen=0,
    )
    session.add(req)
    emit_refund(emitter, req, "insert")
    with scoped(session, scope):
        session.flush()
    emitter.flush()
    return req


def file_complaint(
    session: Session, rt: Runtime, scope: InstitutionScope, body: ComplaintIn, at: datetime | None = None
) -> str:
    """A complaint (about a contract, when named); ``at`` backdates it (the simulator's history only)."""
    emitter = _start(session, rt, scope)
    cid = new_row_id()
    payload = {
        "id": cid, "subject": body.subject, "text": body.text, "contract_id": body.contract_id,
        "status": "open", "filed_at": iso_utc(at or rt.clock.now()),
    }  # fmt: skip
    emitter.put(emitter.get("complaint", cid), "insert", payload, None)
    emitter.flush()
    return cid


def post_review(
    session: Session, rt: Runtime, scope: InstitutionScope, body: ReviewIn, at: datetime | None = None
) -> str:
    """A review of the institution's course, contract or lesson (each, when named, must be one of the
    institution's live rows: another institution's id is unknown here). The course defaults to the
    contract's. ``at`` backdates it (the simulator's history only; the API always posts now)."""
    emitter = _start(session, rt, scope)
    course_id = body.course_id
    if body.contract_id is not None:
        contract = live_row(emitter, "contract", body.contract_id)
        course_id = course_id or _text(contract.payload.get("course_id"))
    if body.attendance_id is not None:
        live_row(emitter, "attendance", body.attendance_id)
    if course_id is not None:
        live_row(emitter, "course", course_id)
    rid = new_row_id()
    payload = {
        "id": rid,
        "course_id": course_id,
        "rating": body.rating,
        "text": body.text,
        "created_at": iso_utc(at or rt.clock.now()),
    }
    # the links are sent only when given, so a review without them has the payload it always had
    links = {"contract_id": body.contract_id, "attendance_id": body.attendance_id}
    payload |= {key: value for key, value in links.items() if value is not None}
    emitter.put(emitter.get("review", rid), "insert", payload, None)
    emitter.flush()
    return rid


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
