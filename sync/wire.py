"""The platform API's JSON shapes as this desk sends and reads them (TypedDicts, checked at the edge).

The desk shares no code with ``platform_server``; these types follow the platform's published OpenAPI
document instead (``platform_server/openapi.json``), and tests/sync/test_wire_types.py keeps each one's
keys equal to its schema's properties. ``ApiClient`` checks the fields it relies on before it returns a
reply under one of these types (``sync.bad_reply`` otherwise). Row payloads stay open JSON objects:
``sync.mapping`` turns them into local columns.
"""

# No ``from __future__ import annotations`` here: TypedDict must see ``NotRequired`` when the class is made.
from typing import Any, Literal, NotRequired, TypedDict

JsonObject = dict[str, Any]
"""A row's payload as it travels: any JSON object."""

OpKind = Literal["insert", "update", "delete"]


class OpJson(TypedDict):
    """One op of a push batch (``OpIn``)."""

    seq: int
    op_id: str
    entity: str
    entity_id: str
    op: str
    base_version: int | None
    payload: JsonObject | None


class ServerRowJson(TypedDict):
    """The platform's row sent back with a conflict (``ServerRow``)."""

    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: JsonObject


class OpResultJson(TypedDict):
    """The platform's answer to one op (``OpResult``)."""

    seq: int
    op_id: str
    status: str
    version: NotRequired[int | None]
    original_status: NotRequired[str | None]
    server_row: NotRequired[ServerRowJson | None]
    reason: NotRequired[str | None]


class PushReply(TypedDict):
    """``POST /v1/sync/push`` (``PushOut``)."""

    results: list[OpResultJson]
    last_seq: int


class ChangeJson(TypedDict):
    """One entry of the change feed (``ChangeOut``)."""

    server_seq: int
    entity: str
    entity_id: str
    op: OpKind
    version: int
    payload: JsonObject
    origin_device_id: str | None


class ChangesPage(TypedDict):
    """``GET /v1/sync/changes`` (``ChangesOut``)."""

    changes: list[ChangeJson]
    next_cursor: int
    has_more: bool


class SnapshotRowJson(TypedDict):
    """One current row of the snapshot (``SnapshotRow``)."""

    row_id: int
    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: JsonObject


class SnapshotPage(TypedDict):
    """``GET /v1/sync/snapshot`` (``SnapshotOut``)."""

    rows: list[SnapshotRowJson]
    next_cursor: int
    has_more: bool
    as_of_seq: int
    as_of_check: NotRequired[str | None]


class StatsJson(TypedDict):
    """``GET /v1/stats`` (``StatsOut``): the platform's totals for reconciliation."""

    from_date: str | None
    to_date: str | None
    lessons_consumed: int
    units_consumed: str
    consumption_fen: int
    payments_fen: int
    refunds_fen: int
    escrow_deposited_fen: int
    escrow_released_fen: int
    escrow_returned_fen: int
    escrow_held_fen: int


class ConfirmationJson(TypedDict):
    """A 消课 confirmation as answered by ``answer`` (``ConfirmationOut``), with the institution's answer."""

    id: str
    attendance_id: str
    amount_fen: int
    status: str
    reason: str | None
    created_on: str
    deadline: str
    decided_at: str | None
    answer_kind: str | None
    answer_text: str | None
    answer_record: dict[str, Any] | None
    answered_at: str | None
    parent_reply: str | None


class RefundRequestJson(TypedDict):
    """A platform refund request as answered by ``respond`` (``RefundRequestOut``)."""

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


#: each type above and the OpenAPI schema (``components.schemas``) it mirrors
SCHEMAS: dict[str, type[Any]] = {
    "OpIn": OpJson,
    "ServerRow": ServerRowJson,
    "OpResult": OpResultJson,
    "PushOut": PushReply,
    "ChangeOut": ChangeJson,
    "ChangesOut": ChangesPage,
    "SnapshotRow": SnapshotRowJson,
    "SnapshotOut": SnapshotPage,
    "StatsOut": StatsJson,
    "RefundRequestOut": RefundRequestJson,
}
