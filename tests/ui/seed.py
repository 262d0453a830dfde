"""A little demo data for the UI tests, made through the core's use cases (so it obeys every rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from app.db import Database
from app.permissions import Actor, Role
from app.services.catalog import CourseInput, add_course
from app.services.classes import KlassInput, add_class, add_class_member
from app.services.enrollment import EnrollmentRequest, enroll
from app.services.institution import init_institution
from app.services.schedule import add_session
from app.services.staffing import StaffInput, add_staff, set_background_check
from app.services.students import StudentInput, add_guardian, add_student
from app.services.users import authenticate, bootstrap_admin, create_user
from app.validators import make_uscc

PASSWORD = "secret-123"
NAMES = ("张三", "李四", "王小明", "赵丽", "陈晨", "刘洋")


@dataclass
class Seed:
    db: Database
    manager: Actor
    front_desk: Actor
    stats: Actor
    course_id: str = ""
    klass_id: str = ""
    session_id: str = ""
    students: dict[str, str] = field(default_factory=dict)  # name -> id
    cards: dict[str, str] = field(default_factory=dict)  # name -> card code


def _users(db: Database) -> tuple[Actor, Actor, Actor]:
    bootstrap_admin(db, "admin", PASSWORD, "管理员")
    manager = authenticate(db, "admin", PASSWORD)
    create_user(db, manager, "desk", PASSWORD, Role.FRONT_DESK, "前台小王")
    create_user(db, manager, "stats", PASSWORD, Role.STATS, "统计")
    return manager, authenticate(db, "desk", PASSWORD), authenticate(db, "stats", PASSWORD)


def _course(seed: Seed) -> None:
    data = CourseInput(
        name="少儿美术",
        category="non_subject",
        subject="美术",
        stage="compulsory",
        minutes_per_lesson=60,
        lessons_per_package=Decimal(20),
        price_fen=240000,
        class_format="small",
    )
    seed.course_id = add_course(seed.db, seed.manager, data).course_id
    teacher = add_staff(seed.db, seed.manager, StaffInput(name="周老师", ability_cert_no="MS-001"))
    set_background_check(seed.db, seed.manager, teacher.staff_id, "passed")
    klass = KlassInput(course_id=seed.course_id, name="美术周末班", capacity=12, teacher_id=teacher.staff_id)
    seed.klass_id = add_class(seed.db, seed.manager, klass).klass_id


def _students(seed: Seed, today: date) -> None:
    for i, name in enumerate(NAMES):
        card = f"C{1000 + i}"
        info = add_student(
            seed.db, seed.manager, StudentInput(name=name, phone=f"1380000{1000 + i:04d}", card_code=card)
        )
        seed.students[name], seed.cards[name] = info.student_id, card
        add_guardian(
            seed.db, seed.manager, info.student_id, f"{name[0]}家长", "母亲", f"1390000{2000 + i:04d}"
        )
        if i < 4:  # the first four are enrolled (the last of them with only one lesson left)
            units = Decimal(1) if i == 3 else Decimal(10)
            request = EnrollmentRequest(
                student_id=info.student_id,
                course_id=seed.course_id,
                units=units,
                fee_fen=int(units * 12000),
                start_date=today,
                end_date=today + timedelta(days=80),
                method="wechat",
                klass_id=seed.klass_id,
            )
            enroll(seed.db, seed.manager, request)
    add_class_member(seed.db, seed.manager, seed.klass_id, seed.students[NAMES[4]])  # a member with no units


def seed_database(db: Database, today: date) -> Seed:
    init_institution(db, "星光艺术培训中心", make_uscc("91350100MA2YH8K3T"), desk_code="A1")
    manager, desk, stats = _users(db)
    seed = Seed(db, manager, desk, stats)
    _course(seed)
    _students(seed, today)
    seed.session_id = add_session(db, manager, seed.klass_id, today, "18:00", "19:00").session_ids[0]
    return seed
