"""The student's 流水: every ledger line and every marked lesson with its reason."""

from __future__ import annotations

from decimal import Decimal

from app.services import rollcall
from app.views.students import student_history
from tests.services.factory import DESK, MANAGER, World, enroll, math_sessions


def test_history_lists_purchases_charged_free_and_undone_lessons(world: World) -> None:
    student = world.students[0]
    enroll(world, student)
    first, second, third = math_sessions(world, weeks=3).session_ids
    rollcall.roll_call(world.db, DESK, first, {student: "present"})
    rollcall.roll_call(world.db, DESK, second, {student: "leave"})
    rollcall.roll_call(world.db, DESK, third, {student: "late"})
    rollcall.undo_roll_call(world.db, MANAGER, third)
    lines = student_history(world.db, DESK, student)
    assert [(line.source, line.kind) for line in lines] == [
        ("ledger", "purchase"),
        ("lesson", "present"),
        ("lesson", "leave"),
        ("lesson", "late"),
    ]
    purchase, present, leave, late = lines
    assert purchase.why == "购买20课时，收费2,000.00元" and purchase.units == Decimal(20)
    assert (present.units, present.amount_fen) == (Decimal(-1), -10_000)
    assert (present.klass_name, present.teacher_name, present.by) == ("数学1班", "王老师", "desk")
    assert present.why == "出勤，扣1课时、100.00元" and not present.undone
    assert leave.why == "请假，不扣课时" and leave.units == 0
    assert late.undone and late.by == "manager" and late.why == "迟到，点名已撤销，课时已退回"
