"""The shapes the server answers with, as the code builds them (TypedDicts, no pydantic on hot paths).

Each mirrors a response model of ``schemas`` / ``schemas_platform`` field for field (checked by
tests/server/test_wire_types.py), so the OpenAPI document describes exactly what is sent. Entity payloads
themselves stay open JSON objects (``JsonObject``): their typed checks are in ``payloads``.
"""

# No ``from __future__ import annotations`` here: TypedDict must see ``NotRequired`` when the class is made.
import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, cast

JsonObject = dict[str, Any]
"""A row's payload: any JSON object (the fields the platform reads are checked by ``payloads``)."""


def as_payload(value: Mapping[str, Any]) -> JsonObject:
    """A typed platform row (a TypedDict above) as the open payload the feed stores (no copy)."""
    return cast(JsonObject, value)


OpStatus = Literal["applied", "duplicate", "conflict", "rejected"]
ChangeOp = Literal["insert", "update", "delete"]


class ServerRowJson(TypedDict):
    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: JsonObject


class OpResultJson(TypedDict):
    seq: int
    op_id: str
    status: OpStatus
    version: NotRequired[int]
    original_status: NotRequired[str]
    server_row: NotRequired[ServerRowJson]
    reason: NotRequired[str]


class PushResultJson(TypedDict):
    results: list[OpResultJson]
    last_seq: int


class ChangeJson(TypedDict):
    server_seq: int
    entity: str
    entity_id: str
    op: ChangeOp
    version: int
    payload: Any  # the stored JSON text spliced in as an ``orjson.Fragment``
    origin_device_id: str | None


class ChangesJson(TypedDict):
    changes: list[ChangeJson]
    next_cursor: int
    has_more: bool


class SnapshotRowJson(TypedDict):
    row_id: int
    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: Any  # the stored JSON text spliced in as an ``orjson.Fragment``


class SnapshotJson(TypedDict):
    rows: list[SnapshotRowJson]
    next_cursor: int
    has_more: bool
    as_of_seq: int
    as_of_check: str | None


class StatsJson(TypedDict):
    from_date: dt.date | None
    to_date: dt.date | None
    lessons_consumed: int
    units_consumed: str
    consumption_fen: int
    payments_fen: int
    refunds_fen: int
    escrow_deposited_fen: int
    escrow_released_fen: int
    escrow_returned_fen: int
    escrow_held_fen: int


class EscrowTotalsJson(TypedDict):
    escrow_deposited_fen: int
    escrow_released_fen: int
    escrow_returned_fen: int
    escrow_held_fen: int


class ConfirmationJson(TypedDict):
    id: str
    attendance_id: str
    amount_fen: int
    status: str
    reason: str | None
    created_on: str
    deadline: str
    decided_at: str | None
    pay_after: bool  # 先学后付: confirming it releases no escrow (docs/pay_after.md)
    answer_kind: str | None
    answer_text: str | None
    answer_record: dict[str, Any] | None
    answered_at: str | None
    parent_reply: str | None


class RefundRequestJson(TypedDict):
    id: str
    contract_id: str
    units: str
    amount_fen: int
    status: str
    reason: str | None
    response_reason: str | None
    requested_on: str
    deadline: str
    decided_at: str | None
    returned_fen: int


class EscrowEntryJson(TypedDict):
    """The payload of an ``escrow_entry`` row in the feed."""

    id: str
    kind: str
    amount_fen: int
    requested_fen: int
    capped: bool
    ref_entity: str
    ref_id: str
    on_date: str
    balance_fen: int


class CourseReviewJson(TypedDict):
    institution_id: str
    institution_name: str
    course_id: str
    version: int
    name: str | None
    review_status: str


class InstitutionRiskJson(TypedDict):
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


class PurchaseJson(TypedDict):
    student_id: str
    guardian_id: str
    contract_id: str
    payment_id: str
    ledger_entry_id: str
    escrow_entry_id: str | None
