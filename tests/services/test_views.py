"""Read models: student profile with 'why' texts, today's lessons, a lesson's roster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import NotFound
from app.services import catalog, ledger, rollcall
from app.views import students as students_view
from tests.services.factory import DESK, MANAGER, START, STATS, World, enroll, math_sessions


def test_student_profile(world: World) -> None:
    a = world.students[0]
    catalog.add_guardian(world.db, DESK, a, "张父", "父亲", "13600001111")
    result = enroll(world, a, gift=Decimal(2))
    ledger.reverse_entry(world.db, MANAGER, result.ledger_entry_ids[1], "赠送录错")
    lessons = math_sessions(world, weeks=1)
    rollcall.roll_call(world.db, DESK, lessons.session_ids[0], {a: "present"})
    profile = students_view.student_profile(world.db, STATS, a)
    assert profile.student.id_number_masked is not None and "*" in profile.student.id_number_masked
    assert [g.name for g in profile.guardians] == ["张父"]
    (contract,) = profile.contracts
    assert (contract.course_name, contract.units_left, contract.fen_left) == (
        "初一数学",
        Decimal(19),
        190_000,
    )
    assert [line.why for line in profile.ledger] == [
        "购买20课时，收费2,000.00元",
        "赠送2课时",
        "冲正赠送：-2课时、0.00元（赠送录错）",
    ]
    with pytest.raises(NotFound):
        students_view.student_profile(world.db, STATS, "nobody")


def test_today_sessions_and_roster(world: World) -> None:
    a, b, visitor = world.students
    enroll(world, a)
    enroll(world, b, units=Decimal(2), fee_fen=20_000)
    lesson = math_sessions(world, weeks=1).session_ids[0]
    rollcall.roll_call(world.db, DESK, lesson, {a: "present", visitor: "trial"})
    (line,) = students_view.today_sessions(world.db, DESK, START)
    assert (line.klass_name, line.teacher_name, line.room_name) == ("数学1班", "王老师", "101")
    assert (line.members, line.marked, line.status) == (2, 2, "held")
    assert students_view.today_sessions(world.db, DESK, date(2026, 3, 3)) == []
    roster = students_view.session_roster(world.db, DESK, lesson)
    assert [(r.name, r.member, r.status, r.charged, r.units_left) for r in roster] == [
        ("张三", True, "present", True, Decimal(19)),
        ("李四", True, None, False, Decimal(2)),
        ("王五", False, "trial", False, Decimal(0)),
    ]
    rollcall.undo_roll_call(world.db, DESK, lesson, [a])
    assert students_view.session_roster(world.db, DESK, lesson)[0].status is None
