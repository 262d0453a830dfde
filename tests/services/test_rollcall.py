"""Roll call: charging per status, idempotent re-marking, leave and make-up, undo, card check-in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import PermissionDenied, RuleViolation
from app.services import _rollcall_io as io
from app.services import catalog, classes, owing, rollcall
from localdb.balances import contract_balance
from localdb.ids import attendance_id
from localdb.models import Attendance, LessonSession, MakeupEntitlement
from tests.services.factory import DESK, MANAGER, STATS, World, audits, count, enroll, math_sessions, outbox


@pytest.fixture
def lessons(world: World) -> tuple[str, ...]:
    return math_sessions(world, weeks=4).session_ids


def balance(world: World, contract_id: str) -> tuple[Decimal, int]:
    with world.db.reading() as session:
        left = contract_balance(session, contract_id)
        return left.units_left, left.fen_left


def test_present_and_late_are_charged_pro_rata(world: World, lessons: tuple[str, ...]) -> None:
    a, b = world.students[0], world.students[1]
    ca, cb = enroll(world, a).contract_id, enroll(world, b).contract_id
    before = outbox(world.db)
    result = rollcall.roll_call(world.db, DESK, lessons[0], {a: "present", b: "late"})
    assert [(r.status, r.charged, r.units, r.amount_fen) for r in result.rows] == [
        ("present", True, Decimal(1), 10_000),
        ("late", True, Decimal(1), 10_000),
    ]
    assert result.rows[0].attendance_id == attendance_id(lessons[0], a)
    assert result.rows[0].contract_id == ca and result.changes == 2
    assert balance(world, ca) == balance(world, cb) == (Decimal(19), 190_000)
    # two attendance inserts and the session's status change, in the same transaction
    assert outbox(world.db) - before == 3
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == "held"
    assert audits(world.db, "rollcall.mark") == 1


def test_remarking_is_idempotent_and_updates_in_place(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    contract = enroll(world, a).contract_id
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    before = outbox(world.db)
    again = rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    assert again.changes == 0 and outbox(world.db) == before
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "late"})
    assert count(world.db, Attendance) == 1
    assert balance(world, contract) == (Decimal(19), 190_000)


def test_leave_creates_one_makeup_entitlement_and_makeup_uses_it(
    world: World, lessons: tuple[str, ...]
) -> None:
    a = world.students[0]
    contract = enroll(world, a).contract_id
    for _ in range(2):
        result = rollcall.roll_call(world.db, DESK, lessons[0], {a: "leave"})
        assert (result.rows[0].charged, result.rows[0].units) == (False, Decimal(0))
    open_ = (MakeupEntitlement.status == "open",)
    assert count(world.db, MakeupEntitlement) == 1 and count(world.db, MakeupEntitlement, *open_) == 1
    assert balance(world, contract) == (Decimal(20), 200_000)
    other = catalog.add_class(
        world.db, MANAGER, catalog.KlassInput(world.math_course_id, "补课班", 10, 0, world.math_teacher_id)
    )
    from app.services import schedule
    from tests.services.factory import START

    makeup_lesson = schedule.add_session(
        world.db, MANAGER, other.klass_id, START, "19:00", "19:45"
    ).session_ids[0]
    made = rollcall.roll_call(world.db, DESK, makeup_lesson, {a: "makeup"})
    assert made.rows[0].charged and balance(world, contract) == (Decimal(19), 190_000)
    assert count(world.db, MakeupEntitlement, MakeupEntitlement.status == "used") == 1
    with pytest.raises(RuleViolation) as none_left:
        rollcall.roll_call(world.db, DESK, lessons[1], {a: "makeup"})
    assert none_left.value.code == "rollcall.no_makeup_entitlement"
    rollcall.undo_roll_call(world.db, DESK, makeup_lesson)
    assert count(world.db, MakeupEntitlement, *open_) == 1


def test_leave_changed_to_present_cancels_the_entitlement(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    enroll(world, a)
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "leave"})
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    assert count(world.db, MakeupEntitlement, MakeupEntitlement.status == "cancelled") == 1
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "leave"})
    assert count(world.db, MakeupEntitlement, MakeupEntitlement.status == "open") == 1


def test_absent_follows_the_course_policy_and_trial_is_free(world: World, lessons: tuple[str, ...]) -> None:
    a, visitor = world.students[0], world.students[2]
    contract = enroll(world, a).contract_id
    assert rollcall.roll_call(world.db, DESK, lessons[0], {a: "absent"}).rows[0].charged
    catalog.update_course(world.db, MANAGER, world.math_course_id, absent_policy="free")
    result = rollcall.roll_call(world.db, DESK, lessons[1], {a: "absent", visitor: "trial"})
    assert [r.charged for r in result.rows] == [False, False]
    assert balance(world, contract) == (Decimal(19), 190_000)


def test_not_in_class_refused(world: World, lessons: tuple[str, ...]) -> None:
    with pytest.raises(RuleViolation) as exc:
        rollcall.roll_call(world.db, DESK, lessons[0], {world.students[2]: "present"})
    assert exc.value.code == "rollcall.not_in_class"
    assert count(world.db, Attendance) == 0


def test_low_balance_warning_and_no_overdraw_on_one_desk(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    contract = enroll(world, a, units=Decimal(3), fee_fen=30_000).contract_id
    assert rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"}).warnings == [
        rollcall.LowBalance(a, Decimal(2))
    ]
    rollcall.roll_call(world.db, DESK, lessons[1], {a: "present"})
    rollcall.roll_call(world.db, DESK, lessons[2], {a: "present"})
    assert balance(world, contract) == (Decimal(0), 0)
    owing.set_owing_allowed(world.db, MANAGER, False)
    with pytest.raises(RuleViolation) as exc:
        rollcall.roll_call(world.db, DESK, lessons[3], {a: "present"})
    assert exc.value.code == "rollcall.no_units_left" and "张三" in str(exc.value)
    over = rollcall.roll_call(world.db, DESK, lessons[3], {a: "present"}, allow_overdraw=True)
    assert over.rows[0].overdrawn and balance(world, contract) == (Decimal(-1), 0)


def test_gift_units_are_used_first_and_money_ends_at_zero(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    contract = enroll(world, a, units=Decimal(2), gift=Decimal(1), fee_fen=20_001).contract_id
    amounts = [rollcall.roll_call(world.db, DESK, s, {a: "present"}).rows[0].amount_fen for s in lessons[:3]]
    assert amounts == [0, 10_001, 10_000]
    assert balance(world, contract) == (Decimal(0), 0)


def test_undo_restores_and_is_audited(world: World, lessons: tuple[str, ...]) -> None:
    a, b = world.students[0], world.students[1]
    ca, cb = enroll(world, a).contract_id, enroll(world, b).contract_id
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present", b: "leave"})
    undone = rollcall.undo_roll_call(world.db, DESK, lessons[0], [a])
    assert undone.student_ids == (a,) and balance(world, ca) == (Decimal(20), 200_000)
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == "held"  # b's leave still stands
    rollcall.undo_roll_call(world.db, DESK, lessons[0])
    assert count(world.db, MakeupEntitlement, MakeupEntitlement.status == "cancelled") == 1
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == "scheduled"
        assert not any(r.charged for r in session.query(Attendance))
    assert audits(world.db, "rollcall.undo") == 2 and balance(world, cb) == (Decimal(20), 200_000)
    assert rollcall.undo_roll_call(world.db, DESK, lessons[0]).changes == 0
    again = rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    assert again.changes == 1 and balance(world, ca) == (Decimal(19), 190_000)


def test_check_in_by_card(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    enroll(world, a, units=Decimal(1), fee_fen=10_000)
    ok = rollcall.check_in_by_card(world.db, DESK, lessons[0], "CARD000")
    assert (ok.kind, ok.student_name, ok.units_left) == ("checked_in", "张三", Decimal(0))
    assert rollcall.check_in_by_card(world.db, DESK, lessons[0], "CARD000").kind == "already"
    assert rollcall.check_in_by_card(world.db, DESK, lessons[1], "CARD000").kind == "owing"
    owing.set_owing_allowed(world.db, MANAGER, False)
    assert rollcall.check_in_by_card(world.db, DESK, lessons[2], "CARD000").kind == "no_units"
    assert rollcall.check_in_by_card(world.db, DESK, lessons[0], "CARD002").kind == "not_in_class"
    assert rollcall.check_in_by_card(world.db, DESK, lessons[0], "NOPE").kind == "unknown_card"
    assert count(world.db, Attendance) == 2


def test_a_student_without_units_is_marked_owing_and_the_others_are_charged(
    world: World, lessons: tuple[str, ...]
) -> None:
    a, b = world.students[0], world.students[1]
    ca = enroll(world, a).contract_id
    classes.add_class_member(world.db, MANAGER, world.math_class_id, b)  # a member with no package
    result = rollcall.roll_call(world.db, DESK, lessons[0], {a: "present", b: "late"})
    by_student = {r.student_id: r for r in result.rows}
    assert by_student[a].charged and not by_student[a].owing
    assert (by_student[b].charged, by_student[b].owing, by_student[b].amount_fen) == (False, True, 0)
    assert balance(world, ca) == (Decimal(19), 190_000)
    owed = owing.owed_lessons(world.db, DESK)
    assert [(o.student_name, o.status, o.session_id) for o in owed] == [("李四", "late", lessons[0])]
    # nothing to charge yet: settling leaves it owed and writes nothing
    before = outbox(world.db)
    assert rollcall.settle_owing(world.db, DESK, [(lessons[0], b)]) == rollcall.SettleResult(0, ("李四",))
    assert outbox(world.db) == before
    cb = enroll(world, b).contract_id
    assert rollcall.settle_owing(world.db, DESK, [(lessons[0], b)]) == rollcall.SettleResult(1, ())
    assert balance(world, cb) == (Decimal(19), 190_000) and owing.owed_lessons(world.db, DESK) == []
    # undoing an owed lesson clears the debt, like any undo
    c = world.students[2]
    classes.add_class_member(world.db, MANAGER, world.math_class_id, c)
    rollcall.roll_call(world.db, DESK, lessons[1], {c: "present"})
    assert len(owing.owed_lessons(world.db, DESK)) == 1
    rollcall.undo_roll_call(world.db, DESK, lessons[1])
    assert owing.owed_lessons(world.db, DESK) == []


def test_only_a_manager_may_forbid_owing(world: World) -> None:
    assert owing.owing_allowed(world.db)
    with pytest.raises(PermissionDenied):
        owing.set_owing_allowed(world.db, DESK, False)
    owing.set_owing_allowed(world.db, MANAGER, False)
    assert not owing.owing_allowed(world.db) and audits(world.db, "rollcall.allow_owing") == 1
    owing.set_owing_allowed(world.db, MANAGER, True)
    assert owing.owing_allowed(world.db)


def test_stats_cannot_roll_call(world: World, lessons: tuple[str, ...]) -> None:
    with pytest.raises(PermissionDenied):
        rollcall.roll_call(world.db, STATS, lessons[0], {world.students[0]: "present"})
    with pytest.raises(PermissionDenied):
        rollcall.undo_roll_call(world.db, STATS, lessons[0])


def test_makeup_changed_to_present_gives_the_entitlement_back(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    enroll(world, a)
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "leave"})
    rollcall.roll_call(world.db, DESK, lessons[1], {a: "makeup"})
    open_ = (MakeupEntitlement.status == "open",)
    assert count(world.db, MakeupEntitlement, *open_) == 0
    before = outbox(world.db, "makeup_entitlement")
    rollcall.roll_call(world.db, DESK, lessons[1], {a: "present"})
    assert count(world.db, MakeupEntitlement, *open_) == 1
    assert outbox(world.db, "makeup_entitlement") - before == 1


def test_a_failed_roll_call_writes_nothing(world: World, lessons: tuple[str, ...]) -> None:
    a, b = world.students[0], world.students[1]
    enroll(world, a)
    before = outbox(world.db)
    with pytest.raises(RuleViolation):  # b has no package: refused before anything is written
        rollcall.roll_call(world.db, DESK, lessons[0], {a: "present", b: "present"})
    assert outbox(world.db) == before and count(world.db, Attendance) == 0
    with pytest.raises(RuntimeError), world.db.write_transaction() as conn:
        io.set_session_status(conn, lessons[0], "held", "2026-01-01 00:00:00.000000")
        raise RuntimeError("boom")
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == "scheduled"
    assert outbox(world.db) == before


def test_save_clears_and_marks_in_one_transaction(world: World, lessons: tuple[str, ...]) -> None:
    a, b = world.students[0], world.students[1]
    ca, cb = enroll(world, a).contract_id, enroll(world, b).contract_id
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    saved = rollcall.save_roll_call(world.db, DESK, lessons[0], {b: "late"}, [a])
    assert saved.cleared is not None and saved.cleared.student_ids == (a,)
    assert saved.marked is not None and saved.marked.rows[0].charged
    assert balance(world, ca) == (Decimal(20), 200_000) and balance(world, cb) == (Decimal(19), 190_000)
    with pytest.raises(RuleViolation):  # a bad mark refuses the whole save: the clear is not kept either
        rollcall.save_roll_call(world.db, DESK, lessons[0], {world.students[2]: "present"}, [b])
    assert balance(world, cb) == (Decimal(19), 190_000)
