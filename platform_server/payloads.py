"""Typed schemas of pushed payloads: every op's payload is checked here before anything is applied.

A payload that fails is answered ``rejected`` with a reason for that op alone; the rest of the batch goes
on and the device's queue is never blocked (docs/sync.md, "Push"). Two layers:

* ``value_problem``: what any JSON value must be to be stored and served again: nesting at most
  ``MAX_DEPTH`` deep, integers within ±2^53 (what every JSON reader keeps exactly), finite numbers (Python's
  JSON reader accepts ``NaN`` and ``Infinity``, which would be stored as null), strings without lone
  surrogates (not UTF-8) or NUL characters (PostgreSQL text holds none; ids from a payload are looked
  up as text) and at most ``MAX_TEXT`` characters.
* one pydantic model per entity for the fields the platform reads (money, lesson units, regulated status
  fields, the flags consumption follows): strict types and sane business limits, documented in the
  OpenAPI document (``payload_schemas``). Fields the platform does not read pass through unchecked beyond
  the first layer.

Money is integer 分 within ±``MAX_FEN`` (1,000 万元: far above any lesson package, yet a sum of a billion of
them still fits a 64-bit integer); lesson units are decimal strings within ±``MAX_UNITS`` with at most two
decimals (1.5 课时 happens, 1.333 does not).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import ColumnElement, case, func
from sqlalchemy.orm import InstrumentedAttribute

from platform_server.schemas import storable_text_problem

MAX_FEN = 1_000_000_000
MAX_UNITS = Decimal(10_000)
MAX_DEPTH = 16
MAX_TEXT = 20_000
MAX_JSON_INT = 2**53
#: the largest material file (the desk's limit; ``Settings.max_file_bytes`` is the upload's own check)
MAX_MATERIAL_BYTES = 50 * 1024 * 1024

Fen = Annotated[
    int,
    Field(
        strict=True,
        ge=-MAX_FEN,
        le=MAX_FEN,
        description="金额(分),绝对值不超过 10 亿分 / money in fen, |value| ≤ 1,000,000,000",
    ),
]
PositiveFen = Annotated[
    int, Field(strict=True, ge=0, le=MAX_FEN, description="金额(分),0 至 10 亿分 / fen, 0..1,000,000,000")
]
ShortText = Annotated[str, Field(strict=True, max_length=200)]


def _units(value: str) -> str:
    try:
        units = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError("课时必须是十进制数 / units must be a decimal number") from exc
    if not units.is_finite() or abs(units) > MAX_UNITS:
        raise ValueError(f"课时超出范围 ±{MAX_UNITS} / units out of range")
    exponent = units.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError("课时最多两位小数 / units have at most two decimals")
    return value


Units = Annotated[
    str,
    Field(
        strict=True,
        max_length=20,
        pattern=r"^-?\d{1,5}(\.\d{1,2})?$",
        description="课时(十进制字符串,最多两位小数,绝对值不超过 10000)/ lesson units",
    ),
    AfterValidator(_units),
]


class Payload(BaseModel):
    """Fields every entity may carry; unknown fields are kept as they are."""

    model_config = ConfigDict(extra="allow", strict=True)
    id: Annotated[str, Field(max_length=64)] | None = None


class AttendancePayload(Payload):
    status: ShortText | None = None
    charged: bool | None = None
    units: Units | None = None
    amount_fen: PositiveFen | None = None
    #: the desk undid the roll call (uncharged, status kept as the record); absent from desks whose schema is
    #: older than version 3, which mark it by the note 已撤销点名 only
    undone: bool | None = None


class PaymentPayload(Payload):
    amount_fen: Fen | None = None
    method: ShortText | None = None
    channel: ShortText | None = None


class RefundPayload(Payload):
    amount_fen: Fen | None = None
    units: Units | None = None
    refund_request_id: Annotated[str, Field(max_length=64)] | None = None


class LedgerEntryPayload(Payload):
    kind: ShortText | None = None
    amount_fen: Fen | None = None
    units: Units | None = None


class ContractPayload(Payload):
    billing: Literal["prepaid", "pay_after"] | None = None
    lesson_price_fen: PositiveFen | None = None
    fee_fen: PositiveFen | None = None
    amount_fen: PositiveFen | None = None
    total_units: Units | None = None
    gift_units: Units | None = None
    units_per_session: Units | None = None
    full_refund_units_after_start: Units | None = None
    status: ShortText | None = None


class ReceivableEntryPayload(Payload):
    """先学后付: one movement of what a family owes for one lesson ('lesson' +, 'reverse' and 'payment' −)."""

    kind: Literal["lesson", "reverse", "payment"]
    amount_fen: Fen
    student_id: Annotated[str, Field(max_length=64)]
    lesson_entry_id: Annotated[str, Field(max_length=64)] | None = None


class OwedPaymentPayload(Payload):
    """先学后付: money a family paid after its lessons (no escrow: nothing is prepaid)."""

    amount_fen: Annotated[int, Field(strict=True, gt=0, le=MAX_FEN)]
    student_id: Annotated[str, Field(max_length=64)]
    method: ShortText | None = None


class CoursePayload(Payload):
    name: ShortText | None = None
    price_fen: PositiveFen | None = None
    units_per_lesson: Units | None = None
    lessons_per_package: Units | None = None
    minutes_per_lesson: Annotated[int, Field(strict=True, ge=0, le=24 * 60)] | None = None
    review_status: Literal["draft", "pending", "approved", "rejected"] | None = None


class StaffPayload(Payload):
    name: ShortText | None = None
    background_check: ShortText | None = None


class LessonSessionPayload(Payload):
    units: Units | None = None
    status: ShortText | None = None


class MaterialPayload(Payload):
    """A training material's metadata (the file itself is uploaded by hash: docs/materials.md)."""

    course_id: Annotated[str, Field(strict=True, min_length=1, max_length=64)]
    title: Annotated[str, Field(strict=True, min_length=1, max_length=200)]
    kind: Literal["textbook", "handout", "slides", "other"]
    version_label: Annotated[str, Field(strict=True, min_length=1, max_length=40)]
    sha256: Annotated[str, Field(strict=True, pattern=r"^[0-9a-f]{64}$")]
    size_bytes: Annotated[
        int, Field(strict=True, ge=1, le=MAX_MATERIAL_BYTES, description="文件字节数,至多 50 MiB / bytes")
    ]
    file_name: Annotated[str, Field(strict=True, min_length=1, max_length=200)]
    klass_ids: Annotated[str, Field(strict=True, max_length=20_000)] | None = None
    author: Annotated[str, Field(strict=True, max_length=100)] | None = None
    reviewer: Annotated[str, Field(strict=True, max_length=50)] | None = None


SCHEMAS: dict[str, type[Payload]] = {
    "attendance": AttendancePayload,
    "payment": PaymentPayload,
    "refund": RefundPayload,
    "ledger_entry": LedgerEntryPayload,
    "contract": ContractPayload,
    "receivable_entry": ReceivableEntryPayload,
    "owed_payment": OwedPaymentPayload,
    "course": CoursePayload,
    "staff": StaffPayload,
    "lesson_session": LessonSessionPayload,
    "material": MaterialPayload,
}


def value_problem(value: Any) -> str | None:
    """Why this JSON value cannot be stored and served again (naming where), or None."""
    if type(value) is dict and _plain(value):
        return None  # the usual row: flat, ASCII keys, short texts, small integers (checked in ~2 µs)
    return _walk(value)


def _plain(row: dict[Any, Any]) -> bool:
    """A flat row whose values need no closer look (anything else goes through ``_walk``)."""
    for key, item in row.items():
        if type(key) is not str or not key.isascii() or len(key) > MAX_TEXT or "\x00" in key:
            return False
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT or "\x00" in item or (not item.isascii() and _text_problem(item)):
                return False
        elif kind is int:
            if not -MAX_JSON_INT <= item <= MAX_JSON_INT:
                return False
        elif item is not None and kind is not bool:
            return False
    return True


def _walk(value: Any) -> str | None:
    """The full check, naming where the first problem is. Iterative: deep nesting cannot exhaust the
    stack."""
    stack: list[tuple[Any, int, str]] = [(value, 1, "payload")]
    while stack:
        item, depth, where = stack.pop()
        reason = _scalar_problem(item)
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return f"{where}: 嵌套超过 {MAX_DEPTH} 层 / nested deeper than {MAX_DEPTH}"
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str) and (bad_key := _text_problem(key)):
                    return f"{where}: {bad_key}"
                label = key if isinstance(key, int) or not _text_problem(key) else "?"
                stack.append((child, depth + 1, f"{where}.{label}"))
        elif reason is not None:
            return f"{where}: {reason}"
    return None


def _scalar_problem(item: Any) -> str | None:
    if isinstance(item, str):
        return _text_problem(item)
    if isinstance(item, bool) or item is None or isinstance(item, dict | list):
        return None
    if isinstance(item, int):
        return None if abs(item) <= MAX_JSON_INT else "整数超出 ±2^53 / integer beyond ±2^53"
    if isinstance(item, float):
        return None if math.isfinite(item) else "数值不能是 NaN 或无穷大 / NaN and Infinity are not numbers"
    return f"不支持的值类型 {type(item).__name__} / unsupported value"


def _text_problem(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return f"文本超过 {MAX_TEXT} 个字符 / text longer than {MAX_TEXT}"
    return storable_text_problem(text)


def payload_problem(entity: str, payload: dict[str, Any] | None) -> str | None:
    """Why this op's payload is refused (one line naming the field), or None when it may be applied."""
    if payload is None:
        return None
    reason = value_problem(payload)
    if reason is not None:
        return f"无效的 {reason}"
    schema = SCHEMAS.get(entity)
    if schema is None:
        return None
    try:
        schema.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        return f"payload.{where} 无效:{first.get('msg', '')} / invalid payload.{where}"
    return None


def capped_sum(amount: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[Any]:
    """``coalesce(sum(amount), 0)`` over amounts capped at ±``MAX_FEN``: amounts are bounded at the API, and
    a row stored before that rule (or by hand) still cannot overflow SQLite's 64-bit ``sum`` and turn a
    report into a server error for everyone."""
    capped = case((amount > MAX_FEN, MAX_FEN), (amount < -MAX_FEN, -MAX_FEN), else_=amount)
    return func.coalesce(func.sum(capped), 0)


def payload_schemas() -> dict[str, Any]:
    """The JSON schemas of the entity payloads, for the OpenAPI document's components."""
    return {
        f"{''.join(part.title() for part in entity.split('_'))}Payload": schema.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for entity, schema in SCHEMAS.items()
    }
