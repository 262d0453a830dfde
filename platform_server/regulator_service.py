"""Regulator side: course review, background checks, institutions with escrow and risk flags."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from platform_server.clock import iso_utc
from platform_server.errors import NotFound, StateConflict
from platform_server.escrow import held_fen
from platform_server.feed import Emitter, RowState
from platform_server.models import EntityRow, EscrowEntry, Institution, RefundRequest
from platform_server.payloads import capped_sum
from platform_server.runtime import Runtime
from platform_server.scope import InstitutionScope, scoped, unscoped
from platform_server.wire import CourseReviewJson, InstitutionRiskJson, JsonObject


def institution_or_404(session: Session, institution_id: str) -> Institution:
    inst = session.scalar(select(Institution).where(Institution.id == institution_id))
    if inst is None:
        raise NotFound("机构不存在 / Unknown institution")
    return inst


def institution_scope(session: Session, institution_id: str) -> InstitutionScope:
    """The scope of the institution a regulator or parent path names in its URL (404 when unknown)."""
    return InstitutionScope(institution_or_404(session, institution_id).id)


def live_row(emitter: Emitter, entity: str, entity_id: str) -> RowState:
    state = emitter.get(entity, entity_id)
    if not state.version or state.deleted:
        raise NotFound(f"{entity} 不存在 / Unknown {entity}")
    return state


def pending_courses(session: Session) -> list[CourseReviewJson]:
    status = EntityRow.payload["review_status"].as_string()
    stmt = (
        select(EntityRow, Institution.name)
        .join(Institution, Institution.id == EntityRow.institution_id)
        .where(EntityRow.entity == "course", EntityRow.deleted.is_(False), status == "pending")
        .order_by(EntityRow.updated_seq)
        .limit(1000)
    )
    with unscoped(session, "regulator: the review queue spans every institution"):
        rows = session.execute(stmt).all()
    return [
        {
            "institution_id": row.institution_id,
            "institution_name": name,
            "course_id": row.entity_id,
            "version": row.version,
            "name": row.payload.get("name"),
            "review_status": "pending",
        }
        for row, name in rows
    ]


def review_course(
    session: Session, rt: Runtime, scope: InstitutionScope, course_id: str, approve: bool, reason: str | None
) -> RowState:
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())
    state = live_row(emitter, "course", course_id)
    if state.payload.get("review_status") != "pending":
        raise StateConflict("课程不在待审核状态 / Course is not awaiting review")
    payload = {
        **state.payload,
        "review_status": "approved" if approve else "rejected",
        "review_reason": reason,
        "reviewed_at": iso_utc(rt.clock.now()),
    }
    emitter.put(state, "update", payload, None)
    emitter.flush()
    return state


def record_background_check(
    session: Session, rt: Runtime, scope: InstitutionScope, staff_id: str, result: str, note: str | None
) -> RowState:
    emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())
    state = live_row(emitter, "staff", staff_id)
    payload = {
        **state.payload,
        "background_check": result,
        "background_check_note": note,
        "background_checked_at": iso_utc(rt.clock.now()),
    }
    emitter.put(state, "update", payload, None)
    emitter.flush()
    return state


def _sum_payload(session: Session, entity: str, conds: list[Any]) -> int:
    amount = EntityRow.payload["amount_fen"].as_integer()
    stmt = select(capped_sum(amount)).where(EntityRow.entity == entity, EntityRow.deleted.is_(False), *conds)
    return int(session.scalar(stmt) or 0)


def _count_rows(session: Session, entity: str, conds: list[Any]) -> int:
    stmt = (
        select(func.count())
        .select_from(EntityRow)
        .where(EntityRow.entity == entity, EntityRow.deleted.is_(False), *conds)
    )
    return int(session.scalar(stmt) or 0)


def institution_risk(session: Session, rt: Runtime, inst: Institution) -> InstitutionRiskJson:
    with scoped(session, InstitutionScope(inst.id)):
        return _risk(session, rt, inst)


def _risk(session: Session, rt: Runtime, inst: Institution) -> InstitutionRiskJson:
    held = held_fen(session, InstitutionScope(inst.id))
    signed_out = case((EscrowEntry.kind == "reclaim", -EscrowEntry.amount_fen), else_=EscrowEntry.amount_fen)
    outflow = select(capped_sum(signed_out)).where(EscrowEntry.kind != "deposit")
    unconsumed = max(0, _sum_payload(session, "contract", []) - int(session.scalar(outflow) or 0))
    pending = _count_rows(
        session, "consumption_confirmation", [EntityRow.payload["status"].as_string() == "pending"]
    )
    complaints = _count_rows(session, "complaint", [EntityRow.payload["status"].as_string() == "open"])
    today = rt.clock.today()
    overdue = session.scalar(
        select(func.count())
        .select_from(RefundRequest)
        .where(
            ((RefundRequest.status == "requested") & (RefundRequest.deadline < today))
            | (
                RefundRequest.status.in_(["agreed", "auto_agreed"])
                & (RefundRequest.returned_fen < RefundRequest.amount_fen)
            ),
        )
    )
    shortfall = EscrowEntry.amount_fen < EscrowEntry.requested_fen
    capped = session.scalar(select(func.count()).select_from(EscrowEntry).where(shortfall))
    flags = []
    if held > unconsumed:
        flags.append("prepaid_exceeds_remaining_lessons")
    if overdue:
        flags.append("refunds_overdue")
    if complaints:
        flags.append("complaints")
    if capped:
        flags.append("escrow_shortfall")
    return {
        "id": inst.id,
        "uscc": inst.uscc,
        "name": inst.name,
        "escrow_held_fen": held,
        "unconsumed_value_fen": unconsumed,
        "pending_confirmations": pending,
        "risk_flags": flags,
        "open_complaints": complaints,
        "refunds_overdue": int(overdue or 0),
        "capped_outflows": int(capped or 0),
    }


def list_institutions(session: Session, rt: Runtime) -> list[InstitutionRiskJson]:
    insts = session.scalars(select(Institution).order_by(Institution.created_at, Institution.id).limit(1000))
    return [institution_risk(session, rt, inst) for inst in insts]


#: the 甲方 facts every contract needs (``InstitutionProfileOut.missing`` lists the empty ones)
CONTRACT_FACTS = (
    "address", "approval_authority", "registration_authority", "licence_no", "licence_valid_until",
    "registration_valid_until", "contact_name", "contact_phone",
)  # fmt: skip
PROFILE_KEYS = (
    *CONTRACT_FACTS,
    "icp_no",
    "category_scope",
    "delivery_scope",
    "supervision_mode",
    "supervision_bank",
    "supervision_account_name",
    "supervision_account_no",
    "dispute_resolution",
    "dispute_body",
    "refund_days_before_start",
    "refund_days_after_start",
)


def _profile_missing(payload: JsonObject) -> list[str]:
    missing = [key for key in CONTRACT_FACTS if not payload.get(key)]
    if payload.get("delivery_scope") in ("online", "both") and not payload.get("icp_no"):
        missing.append("icp_no")
    if payload.get("supervision_mode", "escrow") == "escrow":
        missing += [k for k in ("supervision_bank", "supervision_account_no") if not payload.get(k)]
    return missing


def institution_profile(session: Session, scope: InstitutionScope) -> dict[str, Any]:
    """The institution's own profile row as last pushed (its licence and contract facts)."""
    inst = institution_or_404(session, scope.institution_id)
    with scoped(session, scope):
        row = session.scalar(
            select(EntityRow)
            .where(EntityRow.entity == "institution", EntityRow.deleted.is_(False))
            .order_by(EntityRow.updated_seq.desc())
            .limit(1)
        )
    payload: JsonObject = dict(row.payload) if row is not None else {}
    facts = {key: payload.get(key) for key in PROFILE_KEYS}
    return {
        "id": inst.id,
        "uscc": inst.uscc,
        "name": str(payload.get("name") or inst.name),
        "synced": row is not None,
        **facts,
        "missing": _profile_missing(payload),
    }
