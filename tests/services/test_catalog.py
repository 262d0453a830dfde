"""Master data: staff, courses, classes, students, and who may change them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from app.services import catalog
from localdb.models import Staff, Student
from tests.services.factory import DESK, MANAGER, STATS, World, audits, outbox, student_id_number


def test_student_fields_are_derived_and_search_keys_filled(world: World) -> None:
    number = "11010519491231002X"
    info = catalog.add_student(
        world.db, DESK, catalog.StudentInput("张三丰", id_number=number.lower(), phone="+86 139 1234 5678")
    )
    assert (info.birth_date, info.gender) == (date(1949, 12, 31), "F")
    assert info.id_number_masked == "110105********002X"
    with world.db.reading() as session:
        row = session.get(Student, info.student_id)
        assert row is not None
        assert (row.name_pinyin, row.name_initials) == ("zhangsanfeng", "zsf")
        assert (row.phone, row.phone_rev) == ("13912345678", "87654321931")
        assert row.id_number == number
    assert audits(world.db, "student.add") == 4


def test_duplicate_student_and_card(world: World) -> None:
    with pytest.raises(RuleViolation) as dup:
        catalog.add_student(world.db, DESK, catalog.StudentInput("重复", id_number=student_id_number(1)))
    assert dup.value.code == "student.duplicate"
    assert "********" in str(dup.value)
    with pytest.raises(RuleViolation) as card:
        catalog.add_student(world.db, DESK, catalog.StudentInput("新生", card_code="CARD000"))
    assert card.value.code == "student.card_taken"
    with pytest.raises(ValidationError):
        catalog.add_student(world.db, DESK, catalog.StudentInput("坏号", id_number="110105194912310021"))


def test_update_student_and_guardian(world: World) -> None:
    sid = world.students[0]
    updated = catalog.update_student(world.db, DESK, sid, name="李小龙", phone="13700001111")
    assert updated.name == "李小龙"
    with pytest.raises(RuleViolation):
        catalog.update_student(world.db, DESK, sid, card_code="CARD001")
    with pytest.raises(ValidationError):
        catalog.update_student(world.db, DESK, sid, shoe_size=42)
    guardian = catalog.add_guardian(world.db, DESK, sid, "李父", "父亲", "13600001111")
    assert guardian.phone == "13600001111"
    with pytest.raises(PermissionDenied):
        catalog.add_student(world.db, STATS, catalog.StudentInput("统计"))


def test_staff_rules(world: World) -> None:
    with pytest.raises(RuleViolation) as serving:
        catalog.add_staff(world.db, MANAGER, catalog.StaffInput("在职教师", serving_school_teacher=True))
    assert serving.value.code == "staff.serving_school_teacher"
    with pytest.raises(ValidationError):
        catalog.add_staff(world.db, MANAGER, catalog.StaffInput("坏号", id_number="123"))
    with pytest.raises(ValidationError):
        catalog.add_staff(world.db, MANAGER, catalog.StaffInput("坏手机", phone="1234"))
    info = catalog.add_staff(world.db, MANAGER, catalog.StaffInput("新老师", id_number="440524188001010014"))
    assert info.id_number_masked == "440524********0014" and info.background_check == "none"
    with pytest.raises(PermissionDenied):
        catalog.add_staff(world.db, DESK, catalog.StaffInput("前台招人"))


def test_update_staff_validates_like_hiring_and_audits_what_changed(world: World) -> None:
    hired = catalog.add_staff(world.db, MANAGER, catalog.StaffInput("新老师", ability_cert_no="A-9"))
    edited = catalog.StaffInput(
        "新老师", phone="139 1234 5678", id_number="440524188001010014", ability_cert_no="A-9"
    )
    info = catalog.update_staff(world.db, MANAGER, hired.staff_id, edited)
    assert info.id_number_masked == "440524********0014"
    with world.db.reading() as session:
        row = session.get(Staff, hired.staff_id)
        assert row is not None and (row.phone, row.gender) == ("13912345678", "M")
    assert audits(world.db, "staff.update") == 1
    catalog.update_staff(world.db, MANAGER, hired.staff_id, edited)  # nothing changed: no audit entry
    assert audits(world.db, "staff.update") == 1
    with pytest.raises(RuleViolation) as serving:
        catalog.update_staff(
            world.db,
            MANAGER,
            hired.staff_id,
            catalog.StaffInput("新老师", ability_cert_no="A-9", serving_school_teacher=True),
        )
    assert serving.value.code == "staff.serving_school_teacher"
    with pytest.raises(ValidationError):
        catalog.update_staff(world.db, MANAGER, hired.staff_id, catalog.StaffInput("坏手机", phone="1234"))
    with pytest.raises(PermissionDenied):
        catalog.update_staff(world.db, DESK, hired.staff_id, edited)
    with pytest.raises(NotFound):
        catalog.update_staff(world.db, MANAGER, "no-such-staff", edited)
    with world.db.reading() as session:
        row = session.get(Staff, hired.staff_id)
        assert row is not None and not row.serving_school_teacher and row.phone == "13912345678"


def test_course_rules_and_permissions(world: World) -> None:
    bad = catalog.CourseInput("奥数", "non_subject", "数学", "compulsory", 45, Decimal(20), 100_000)
    with pytest.raises(RuleViolation) as exc:
        catalog.add_course(world.db, MANAGER, bad)
    assert exc.value.code == "course.subject_as_non_subject"
    online_kids = catalog.CourseInput(
        "幼儿美术", "non_subject", "美术", "preschool", 30, Decimal(10), 1, "online"
    )
    with pytest.raises(RuleViolation) as kids:
        catalog.add_course(world.db, MANAGER, online_kids)
    assert kids.value.code == "course.preschool_online"
    with pytest.raises(PermissionDenied):
        catalog.add_course(world.db, DESK, bad)
    before = outbox(world.db, "course")
    with pytest.raises(ValidationError):
        catalog.add_course(
            world.db, MANAGER, catalog.CourseInput("x", "non_subject", "美术", "other", 45, Decimal(0), 1)
        )
    assert outbox(world.db, "course") == before


def test_publish_update_and_delete_course(world: World) -> None:
    course = catalog.publish_course(world.db, MANAGER, world.ball_course_id)
    assert course.review_status == "pending"
    with pytest.raises(RuleViolation):
        catalog.publish_course(world.db, MANAGER, world.ball_course_id)
    changed = catalog.update_course(world.db, MANAGER, world.ball_course_id, price_fen=280_000)
    assert (changed.price_fen, changed.review_status) == (280_000, "draft")
    with pytest.raises(RuleViolation):
        catalog.update_course(world.db, MANAGER, world.ball_course_id, subject="语文")
    with pytest.raises(RuleViolation) as in_use:
        catalog.delete_course(world.db, MANAGER, world.ball_course_id)
    assert in_use.value.code == "course.in_use"
    catalog.delete_class(world.db, MANAGER, world.ball_class_id)
    catalog.delete_course(world.db, MANAGER, world.ball_course_id)
    with pytest.raises(NotFound):
        catalog.publish_course(world.db, MANAGER, world.ball_course_id)


def test_class_needs_a_qualified_teacher(world: World) -> None:
    fresh = catalog.add_staff(world.db, MANAGER, catalog.StaffInput("新人", teacher_cert_subject="数学"))
    data = catalog.KlassInput(world.math_course_id, "数学2班", 20, 0, fresh.staff_id)
    with pytest.raises(RuleViolation) as exc:
        catalog.add_class(world.db, MANAGER, data)
    assert exc.value.code == "staff.background_check_not_passed"
    catalog.set_background_check(world.db, MANAGER, fresh.staff_id, "passed")
    assert catalog.add_class(world.db, MANAGER, data).teacher_id == fresh.staff_id
    art = catalog.KlassInput(world.math_course_id, "数学3班", 20, 0, world.art_teacher_id)
    with pytest.raises(RuleViolation) as cert:
        catalog.add_class(world.db, MANAGER, art)
    assert cert.value.code == "staff.no_teacher_certificate"
    with pytest.raises(ValidationError):
        catalog.add_class(world.db, MANAGER, catalog.KlassInput(world.math_course_id, "x", 5, 6))


def test_class_membership(world: World) -> None:
    small = catalog.add_class(world.db, MANAGER, catalog.KlassInput(world.ball_course_id, "小班", 1))
    catalog.add_class_member(world.db, MANAGER, small.klass_id, world.students[0])
    with pytest.raises(RuleViolation) as full:
        catalog.add_class_member(world.db, MANAGER, small.klass_id, world.students[1])
    assert full.value.code == "klass.full"
    with pytest.raises(RuleViolation):
        catalog.add_class_member(world.db, MANAGER, small.klass_id, world.students[0])
    catalog.remove_class_member(world.db, MANAGER, small.klass_id, world.students[0])
    catalog.add_class_member(world.db, MANAGER, small.klass_id, world.students[1])
    with pytest.raises(RuleViolation):
        catalog.delete_class(world.db, MANAGER, small.klass_id)
    with pytest.raises(NotFound):
        catalog.add_class_member(world.db, MANAGER, small.klass_id, "no-such-student")
    with world.db.reading() as session:
        assert session.scalar(select(Student.id).where(Student.id == world.students[1])) is not None
