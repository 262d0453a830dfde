"""Ordered, idempotent push: one transaction per batch records the effects, the op results and last seq."""

from __future__ import annotations

from operator import itemgetter
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from platform_server.errors import ApiError, NotFound, SeqGap
from platform_server.escrow import EscrowLedger
from platform_server.feed import Emitter, RowState
from platform_server.models import AppliedOp, Device
from platform_server.payloads import payload_problem
from platform_server.platform_ops import CarriedOut, Confirmations
from platform_server.rawsql import columns
from platform_server.regulated import merge_regulated
from platform_server.runtime import Runtime
from platform_server.schemas import OpIn, PushIn
from platform_server.scope import InstitutionScope, scoped
from platform_server.wire import JsonObject, OpResultJson, PushResultJson

#: 先学后付 ``owed_payment`` is not a ``payment``: nothing is prepaid, so it deposits no escrow
APPEND_ONLY = frozenset({"ledger_entry", "payment", "refund", "receivable_entry", "owed_payment"})
LAST_WRITE_WINS = frozenset({"attendance"})
MASTER = frozenset(
    {
        "institution", "policy_profile", "campus", "room", "staff", "course", "klass", "schedule_rule",
        "lesson_session", "student", "guardian", "contract", "makeup_entitlement", "klass_member",
        "material",
    }
)  # fmt: skip
PLATFORM_ONLY = frozenset(
    {"consumption_confirmation", "refund_request", "complaint", "review", "escrow_entry", "spot_check"}
)
CLIENT_ENTITIES = MASTER | APPEND_ONLY | LAST_WRITE_WINS  # built once, not per op
APPEND_ONLY_REASON = "流水只能追加,更正请用冲正记录 / Ledger rows are append-only: record a reversing entry"

APPLIED_COLS = columns(cast(Table, AppliedOp.__table__))
_applied_values = itemgetter(*(name for name, _ in APPLIED_COLS))
DEVICE_SEQ_COLS = columns(cast(Table, Device.__table__), "last_seq")


class DuplicateSeq(ApiError):
    status = 422
    code = "duplicate_seq"
    message = "同一批次中序号重复 / The same seq appears twice in one batch"


def _rejected(op: OpIn, reason: str) -> OpResultJson:
    return {"seq": op.seq, "op_id": op.op_id, "status": "rejected", "reason": reason}


def _conflict(op: OpIn, state: RowState) -> OpResultJson:
    return {
        "seq": op.seq,
        "op_id": op.op_id,
        "status": "conflict",
        "version": state.version,
        "server_row": state.as_server_row(),
        "reason": "记录已被修改,请处理冲突 / The row changed on the server (base_version mismatch)",
    }


def _applied(op: OpIn, version: int, note: str | None = None) -> OpResultJson:
    result: OpResultJson = {"seq": op.seq, "op_id": op.op_id, "status": "applied", "version": version}
    if note:
        result["reason"] = note
    return result


def _answered_requests(fresh: list[OpIn], seen: dict[str, OpResultJson]) -> list[str]:
    """Refund requests that new refund inserts of this batch answer (``refund_request_id``)."""
    found: dict[str, None] = {}
    for op in fresh:
        if op.entity == "refund" and op.op == "insert" and op.payload and op.op_id not in seen:
            ref = op.payload.get("refund_request_id")
            if ref:
                found[str(ref)] = None
    return list(found)


#: two desks marking the same 先学后付 lesson derive the same receivable entry id (docs/pay_after.md)
SAME_ENTRY_NOTE = "同一节课的应收记录已由其他前台上传 / Another desk already recorded this lesson entry"
_ENTRY_KEYS = ("kind", "amount_fen", "student_id", "contract_id", "attendance_id", "lesson_entry_id")


def _same_lesson_entry(op: OpIn, state: RowState, payload: JsonObject) -> bool:
    """The same 先学后付 lesson or reversal entry, pushed again by another desk: not a conflict."""
    if op.entity != "receivable_entry" or payload.get("kind") not in ("lesson", "reverse"):
        return False
    return all(state.payload.get(key) == payload.get(key) for key in _ENTRY_KEYS)


def _charged_contracts(ops: list[OpIn]) -> list[tuple[str, str]]:
    """The contracts the batch's attendance rows charge (their feed rows tell which are 先学后付)."""
    found: dict[tuple[str, str], None] = {}
    for op in ops:
        if op.entity == "attendance" and op.payload and isinstance(op.payload.get("contract_id"), str):
            found[("contract", op.payload["contract_id"])] = None
    return list(found)


class PushBatch:
    def __init__(self, session: Session, rt: Runtime, scope: InstitutionScope, body: PushIn) -> None:
        self.session = session
        self.rt = rt
        self.scope = scope
        self.body = body
        self.emitter = Emitter(session, scope, rt.clock.now(), rt.clock.today())
        self.escrow = EscrowLedger(session, self.emitter, bulk=True)
        self.confirmations = Confirmations(session, rt, self.emitter)
        self.carried_out = CarriedOut(session, self.emitter)
        self.invalid: dict[str, str] = {}

    def run(self) -> PushResultJson:
        with scoped(self.session, self.scope):
            return self._run()

    def _run(self) -> PushResultJson:
        device = self._device()
        ops = sorted(self.body.ops, key=lambda o: o.seq)
        if len({o.seq for o in ops}) != len(ops):
            raise DuplicateSeq()
        seen = self._seen_results([o.op_id for o in ops])
        fresh = [o for o in ops if o.seq > device.last_seq]
        for offset, op in enumerate(fresh):
            if op.seq != device.last_seq + 1 + offset:
                raise SeqGap(expected_seq=device.last_seq + 1, missing_seq=device.last_seq + 1 + offset)
        # Payloads are checked before anything reads them: a malformed one is that op's rejection alone.
        self.invalid = {
            o.op_id: reason
            for o in fresh
            if o.op_id not in seen and (reason := payload_problem(o.entity, o.payload)) is not None
        }
        valid = [o for o in fresh if o.op_id not in self.invalid]
        request_ids = _answered_requests(valid, seen)
        self.emitter.load(
            [(o.entity, o.entity_id) for o in valid if o.op_id not in seen]
            + [("refund_request", rid) for rid in request_ids]  # same query: rows are looked up by id
        )
        self.carried_out.load(request_ids)
        attendance_ids = [o.entity_id for o in valid if o.entity == "attendance"]
        self.confirmations.load(attendance_ids)
        self.emitter.load(_charged_contracts(valid))  # is a charged lesson 先学后付 (no escrow)?
        self._preload_escrow(valid, seen)
        raw = self.emitter.raw()
        results: list[OpResultJson] = []
        records: list[tuple[object, ...]] = []
        for op in ops:
            if op.op_id in seen:
                results.append({**seen[op.op_id], "seq": op.seq, "status": "duplicate"})
            elif op.seq <= device.last_seq:
                results.append(_rejected(op, "序号已被其他操作使用 / seq already used by another op_id"))
            else:
                result = self._apply(op)
                seen[op.op_id] = {**result, "original_status": result["status"]}
                results.append(result)
                record = {
                    "op_id": op.op_id,
                    "device_id": device.id,
                    "seq": op.seq,
                    "result": raw.json(result),
                }
                records.append(_applied_values(record))
        last_seq = device.last_seq
        if fresh:
            last_seq = fresh[-1].seq
            # Through the driver: an ORM statement would also expire and re-select device.last_seq.
            raw.update("device", ("id", "text"), DEVICE_SEQ_COLS, [(last_seq, device.id)])
        self.confirmations.flush()
        self.carried_out.flush()
        self.escrow.flush()
        self.emitter.flush()
        raw.insert("applied_op", APPLIED_COLS, records)
        return {"results": results, "last_seq": last_seq}

    def _preload_escrow(self, fresh: list[OpIn], seen: dict[str, OpResultJson]) -> None:
        """One query per kind for the escrow refs this batch may write (see ``_append_only``)."""
        refs: dict[str, list[str]] = {"deposit": [], "return": []}
        for op in fresh:
            if op.op_id in seen or op.op != "insert" or not op.payload:
                continue
            if op.entity == "payment":
                refs["deposit"].append(op.entity_id)
            elif op.entity == "refund":
                refs["return"].append(str(op.payload.get("refund_request_id") or op.entity_id))
        for kind, ids in refs.items():
            self.escrow.preload(kind, ids)

    def _device(self) -> Device:
        device = self.session.scalar(
            select(Device).where(Device.id == self.body.device_id, Device.revoked_at.is_(None))
        )
        if device is None or device.id != self.scope.device_id:
            raise NotFound("设备不存在或不属于当前登录 / Unknown device for this login")
        return device

    def _seen_results(self, op_ids: list[str]) -> dict[str, OpResultJson]:
        raw = self.emitter.raw()
        found: dict[str, OpResultJson] = {}
        for op_id, stored in raw.select_in("applied_op", "op_id, result", "op_id", op_ids):
            result: OpResultJson = raw.from_json(stored)
            found[op_id] = {**result, "original_status": result["status"]}
        return found

    def _apply(self, op: OpIn) -> OpResultJson:
        if op.op_id in self.invalid:
            return _rejected(op, self.invalid[op.op_id])
        if op.entity in PLATFORM_ONLY:
            return _rejected(op, f"{op.entity} 由平台维护,客户端不能修改 / platform-owned entity")
        if op.entity not in CLIENT_ENTITIES:
            return _rejected(op, f"未知的实体类型 {op.entity} / unknown entity")
        payload = dict(op.payload or {})
        if payload.get("id", op.entity_id) != op.entity_id:
            return _rejected(op, "payload.id 与 entity_id 不一致 / payload.id differs from entity_id")
        payload["id"] = op.entity_id
        if op.op != "delete" and op.payload is None:
            return _rejected(op, "缺少 payload / payload is required")
        state = self.emitter.rows[(op.entity, op.entity_id)]
        if op.entity in APPEND_ONLY:
            return self._append_only(op, state, payload)
        if op.entity in LAST_WRITE_WINS:
            return self._last_write_wins(op, state, payload)
        return self._master(op, state, payload)

    def _append_only(self, op: OpIn, state: RowState, payload: JsonObject) -> OpResultJson:
        if op.op != "insert":
            return _rejected(op, APPEND_ONLY_REASON)
        if (state.exists or state.version) and _same_lesson_entry(op, state, payload):
            return _applied(op, state.version, SAME_ENTRY_NOTE)
        if state.exists or state.version:
            return _rejected(op, "该流水已存在 / This ledger row already exists")
        version = self.emitter.put(state, "insert", payload, self.scope.device_id)
        state.exists = True
        raw_amount = payload.get("amount_fen")
        amount = raw_amount if isinstance(raw_amount, int) else 0
        positive = amount > 0
        if op.entity == "payment" and positive and (payload.get("channel") or payload.get("method")):
            self.escrow.record("deposit", "payment", op.entity_id, amount)
        elif op.entity == "refund":
            ref = payload.get("refund_request_id")
            key = str(ref or op.entity_id)
            entry = self.escrow.record("return", "refund", key, amount) if positive else None
            if ref:  # the institution carried out a platform refund request: that answers it (agreed)
                self.carried_out.agree(key, entry)
        return _applied(op, version)

    def _last_write_wins(self, op: OpIn, state: RowState, payload: JsonObject) -> OpResultJson:
        if op.op == "delete" and state.exists:
            payload = {**state.payload, **payload}
        kind = "delete" if op.op == "delete" else ("update" if state.version else "insert")
        version = self.emitter.put(state, kind, payload, self.scope.device_id)
        state.exists = True
        self.confirmations.on_attendance(state)
        return _applied(op, version)

    def _master(self, op: OpIn, state: RowState, payload: JsonObject) -> OpResultJson:
        if op.op == "insert":
            if state.version:
                return _conflict(op, state)
        elif not state.version:
            return _rejected(op, "记录在平台上不存在 / The row does not exist on the platform")
        elif op.base_version != state.version:
            return _conflict(op, state)
        if op.op == "delete":
            payload = {**state.payload, **payload}
        payload, note = merge_regulated(op.entity, state.payload if state.version else None, payload)
        version = self.emitter.put(state, op.op, payload, self.scope.device_id)
        state.exists = True
        return _applied(op, version, note)
