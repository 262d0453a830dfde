"""Bodies of the regulator and parent-simulation APIs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from platform_server.schemas import Id, Strict, Text

Units = Field(pattern=r"^\d{1,4}(\.\d{1,2})?$")
Fen = Field(ge=0, le=10**11)


class CourseReviewItem(BaseModel):
    institution_id: str
    institution_name: str
    course_id: str
    version: int
    name: str | None
    review_status: str


class ReviewDecisionIn(Strict):
    decision: Literal["approve", "reject"]
    reason: str | None = Text


class BackgroundCheckIn(Strict):
    result: Literal["passed", "failed"]
    note: str | None = Text


class RowOut(BaseModel):
    entity: str
    entity_id: str
    version: int


class InstitutionRiskOut(BaseModel):
    id: str
    uscc: str
    name: str
    escrow_held_fen: int
    unconsumed_value_fen: int
    pending_confirmations: int
    risk_flags: list[str]
    open_complaints: int
    refunds_overdue: int
    capped_outflows: int


class InstitutionProfileOut(BaseModel):
    """What an institution states about itself in its synced ``institution`` row: the 甲方 facts of the
    model contract GF—2021—2604 (schema version 2). ``null`` when the institution has not filled it in."""

    id: str
    uscc: str
    name: str
    synced: bool = Field(description="false until the institution's desk has pushed its profile")
    address: str | None = None
    approval_authority: str | None = None
    registration_authority: str | None = None
    licence_no: str | None = None
    licence_valid_until: str | None = None
    icp_no: str | None = None
    registration_valid_until: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    category_scope: str | None = None
    delivery_scope: str | None = None
    supervision_mode: str | None = None
    supervision_bank: str | None = None
    supervision_account_name: str | None = None
    supervision_account_no: str | None = None
    dispute_resolution: str | None = None
    dispute_body: str | None = None
    refund_days_before_start: int | None = None
    refund_days_after_start: int | None = None
    missing: list[str] = Field(description="contract facts still empty (field names)")


class PersonIn(Strict):
    id: str | None = Field(default=None, min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=30)


class PurchaseIn(Strict):
    course_id: Id
    student: PersonIn
    guardian: PersonIn
    units: str = Units
    amount_fen: int = Fen
    channel: Literal["wechat", "alipay", "bank", "unionpay"] = "wechat"


class PurchaseOut(BaseModel):
    student_id: str
    guardian_id: str
    contract_id: str
    payment_id: str
    ledger_entry_id: str
    escrow_entry_id: str | None


class ConsumptionDecisionIn(Strict):
    """``confirm`` (also after a dispute or an answer), ``dispute`` a pending charge, or ``escalate`` an
    institution's answer to the regulator."""

    decision: Literal["confirm", "dispute", "escalate"]
    reason: str | None = Text


class ParentRefundIn(Strict):
    contract_id: Id
    units: str = Units
    amount_fen: int = Fen
    reason: str | None = Text


class ComplaintIn(Strict):
    subject: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=4000)
    contract_id: str | None = Field(default=None, min_length=1, max_length=64)


class ReviewIn(Strict):
    """A parent's review. ``contract_id`` (the family's contract) and ``attendance_id`` (the lesson
    reviewed) are optional and later additions: they let the institution attribute the review to a class
    and teacher (its 内部管理评价); a review naming only the course is still accepted."""

    course_id: str | None = Field(default=None, min_length=1, max_length=64)
    contract_id: str | None = Field(default=None, min_length=1, max_length=64)
    attendance_id: str | None = Field(default=None, min_length=1, max_length=64)
    rating: int = Field(ge=1, le=5)
    text: str | None = Field(default=None, max_length=4000)


class CreatedOut(BaseModel):
    id: str
    status: str


class DeadlinesOut(BaseModel):
    auto_confirmed: int
    escalated: int = 0
    auto_agreed: int
    pruned_changes: int


class OwedLessonOut(BaseModel):
    """A 先学后付 lesson the family has not (fully) paid: its lesson entry and what is left to pay."""

    lesson_entry_id: str
    contract_id: str | None
    course_id: str | None
    lesson_date: str | None
    amount_fen: int
    owed_fen: int


class OwedPaymentIn(Strict):
    """A parent pays 先学后付 lessons on the platform: chosen lessons, or the oldest first."""

    amount_fen: int = Field(gt=0, le=10**9)
    lesson_entry_ids: list[Id] | None = Field(default=None, max_length=200)
    channel: Literal["wechat", "alipay", "bank", "unionpay"] = "wechat"


class OwedPaidLineOut(BaseModel):
    lesson_entry_id: str
    amount_fen: int


class OwedPaymentOut(BaseModel):
    payment_id: str
    receipt_no: str
    amount_fen: int
    paid: list[OwedPaidLineOut]
    still_owed_fen: int
