"""转班, 停课 and 复课: seats, balances untouched, end date moved by the pause, roll call not charging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.errors import PermissionDenied, RuleViolation
from app.services import catalog, contracts, refunds, rollcall
from app.views.students import student_profile
from localdb.balances import contract_balance
from localdb.models import Contract, KlassMember, LedgerEntry
from tests.services.factory import DESK, MANAGER, STATS, World, audits, count, enroll, math_sessions


def _seats(world: World, contract_id: str) -> list[tuple[str, bool]]:
    with world.db.reading() as session:
        rows = session.scalars(
            select(KlassMember).where(KlassMember.contract_id == contract_id).order_by(KlassMember.created_at)
        )
        return [(m.klass_id, m.left_on is None) for m in rows]


def _second_math_class(world: World, capacity: int = 30) -> str:
    data = catalog.KlassInput(
        world.math_course_id, "数学2班", capacity, 0, world.math_teacher_id, world.room_id
    )
    return catalog.add_class(world.db, MANAGER, data).klass_id


def test_transfer_moves_the_seat_and_keeps_the_balance(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    other = _second_math_class(world)
    ledger_before = count(world.db, LedgerEntry)
    moved = contracts.transfer_class(world.db, DESK, contract, other)
    assert moved.klass_id == other and not moved.paused
    assert _seats(world, contract) == [(world.math_class_id, False), (other, True)]
    assert count(world.db, LedgerEntry) == ledger_before
    with world.db.reading() as session:
        assert contract_balance(session, contract) == (Decimal(20), 200_000)
    with pytest.raises(RuleViolation) as same:
        contracts.transfer_class(world.db, DESK, contract, other)
    assert same.value.code == "transfer.same_class"
    with pytest.raises(RuleViolation) as course:
        contracts.transfer_class(world.db, DESK, contract, world.ball_class_id)
    assert course.value.code == "transfer.other_course" and "少儿篮球" in course.value.message
    with pytest.raises(PermissionDenied):
        contracts.transfer_class(world.db, STATS, contract, world.math_class_id)
    assert audits(world.db, "contract.transfer") == 1


def test_transfer_into_a_full_class_is_refused_and_changes_nothing(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    full = _second_math_class(world, capacity=1)
    catalog.add_class_member(world.db, MANAGER, full, world.students[1])
    with pytest.raises(RuleViolation) as refused:
        contracts.transfer_class(world.db, DESK, contract, full)
    assert refused.value.code == "klass.full"
    assert _seats(world, contract) == [(world.math_class_id, True)]


def test_pause_and_resume_move_the_end_date_by_the_days_paused(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    paused = contracts.pause_contract(world.db, DESK, contract, "生病")
    assert paused.paused and paused.paused_since == local_today()
    profile = student_profile(world.db, DESK, world.students[0])
    assert profile.contracts[0].paused_since == local_today()
    with pytest.raises(RuleViolation) as twice:
        contracts.pause_contract(world.db, DESK, contract)
    assert twice.value.code == "contract.paused"
    with pytest.raises(RuleViolation):
        contracts.transfer_class(world.db, DESK, contract, _second_math_class(world))
    with world.db.transaction() as session:  # as if paused ten days ago
        seat = session.scalars(select(KlassMember).where(KlassMember.contract_id == contract)).one()
        seat.left_on = local_today() - timedelta(days=10)
        end = session.get(Contract, contract).end_date  # type: ignore[union-attr]
    assert end is not None
    resumed = contracts.resume_contract(world.db, DESK, contract)
    assert not resumed.paused and resumed.end_date == end + timedelta(days=10)
    assert _seats(world, contract) == [(world.math_class_id, False), (world.math_class_id, True)]
    with pytest.raises(RuleViolation) as not_paused:
        contracts.resume_contract(world.db, DESK, contract)
    assert not_paused.value.code == "contract.not_paused"
    assert audits(world.db, "contract.pause") == 1 and audits(world.db, "contract.resume") == 1


def test_refunded_contract_cannot_be_moved(world: World) -> None:
    contract = enroll(world, world.students[0]).contract_id
    refunds.execute_refund(world.db, MANAGER, contract, "搬家")
    moves: list[Callable[[], object]] = [
        lambda: contracts.pause_contract(world.db, DESK, contract),
        lambda: contracts.resume_contract(world.db, DESK, contract),
        lambda: contracts.transfer_class(world.db, DESK, contract, world.math_class_id),
    ]
    for move in moves:
        with pytest.raises(RuleViolation) as refused:
            move()
        assert refused.value.code == "contract.not_active" and "已退费" in refused.value.message


def test_a_paused_student_is_not_called_and_not_charged(world: World) -> None:
    student = world.students[0]
    contract = enroll(world, student).contract_id
    lesson = math_sessions(world, weeks=1).session_ids[0]
    contracts.pause_contract(world.db, DESK, contract)
    with pytest.raises(RuleViolation) as refused:
        rollcall.roll_call(world.db, DESK, lesson, {student: "present"})
    assert refused.value.code == "rollcall.not_in_class"
    contracts.resume_contract(world.db, DESK, contract)
    rollcall.roll_call(world.db, DESK, lesson, {student: "present"})
    with world.db.reading() as session:
        assert contract_balance(session, contract).units_left == Decimal(19)
