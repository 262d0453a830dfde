"""Request and response bodies of API v1 (pydantic; every request is validated)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


def storable_text_problem(value: str) -> str | None:
    """Why a string cannot be stored (PostgreSQL text holds no NUL; a lone surrogate such as ``\\ud800``
    is not UTF-8), or None."""
    if "\x00" in value:
        return "含有 NUL 字符 / holds a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "含有无效的 Unicode 字符(孤立代理项) / holds a lone surrogate"
    return None


def _storable(value: str) -> str:
    problem = storable_text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Id = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
Text = Field(default=None, max_length=2000)


class Strict(BaseModel):
    """Request bodies: unknown fields refused, and no text field that could not be stored (422)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _texts_storable(cls, data: Any) -> Any:
        # Only this model's own text fields: nested models check theirs, and a pushed payload (a dict)
        # is checked per op (platform_server/payloads.py), so one bad row never fails the whole batch.
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, str):
                    _storable(value)
        return data


class ErrorOut(BaseModel):
    error: str
    message: str


class MetaOut(BaseModel):
    protocol_min: int
    protocol_max: int
    schema_version: int
    server_time: str
    retention_days: int
    epoch: str = Field(
        description="平台数据代次:平台从备份恢复后改变,客户端据此重发平台丢失的数据 / "
        "generation of the platform's data; changes when it is restored from a backup"
    )


class LoginIn(Strict):
    uscc: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=200)
    device_name: str = Field(min_length=1, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int
    device_id: str
    token_type: str = "bearer"


class RefreshIn(Strict):
    refresh_token: str = Field(min_length=1, max_length=200)


class RegulatorLoginIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class AccessOut(BaseModel):
    access_token: str
    expires_in: int
    token_type: str = "bearer"


class StatusOut(BaseModel):
    status: str


class OpIn(Strict):
    seq: int = Field(ge=1, le=2**53)
    op_id: Id
    entity: Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_storable)]
    entity_id: Id
    op: Literal["insert", "update", "delete"]
    base_version: int | None = Field(default=None, ge=0, le=2**31)
    payload: dict[str, Any] | None = Field(
        default=None,
        description="行内容。按实体的类型化结构校验(见 components 中的 *Payload),不合格的操作单独被拒绝 / "
        "the row; checked against its entity's typed schema (the *Payload components): a payload that "
        "fails is that op's `rejected` result with a reason, never an error of the batch",
    )


class PushIn(Strict):
    device_id: Id
    ops: list[OpIn] = Field(max_length=1000)


class ServerRow(BaseModel):
    entity: str
    entity_id: str
    version: int
    deleted: bool
    payload: dict[str, Any]


class OpResult(BaseModel):
    seq: int
    op_id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    version: int | None = None
    original_status: str | None = None
    server_row: ServerRow | None = None
    reason: str | None = None


class PushOut(BaseModel):
    results: list[OpResult]
    last_seq: int


class ChangeOut(BaseModel):
    server_seq: int
    entity: str
    entity_id: str
    op: Literal["insert", "update", "delete"]
    version: int
    payload: dict[str, Any]
    origin_device_id: str | None


class ChangesOut(BaseModel):
    changes: list[ChangeOut]
    next_cursor: int
    has_more: bool


class SnapshotRow(ServerRow):
    row_id: int


class SnapshotOut(BaseModel):
    rows: list[SnapshotRow]
    next_cursor: int
    has_more: bool
    as_of_seq: int
    as_of_check: str | None = Field(
        default=None, description="`entity_id:version` of the change at as_of_seq: send it as `check`"
    )


class StatsOut(BaseModel):
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


class RefundResponseIn(Strict):
    decision: Literal["agree", "reject"]
    reason: str | None = Text


class RefundRequestOut(BaseModel):
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


class ClassListLine(Strict):
    """One student of the disputed lesson as the roll call recorded them (others' names masked)."""

    name: str = Field(min_length=1, max_length=100)
    status: str = Field(min_length=1, max_length=20, description="the attendance status code")
    disputed: bool = Field(default=False, description="the student whose charge is disputed")


class RollCallRecord(Strict):
    """What the institution's desk recorded for the disputed lesson: who called the roll, when, the class."""

    lesson_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    lesson_time: str | None = Field(default=None, max_length=20)
    course_name: str = Field(min_length=1, max_length=200)
    class_name: str | None = Field(default=None, max_length=200)
    teacher_name: str | None = Field(default=None, max_length=100)
    called_by: str = Field(min_length=1, max_length=100)
    called_at: str = Field(min_length=1, max_length=40, description="UTC, ISO 8601")
    student_status: str = Field(min_length=1, max_length=20)
    units: str = Field(pattern=r"^\d{1,4}(\.\d{1,2})?$")
    class_list: list[ClassListLine] = Field(max_length=500)


class RollCallAnswerIn(Strict):
    """Answer a 消课 dispute with the lesson's roll-call record."""

    decision: Literal["roll_call"]
    text: str | None = Text
    record: RollCallRecord


class ReverseAnswerIn(Strict):
    """Answer a 消课 dispute by giving the charge back."""

    decision: Literal["reverse"]
    text: str | None = Text


DisputeAnswerIn = Annotated[RollCallAnswerIn | ReverseAnswerIn, Field(discriminator="decision")]


class ConfirmationOut(BaseModel):
    id: str
    attendance_id: str
    amount_fen: int
    status: str
    reason: str | None
    created_on: str
    deadline: str
    decided_at: str | None
    pay_after: bool = Field(default=False, description="先学后付: confirming it releases no escrow")
    answer_kind: str | None = None
    answer_text: str | None = None
    answer_record: dict[str, Any] | None = None
    answered_at: str | None = None
    parent_reply: str | None = None
