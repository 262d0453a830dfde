"""Rules the core used to let through (issue 12): formula-like names, the child's own stage and age, and
charging after a contract's end date. Both sides of each boundary, through the use cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from app.errors import RuleViolation, ValidationError
from app.services import catalog, enrollment, rollcall
from app.services.owing import set_owing_allowed
from app.validators import make_id_number
from app.views.students import session_roster
from localdb.balances import contract_balance
from tests.services.factory import DESK, MANAGER, World, enroll, math_sessions

# --- item 9: names that a spreadsheet would run as formulas -------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","点我")', "+1+1", "-cmd|' /C calc'!A0", "@SUM(1)"]


@pytest.mark.parametrize("name", FORMULAS)
def test_formula_like_names_are_refused_everywhere(world: World, name: str) -> None:
    attempts: list[Callable[[], object]] = [
        lambda: catalog.add_student(world.db, DESK, catalog.StudentInput(name)),
        lambda: catalog.add_guardian(world.db, DESK, world.students[0], name, "父亲", "13900139000"),
        lambda: catalog.add_staff(world.db, MANAGER, catalog.StaffInput(name, ability_cert_no="A9")),
        lambda: catalog.add_course(
            world.db,
            MANAGER,
            catalog.CourseInput(name, "non_subject", "篮球", "compulsory", 60, Decimal(30), 300_000),
        ),
        lambda: catalog.add_class(world.db, MANAGER, catalog.KlassInput(world.ball_course_id, name, 10)),
        lambda: catalog.update_student(world.db, DESK, world.students[0], name=name),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "name.formula_start"
        assert "公式" in caught.value.message and name[0] in caught.value.message


def test_names_with_those_characters_inside_are_fine(world: World) -> None:
    info = catalog.add_student(world.db, DESK, catalog.StudentInput("欧阳-娜娜"))
    assert info.name == "欧阳-娜娜"
    klass = catalog.add_class(world.db, MANAGER, catalog.KlassInput(world.ball_course_id, "篮球+提高班", 10))
    assert klass.name == "篮球+提高班"


# --- item 15: a pre-school child, by stage or by age ----------------------------------------------------

START = date(2026, 3, 2)  # the factory's course start; lessons on Mondays from then


def _child(world: World, born: date | None, *, stage: str | None = None, seq: int = 501) -> str:
    number = make_id_number("110105", born, seq) if born else None
    data = catalog.StudentInput(f"小朋友{seq}", id_number=number, stage=stage)
    return catalog.add_student(world.db, DESK, data).student_id


def _online_course(world: World) -> tuple[str, str]:
    course = catalog.add_course(
        world.db,
        MANAGER,
        catalog.CourseInput("线上美术", "non_subject", "美术", "other", 30, Decimal(20), 200_000, "online"),
    )
    klass = catalog.add_class(world.db, MANAGER, catalog.KlassInput(course.course_id, "线上1班", 30))
    return course.course_id, klass.klass_id


def test_a_five_year_old_cannot_enroll_in_a_subject_course(world: World) -> None:
    five = _child(world, date(2021, 3, 3))  # turns 5 the day after the course starts
    with pytest.raises(RuleViolation) as caught:
        enroll(world, five)
    assert caught.value.code == "child.preschool_subject"
    assert "4岁" in caught.value.message


def test_the_sixth_birthday_is_the_boundary(world: World) -> None:
    not_yet = _child(world, date(2020, 3, 3), seq=503)  # 6 the day after the start: still 5
    with pytest.raises(RuleViolation, match="学龄前"):
        enroll(world, not_yet)
    six = _child(world, date(2020, 3, 2), seq=505)  # 6 on the start day
    assert enroll(world, six).contract_id


def test_the_declared_stage_counts_without_a_birth_date(world: World) -> None:
    declared = _child(world, None, stage="preschool")
    with pytest.raises(RuleViolation) as caught:
        enroll(world, declared)
    assert caught.value.code == "child.preschool_stage_subject"


def test_pre_school_children_get_no_online_training(world: World) -> None:
    course, klass = _online_course(world)
    four = _child(world, date(2021, 9, 1))
    with pytest.raises(RuleViolation) as caught:
        enroll(world, four, course=course, klass=klass, units=Decimal(20), fee_fen=200_000)
    assert caught.value.code == "child.preschool_online"
    seven = _child(world, date(2018, 9, 1), seq=507)
    assert enroll(world, seven, course=course, klass=klass).contract_id


def test_offline_non_subject_training_is_allowed_for_pre_school_children(world: World) -> None:
    four = _child(world, date(2021, 9, 1))
    result = enroll(world, four, course=world.ball_course_id, klass=world.ball_class_id, fee_fen=300_000)
    assert result.klass_member_id


def test_class_placement_checks_the_child(world: World) -> None:
    four = _child(world, date(2021, 9, 1))
    with pytest.raises(RuleViolation) as caught:
        catalog.add_class_member(world.db, MANAGER, world.math_class_id, four)
    assert caught.value.code == "child.preschool_subject"
    catalog.add_class_member(world.db, MANAGER, world.ball_class_id, four)


def test_roll_call_checks_the_child(world: World) -> None:
    """A child enrolled without a birth date whose ID number is recorded later cannot be marked in."""
    child = _child(world, None)
    enroll(world, child)
    lesson = math_sessions(world, weeks=1).session_ids[0]
    catalog.update_student(world.db, DESK, child, id_number=make_id_number("110105", date(2021, 5, 1), 509))
    with pytest.raises(RuleViolation) as caught:
        rollcall.roll_call(world.db, DESK, lesson, {child: "present"})
    assert caught.value.code == "child.preschool_subject"
    with pytest.raises(RuleViolation):
        rollcall.roll_call(world.db, DESK, lesson, {child: "trial"})
    absent = rollcall.roll_call(world.db, DESK, lesson, {child: "leave"})  # not taking part: recordable
    assert absent.rows[0].status == "leave"


# --- item 17: a contract's end date ---------------------------------------------------------------------


def test_no_lesson_is_charged_after_the_contract_ended(world: World) -> None:
    student = world.students[0]
    contract = enroll(world, student, end=date(2026, 3, 16)).contract_id
    lessons = math_sessions(world, weeks=4).session_ids  # 03-02, 03-09, 03-16 and 03-23 (past the end)
    rollcall.roll_call(world.db, DESK, lessons[2], {student: "present"})  # 03-16: the last valid day
    extra = lessons[3]
    # by default a lesson nothing in force pays for is marked owed (欠课时), never charged to the old contract
    [line] = rollcall.roll_call(world.db, DESK, extra, {student: "present"}).rows
    assert line.owing and not line.charged and line.contract_id is None
    rollcall.undo_roll_call(world.db, DESK, extra)
    set_owing_allowed(world.db, MANAGER, False)  # the manager forbids owing: refused, saying why
    with pytest.raises(RuleViolation) as caught:
        rollcall.roll_call(world.db, DESK, extra, {student: "present"})
    assert caught.value.code == "rollcall.contract_expired"
    message = caught.value.message
    assert "2026-03-16" in message and "2026-03-23" in message and "19" in message
    with pytest.raises(RuleViolation, match="到期"):
        rollcall.roll_call(world.db, DESK, extra, {student: "present"}, allow_overdraw=True)
    card = rollcall.check_in_by_card(world.db, DESK, extra, "CARD000")
    assert card.kind == "expired"
    with world.db.reading() as session:
        assert contract_balance(session, contract).units_left == Decimal(19)


def test_a_renewal_in_force_pays_after_the_old_contract_ended(world: World) -> None:
    student = world.students[0]
    enroll(world, student, end=date(2026, 3, 16))
    newer = enroll(world, student, start=date(2026, 3, 17), end=date(2026, 5, 31), units=Decimal(10))
    extra = math_sessions(world, weeks=4).session_ids[3]  # 03-23
    result = rollcall.roll_call(world.db, DESK, extra, {student: "present"})
    assert result.rows[0].contract_id == newer.contract_id


def test_quoting_lists_the_child_rule_with_the_charge_checks(world: World) -> None:
    four = _child(world, date(2021, 9, 1))
    request = enrollment.EnrollmentRequest(
        four, world.math_course_id, Decimal(70), 200_000, START, date(2026, 5, 31), "wechat"
    )
    check = enrollment.quote_enrollment(world.db, DESK, request)
    assert [v.code for v in check.violations] == ["child.preschool_subject", "charge.too_many_units"]
    assert not check.ok


def test_units_left_on_an_ended_contract_do_not_block_a_renewal(world: World) -> None:
    student = world.students[0]
    enroll(world, student, units=Decimal(30), fee_fen=300_000, end=date(2026, 3, 16))  # 30 left, ended
    with pytest.raises(RuleViolation, match="剩余"):  # while it runs, 30 left is too many to renew
        enroll(world, student, start=date(2026, 3, 10), end=date(2026, 5, 31), units=Decimal(10))
    renewed = enroll(world, student, start=date(2026, 3, 17), end=date(2026, 5, 31), units=Decimal(10))
    assert renewed.contract_id


def test_the_roster_shows_units_on_an_ended_contract_as_expired(world: World) -> None:
    student = world.students[0]
    enroll(world, student, end=date(2026, 3, 16))
    lessons = math_sessions(world, weeks=4).session_ids
    [before] = [r for r in session_roster(world.db, DESK, lessons[2]) if r.student_id == student]
    [after] = [r for r in session_roster(world.db, DESK, lessons[3]) if r.student_id == student]
    assert (before.units_left, before.expired) == (Decimal(20), False)
    assert (after.units_left, after.expired) == (Decimal(0), True)
