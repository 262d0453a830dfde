"""Regulator, parent-simulation and admin endpoints (the platform's own side)."""

from __future__ import annotations

from fastapi import APIRouter

from platform_server import owed_service
from platform_server import parent_service as parents
from platform_server import regulator_service as regulators
from platform_server.auth import CurrentRegulator, ParentAccess, RuntimeDep
from platform_server.db import SessionDep
from platform_server.disputes import regulator_disputes
from platform_server.openapi_docs import errors
from platform_server.platform_ops import confirmation_payload, refund_payload, run_deadlines
from platform_server.retention import prune_changes
from platform_server.schemas import ConfirmationOut, RefundRequestOut
from platform_server.schemas_platform import (
    BackgroundCheckIn,
    ComplaintIn,
    ConsumptionDecisionIn,
    CourseReviewItem,
    CreatedOut,
    DeadlinesOut,
    InstitutionProfileOut,
    InstitutionRiskOut,
    OwedLessonOut,
    OwedPaymentIn,
    OwedPaymentOut,
    ParentRefundIn,
    PurchaseIn,
    PurchaseOut,
    ReviewDecisionIn,
    ReviewIn,
    RowOut,
)

regulator = APIRouter(prefix="/v1/regulator", tags=["regulator"])
parent = APIRouter(prefix="/v1/parent/institutions/{institution_id}", tags=["parent simulation"])
admin = APIRouter(prefix="/v1/admin", tags=["admin"])


@regulator.get("/courses/pending", response_model=list[CourseReviewItem], responses=errors(401, 403))
def pending_courses(_: CurrentRegulator, session: SessionDep) -> list[CourseReviewItem]:
    return [CourseReviewItem(**item) for item in regulators.pending_courses(session)]


@regulator.post(
    "/institutions/{institution_id}/courses/{course_id}/review",
    response_model=RowOut,
    responses=errors(401, 403, 404, 409),
)
def review_course(
    institution_id: str,
    course_id: str,
    body: ReviewDecisionIn,
    _: CurrentRegulator,
    session: SessionDep,
    rt: RuntimeDep,
) -> RowOut:
    scope = regulators.institution_scope(session, institution_id)
    state = regulators.review_course(session, rt, scope, course_id, body.decision == "approve", body.reason)
    return RowOut(entity=state.entity, entity_id=state.entity_id, version=state.version)


@regulator.post(
    "/institutions/{institution_id}/staff/{staff_id}/background-check",
    response_model=RowOut,
    responses=errors(401, 403, 404),
)
def background_check(
    institution_id: str,
    staff_id: str,
    body: BackgroundCheckIn,
    _: CurrentRegulator,
    session: SessionDep,
    rt: RuntimeDep,
) -> RowOut:
    scope = regulators.institution_scope(session, institution_id)
    state = regulators.record_background_check(session, rt, scope, staff_id, body.result, body.note)
    return RowOut(entity=state.entity, entity_id=state.entity_id, version=state.version)


@regulator.get("/institutions", response_model=list[InstitutionRiskOut], responses=errors(401, 403))
def institutions(_: CurrentRegulator, session: SessionDep, rt: RuntimeDep) -> list[InstitutionRiskOut]:
    return [InstitutionRiskOut(**item) for item in regulators.list_institutions(session, rt)]


@regulator.get(
    "/institutions/{institution_id}/profile",
    response_model=InstitutionProfileOut,
    responses=errors(401, 403, 404),
)
def institution_profile(
    institution_id: str, _: CurrentRegulator, session: SessionDep
) -> InstitutionProfileOut:
    """The licence and contract facts the institution keeps in its profile (what its contracts print)."""
    scope = regulators.institution_scope(session, institution_id)
    return InstitutionProfileOut(**regulators.institution_profile(session, scope))


@parent.post("/purchases", response_model=PurchaseOut, responses=errors(401, 403, 404, 409))
def purchase(
    institution_id: str, body: PurchaseIn, _: ParentAccess, session: SessionDep, rt: RuntimeDep
) -> PurchaseOut:
    scope = regulators.institution_scope(session, institution_id)
    return PurchaseOut(**parents.purchase(session, rt, scope, body))


@regulator.get(
    "/institutions/{institution_id}/disputes",
    response_model=list[ConfirmationOut],
    responses=errors(401, 403, 404),
)
def institution_disputes(
    institution_id: str, _: CurrentRegulator, session: SessionDep
) -> list[ConfirmationOut]:
    """An institution's 消课 disputes: open, answered (with the roll-call record), escalated, reversed."""
    scope = regulators.institution_scope(session, institution_id)
    return [ConfirmationOut(**confirmation_payload(c)) for c in regulator_disputes(session, scope)]


@parent.get(
    "/consumptions/{attendance_id}",
    response_model=ConfirmationOut,
    responses=errors(401, 403, 404),
)
def consumption(
    institution_id: str, attendance_id: str, _: ParentAccess, session: SessionDep
) -> ConfirmationOut:
    """A charged lesson as the parent sees it: its status, deadline, and the institution's answer."""
    scope = regulators.institution_scope(session, institution_id)
    return ConfirmationOut(**confirmation_payload(parents.consumption(session, scope, attendance_id)))


@parent.post(
    "/consumptions/{attendance_id}/decision",
    response_model=ConfirmationOut,
    responses=errors(401, 403, 404, 409),
)
def consumption_decision(
    institution_id: str,
    attendance_id: str,
    body: ConsumptionDecisionIn,
    _: ParentAccess,
    session: SessionDep,
    rt: RuntimeDep,
) -> ConfirmationOut:
    scope = regulators.institution_scope(session, institution_id)
    conf = parents.decide_consumption(session, rt, scope, attendance_id, body)
    return ConfirmationOut(**confirmation_payload(conf))


@parent.post("/refund-requests", response_model=RefundRequestOut, responses=errors(401, 403, 404))
def refund_request(
    institution_id: str, body: ParentRefundIn, _: ParentAccess, session: SessionDep, rt: RuntimeDep
) -> RefundRequestOut:
    scope = regulators.institution_scope(session, institution_id)
    return RefundRequestOut(**refund_payload(parents.request_refund(session, rt, scope, body)))


@parent.get(
    "/students/{student_id}/owed-lessons", response_model=list[OwedLessonOut], responses=errors(401, 403, 404)
)
def owed_lessons(
    institution_id: str, student_id: str, _: ParentAccess, session: SessionDep
) -> list[OwedLessonOut]:
    """先学后付: the lessons this family has not paid yet, oldest first."""
    scope = regulators.institution_scope(session, institution_id)
    return [OwedLessonOut(**line) for line in owed_service.owed_lessons(session, scope, student_id)]


@parent.post(
    "/students/{student_id}/owed-payments",
    response_model=OwedPaymentOut,
    responses=errors(401, 403, 404, 422),
)
def pay_owed(
    institution_id: str,
    student_id: str,
    body: OwedPaymentIn,
    _: ParentAccess,
    session: SessionDep,
    rt: RuntimeDep,
) -> OwedPaymentOut:
    """先学后付: the parent pays lessons already held (chosen ones, or the oldest first); the payment and
    what it paid flow down to the desk. More than is owed is refused (422 ``overpayment``)."""
    scope = regulators.institution_scope(session, institution_id)
    return OwedPaymentOut(**owed_service.pay(session, rt, scope, student_id, body))


@parent.post("/complaints", response_model=CreatedOut, responses=errors(401, 403, 404))
def complaint(
    institution_id: str, body: ComplaintIn, _: ParentAccess, session: SessionDep, rt: RuntimeDep
) -> CreatedOut:
    scope = regulators.institution_scope(session, institution_id)
    return CreatedOut(id=parents.file_complaint(session, rt, scope, body), status="open")


@parent.post("/reviews", response_model=CreatedOut, responses=errors(401, 403, 404))
def review(
    institution_id: str, body: ReviewIn, _: ParentAccess, session: SessionDep, rt: RuntimeDep
) -> CreatedOut:
    scope = regulators.institution_scope(session, institution_id)
    return CreatedOut(id=parents.post_review(session, rt, scope, body), status="posted")


@admin.post("/run-deadlines", response_model=DeadlinesOut, responses=errors(401, 403))
def deadlines(_: CurrentRegulator, session: SessionDep, rt: RuntimeDep) -> DeadlinesOut:
    counts = run_deadlines(session, rt)
    pruned = prune_changes(session, rt)
    return DeadlinesOut(
        auto_confirmed=counts["auto_confirmed"],
        escalated=counts["escalated"],
        auto_agreed=counts["auto_agreed"],
        pruned_changes=pruned,
    )
