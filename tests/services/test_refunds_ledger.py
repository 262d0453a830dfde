"""Refunds (effective price, gifts, discounts, full-refund window) and ledger corrections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services import ledger, refunds, rollcall
from localdb.balances import contract_balance
from localdb.invariants import check_all
from localdb.models import Contract, LedgerEntry, Refund
from tests.services.factory import DESK, MANAGER, STATS, World, audits, count, enroll, math_sessions, outbox


def consume(world: World, student: str, n: int) -> None:
    for lesson in math_sessions(world, weeks=n).session_ids:
        rollcall.roll_call(world.db, DESK, lesson, {student: "present"})


def closed_to_zero(world: World, contract_id: str) -> None:
    with world.db.reading() as session:
        assert contract_balance(session, contract_id) == (Decimal(0), 0)
        contract = session.get(Contract, contract_id)
        assert contract is not None and contract.status == "refunded"
    with world.db.engine.connect() as conn:
        report = check_all(conn)
        assert report.ok and not report.overdrawn


def test_discounted_contract_refunds_at_the_paid_price(world: World) -> None:
    a = world.students[0]
    contract = enroll(world, a, fee_fen=150_000).contract_id  # 20 课时 for 1500 元 instead of 2000
    consume(world, a, 5)
    quote = refunds.quote_refund(world.db, MANAGER, contract, date(2026, 4, 10))
    assert (quote.units, quote.amount_fen, quote.basis) == (Decimal(15), 112_500, "pro_rata")
    before = outbox(world.db)
    result = refunds.execute_refund(world.db, MANAGER, contract, "搬家", request_date=date(2026, 4, 10))
    assert result.amount_fen == 112_500 and len(result.ledger_entry_ids) == 1
    assert outbox(world.db) - before >= 3  # refund, ledger entry, contract status (+ member leaves)
    assert audits(world.db, "refund.execute") == 1
    closed_to_zero(world, contract)
    with pytest.raises(RuleViolation) as twice:
        refunds.execute_refund(world.db, MANAGER, contract, "again")
    assert twice.value.code == "refund.already_refunded"
    assert count(world.db, Refund) == 1


def test_gifts_are_not_repriced(world: World) -> None:
    a = world.students[0]
    contract = enroll(world, a, units=Decimal(10), gift=Decimal(2), fee_fen=100_000).contract_id
    consume(world, a, 3)
    result = refunds.execute_refund(world.db, MANAGER, contract, "不学了", request_date=date(2026, 4, 1))
    assert (result.units, result.amount_fen, result.forfeited_units) == (Decimal(9), 90_000, Decimal(0))
    closed_to_zero(world, contract)


def test_full_refund_window_before_start(world: World) -> None:
    contract = enroll(world, world.students[0], full_refund_days_before_start=7).contract_id
    quote = refunds.quote_refund(world.db, MANAGER, contract, date(2026, 2, 23))
    assert (quote.amount_fen, quote.basis) == (200_000, "full_before_start")
    late = refunds.quote_refund(world.db, MANAGER, contract, date(2026, 2, 20))
    assert late.basis == "pro_rata" and late.amount_fen == 200_000  # nothing consumed either way


def test_full_refund_window_after_start_refunds_consumed_lessons_too(world: World) -> None:
    a = world.students[0]
    contract = enroll(
        world, a, full_refund_days_after_start=14, full_refund_units_after_start=Decimal(2)
    ).contract_id
    consume(world, a, 1)
    result = refunds.execute_refund(world.db, MANAGER, contract, "试听不满意", request_date=date(2026, 3, 5))
    assert (result.amount_fen, result.full_refund) == (200_000, True)
    assert len(result.ledger_entry_ids) == 2  # refund + closing adjustment of the consumed lesson
    closed_to_zero(world, contract)


def test_refund_roles_and_platform_request(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    with pytest.raises(PermissionDenied):
        refunds.execute_refund(world.db, DESK, contract, "x")
    with pytest.raises(PermissionDenied):
        refunds.quote_refund(world.db, STATS, contract)
    assert refunds.quote_refund(world.db, DESK, contract).amount_fen == 200_000  # the desk tells the parent
    with pytest.raises(ValidationError) as no_reason:
        refunds.execute_refund(world.db, MANAGER, contract, "  ")
    assert no_reason.value.code == "refund.reason_required"
    refunds.execute_refund(world.db, MANAGER, contract, "平台申请", "platform", "REQ-1", date(2026, 3, 1))
    other = enroll(world, world.students[1]).contract_id
    with pytest.raises(RuleViolation) as dup:
        refunds.execute_refund(world.db, MANAGER, other, "平台申请", "platform", "REQ-1")
    assert dup.value.code == "refund.duplicate_request"


def entries(world: World, contract_id: str) -> list[LedgerEntry]:
    with world.db.reading() as session:
        return list(
            session.query(LedgerEntry).filter_by(contract_id=contract_id).order_by(LedgerEntry.created_at)
        )


def test_reversal_rules(world: World) -> None:
    a = world.students[0]
    result = enroll(world, a, gift=Decimal(2))
    purchase, gift = result.ledger_entry_ids
    reversal = ledger.reverse_entry(world.db, MANAGER, gift, "赠送录错")
    assert (reversal.units, reversal.amount_fen, reversal.reverses_id) == (Decimal(-2), 0, gift)
    codes = []
    for entry_id in (gift, reversal.entry_id):
        with pytest.raises(RuleViolation) as exc:
            ledger.reverse_entry(world.db, MANAGER, entry_id, "again")
        codes.append(exc.value.code)
    assert codes == ["ledger.already_reversed", "ledger.reverse_of_reversal"]
    consume(world, a, 1)
    with pytest.raises(RuleViolation) as overdraw:
        ledger.reverse_entry(world.db, MANAGER, purchase, "整单录错")
    assert overdraw.value.code == "ledger.would_overdraw"
    with pytest.raises(PermissionDenied):
        ledger.reverse_entry(world.db, DESK, purchase, "x")
    with world.db.engine.connect() as conn:
        assert check_all(conn).ok


def test_refund_entries_cannot_be_reversed(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    result = refunds.execute_refund(world.db, MANAGER, contract, "退", request_date=date(2026, 3, 1))
    with pytest.raises(RuleViolation) as exc:
        ledger.reverse_entry(world.db, MANAGER, result.ledger_entry_ids[0], "撤销退费")
    assert exc.value.code == "ledger.refund_not_reversible"


def test_adjust_and_expire(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    entry = ledger.adjust(world.db, MANAGER, contract, Decimal("1.5"), 0, "补偿")
    assert entry.kind == "adjust" and entry.units == Decimal("1.5")
    with pytest.raises(RuleViolation):
        ledger.adjust(world.db, MANAGER, contract, 0, -300_000, "扣款")
    with pytest.raises(ValidationError):
        ledger.adjust(world.db, MANAGER, contract, 0, 0, "空")
    expired = ledger.expire(world.db, MANAGER, contract)
    assert (expired.units, expired.amount_fen) == (Decimal("-21.5"), -200_000)
    with pytest.raises(RuleViolation):
        ledger.adjust(world.db, MANAGER, contract, 1, 0, "closed")
    assert audits(world.db, "ledger.expire") == 1
