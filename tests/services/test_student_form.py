"""The student form's use cases: problems by field, duplicates as you type, saving with guardians."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.students import (
    GuardianInput,
    StudentInput,
    card_holder,
    edit_student,
    find_duplicates,
    register_student,
    student_form,
    student_problems,
)
from localdb.models import Guardian, Student
from tests.services.factory import DESK, STATS, World, audits, outbox, student_id_number

ID = "110105201503070013"  # born 2015-03-07, male


def test_problems_are_given_by_field_without_saving() -> None:
    bad = StudentInput("", id_number="110105201503070014", phone="12345", birth_date=date(2015, 3, 7))
    found = student_problems(bad, [GuardianInput("", phone="1"), GuardianInput("母亲", phone="13900139000")])
    assert sorted(found) == ["guardian0.name", "guardian0.phone", "id_number", "name", "phone"]
    assert found["id_number"].code == "id_number.checksum"
    contradicting = StudentInput("张三", id_number=ID, birth_date=date(2015, 3, 8), gender="F")
    found = student_problems(contradicting)
    assert found["birth_date"].code == "student.birth_mismatch"
    assert "2015-03-07" in found["birth_date"].message
    assert not student_problems(StudentInput("张三", id_number=ID, birth_date=date(2015, 3, 7), gender="M"))


def test_a_typed_birth_date_contradicting_the_id_is_refused_not_replaced(world: World) -> None:
    before = outbox(world.db)
    with pytest.raises(ValidationError) as refused:
        register_student(world.db, DESK, StudentInput("张三", id_number=ID, birth_date=date(2016, 1, 1)))
    assert refused.value.code == "student.birth_mismatch"
    with pytest.raises(ValidationError) as gender:
        register_student(world.db, DESK, StudentInput("张三", id_number=ID, gender="F"))
    assert gender.value.code == "student.gender_mismatch" and "男" in gender.value.message
    assert outbox(world.db) == before


def test_register_with_guardians_is_all_or_nothing(world: World) -> None:
    guardians = [GuardianInput("张父", "父亲", "139 0013 9000"), GuardianInput("张母", "母亲")]
    info = register_student(world.db, DESK, StudentInput("张小三", id_number=ID, card_code="K9"), guardians)
    assert (info.birth_date, info.gender) == (date(2015, 3, 7), "M")
    with world.db.reading() as session:
        rows = session.scalars(select(Guardian).where(Guardian.student_id == info.student_id)).all()
        assert sorted((g.name, g.phone) for g in rows) == [("张母", None), ("张父", "13900139000")]
    before = outbox(world.db)
    with pytest.raises(ValidationError):  # the second guardian's phone is wrong: no student either
        register_student(
            world.db, DESK, StudentInput("李小四"), [GuardianInput("李父"), GuardianInput("李母", phone="1")]
        )
    with pytest.raises(RuleViolation) as taken:
        register_student(world.db, DESK, StudentInput("王小五", card_code="K9"), [GuardianInput("王父")])
    assert taken.value.code == "student.card_taken"
    assert outbox(world.db) == before
    with pytest.raises(PermissionDenied):
        register_student(world.db, STATS, StudentInput("统计"))


def test_duplicates_by_id_or_by_name_and_guardian_phone(world: World) -> None:
    first = register_student(
        world.db, DESK, StudentInput("陈晨", id_number=ID), [GuardianInput("陈母", "母亲", "13900139000")]
    )
    by_id = find_duplicates(world.db, DESK, "别的名字", ID.lower())
    assert [(h.student_id, h.reason) for h in by_id] == [(first.student_id, "id_number")]
    by_phone = find_duplicates(world.db, DESK, " 陈晨 ", None, ["", "139-0013-9000"])
    assert [(h.name, h.reason) for h in by_phone] == [("陈晨", "name_phone")]
    assert find_duplicates(world.db, DESK, "陈晨", None, ["13900139001"]) == []
    assert find_duplicates(world.db, DESK, "陈晨", ID, ["13900139000"], exclude_id=first.student_id) == []
    assert find_duplicates(world.db, DESK, "陈晨", "1101", []) == []  # too short to look up
    assert card_holder(world.db, DESK, "CARD000") is not None
    assert card_holder(world.db, DESK, "CARD000", exclude_id=world.students[0]) is None
    assert card_holder(world.db, DESK, " ") is None


def test_edit_keeps_the_id_on_file_and_saves_guardians_as_listed(world: World) -> None:
    sid = world.students[0]
    first = register_student(
        world.db, DESK, StudentInput("孙悟"), [GuardianInput("孙父"), GuardianInput("孙母")]
    )
    info, guardians = student_form(world.db, DESK, first.student_id)
    assert info.name == "孙悟" and [g.name for g in guardians] == ["孙父", "孙母"]
    kept = GuardianInput("孙父亲", "父亲", "13700001111", guardians[0].guardian_id)
    edited = edit_student(
        world.db,
        DESK,
        first.student_id,
        StudentInput("孙悟空", phone="13600001111"),
        [kept, GuardianInput("孙奶奶", "祖母")],
    )
    assert edited.name == "孙悟空"
    _info, after = student_form(world.db, DESK, first.student_id)
    assert sorted((g.name, g.relation) for g in after) == [("孙奶奶", "祖母"), ("孙父亲", "父亲")]
    assert audits(world.db, "guardian.remove") == 1
    on_file, _g = student_form(world.db, DESK, sid)
    assert on_file.id_number_masked is not None and on_file.birth_date is not None
    edit_student(world.db, DESK, sid, StudentInput("张三丰", birth_date=on_file.birth_date), [])
    with world.db.reading() as session:
        row = session.get(Student, sid)
        assert row is not None and row.id_number == student_id_number(1) and row.name == "张三丰"
    with pytest.raises(ValidationError) as refused:
        edit_student(world.db, DESK, sid, StudentInput("张三丰", birth_date=date(2001, 1, 1)), [])
    assert refused.value.code == "student.birth_mismatch"
    with pytest.raises(RuleViolation):
        edit_student(world.db, DESK, sid, StudentInput("张三丰", card_code="CARD001"), [])
