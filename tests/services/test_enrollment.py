"""Enrollment: the charge limits at their boundaries, gapless numbers, outbox and audit in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import PermissionDenied, RuleViolation
from app.services import catalog, enrollment
from localdb.balances import contract_balance
from localdb.models import Contract, KlassMember, LedgerEntry, Payment
from tests.services.factory import DESK, MANAGER, START, STATS, World, audits, count, enroll, outbox, request


def ball(world: World, student: str, **kwargs: object) -> enrollment.EnrollmentResult:
    kwargs.setdefault("fee_fen", 300_000)
    kwargs.setdefault("units", Decimal(30))
    return enroll(world, student, course=world.ball_course_id, **kwargs)


def violation(world: World, **kwargs: object) -> str:
    with pytest.raises(RuleViolation) as exc:
        enroll(world, world.students[0], **kwargs)
    return exc.value.code


def test_enroll_signs_pays_books_and_seats(world: World) -> None:
    before = outbox(world.db)
    result = enroll(world, world.students[0], gift=Decimal(2))
    assert (result.contract_no, result.receipt_no) == ("A1-2026-000001", "A1-2026-000001")
    assert len(result.ledger_entry_ids) == 2 and result.klass_member_id is not None
    with world.db.reading() as session:
        contract = session.get(Contract, result.contract_id)
        assert contract is not None
        assert (contract.service_category, contract.desk_code, contract.status) == (
            "offline_subject",
            "A1",
            "active",
        )
        assert contract_balance(session, result.contract_id) == (Decimal(22), 200_000)
    assert outbox(world.db) - before == 5  # contract, payment, purchase, gift, klass_member
    assert {e: outbox(world.db, e) for e in ("contract", "payment", "ledger_entry", "klass_member")} == {
        "contract": 1,
        "payment": 1,
        "ledger_entry": 2,
        "klass_member": 1,
    }
    assert audits(world.db, "contract.sign") == 1


def test_units_cap_60_vs_61(world: World) -> None:
    big = {"fee_fen": 300_000, "end": date(2026, 6, 2)}
    assert ball(world, world.students[0], units=Decimal(60), **big).units == 60
    with pytest.raises(RuleViolation) as exc:
        ball(world, world.students[1], units=Decimal(61), **big)
    assert exc.value.code == "charge.too_many_units"
    assert ball(world, world.students[2], units=Decimal(60), gift=Decimal(5), **big).gift_units == 5


def test_amount_cap_5000_00_vs_5000_01(world: World) -> None:
    assert enroll(world, world.students[0], fee_fen=500_000).fee_fen == 500_000
    with pytest.raises(RuleViolation) as exc:
        enroll(world, world.students[1], fee_fen=500_001)
    assert exc.value.code == "charge.amount_too_high"
    assert "5,000.01" in str(exc.value)


def test_charge_one_month_ahead_vs_one_day_earlier(world: World) -> None:
    assert violation(world, charge_day=date(2026, 2, 1)) == "charge.too_early"
    assert enroll(world, world.students[0], charge_day=date(2026, 2, 2)).contract_no.endswith("000001")


def test_three_months(world: World) -> None:
    assert violation(world, end=date(2026, 6, 3)) == "charge.period_too_long"
    enroll(world, world.students[0], end=date(2026, 6, 2))


def test_stored_value_refused(world: World) -> None:
    assert violation(world, stored_value=True) == "charge.stored_value"


def test_renewal_at_20_vs_20_5_remaining(world: World) -> None:
    first, second = world.students[0], world.students[1]
    enroll(world, first, units=Decimal(20))
    enroll(world, second, units=Decimal("20.5"), fee_fen=205_000)
    assert enroll(world, first, units=Decimal(10), fee_fen=100_000).contract_no.endswith("000003")
    check = enrollment.quote_enrollment(world.db, DESK, request(world, second, units=Decimal(10), fee_fen=1))
    assert not check.ok and check.remaining_units_same_subject == Decimal("20.5")
    assert [v.code for v in check.violations] == ["charge.renewal_too_early"]
    with pytest.raises(RuleViolation) as exc:
        enroll(world, second, units=Decimal(10), fee_fen=100_000)
    assert exc.value.code == "charge.renewal_too_early"


def test_quote_writes_nothing(world: World) -> None:
    before = outbox(world.db)
    check = enrollment.quote_enrollment(world.db, DESK, request(world, world.students[0], fee_fen=600_000))
    assert [v.code for v in check.violations] == ["charge.amount_too_high"]
    assert outbox(world.db) == before and count(world.db, Contract) == 0


def test_numbers_gapless_across_a_failed_enrollment(world: World) -> None:
    tiny = catalog.add_class(world.db, MANAGER, catalog.KlassInput(world.ball_course_id, "1人班", 1))
    first = ball(world, world.students[0], klass=tiny.klass_id)
    outbox_before = outbox(world.db)
    with pytest.raises(RuleViolation) as full:  # fails after its numbers were allocated: rolled back
        ball(world, world.students[1], klass=tiny.klass_id)
    assert full.value.code == "klass.full"
    assert outbox(world.db) == outbox_before
    assert count(world.db, Payment) == 1 and count(world.db, LedgerEntry) == 1
    second = ball(world, world.students[1])
    assert [first.receipt_no, second.receipt_no] == ["A1-2026-000001", "A1-2026-000002"]
    assert second.contract_no == "A1-2026-000002"


def test_numbers_restart_per_year(world: World) -> None:
    enroll(world, world.students[0])
    next_year = enroll(
        world,
        world.students[1],
        start=date(2027, 1, 10),
        end=date(2027, 3, 31),
        charge_day=date(2027, 1, 5),
    )
    assert next_year.receipt_no == "A1-2027-000001"


def test_roles_and_class_course_mismatch(world: World) -> None:
    with pytest.raises(PermissionDenied):
        enrollment.enroll(world.db, STATS, request(world, world.students[0]))
    with pytest.raises(RuleViolation) as exc:
        enroll(world, world.students[0], course=world.ball_course_id, klass=world.math_class_id)
    assert exc.value.code == "enroll.class_course_mismatch"
    enroll(world, world.students[0], start=START)
    assert count(world.db, KlassMember, KlassMember.student_id == world.students[0]) == 1
