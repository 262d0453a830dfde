"""Builders for service tests: a small institution made through the public use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from app.db import Database
from app.permissions import Actor, Role
from app.services import catalog, enrollment, institution, schedule
from app.validators import make_id_number, make_uscc
from localdb.models import AuditLog, SyncOutbox

MANAGER = Actor("u-manager", "manager", Role.MANAGER)
DESK = Actor("u-desk", "desk", Role.FRONT_DESK)
STATS = Actor("u-stats", "stats", Role.STATS)
USCC = make_uscc("91350100M000100Y4")
CHARGE_DAY = date(2026, 2, 20)
START = date(2026, 3, 2)
END = date(2026, 5, 31)


@dataclass(frozen=True)
class World:
    db: Database
    campus_id: str
    room_id: str
    room2_id: str
    math_teacher_id: str
    art_teacher_id: str
    math_course_id: str
    ball_course_id: str
    math_class_id: str
    ball_class_id: str
    students: tuple[str, ...]


def student_id_number(seq: int) -> str:
    return make_id_number("110105", date(2015, 1, 1 + seq % 28), seq)


def build_world(db: Database, n_students: int = 3) -> World:
    institution.init_institution(db, "测试培训学校", USCC, "A1", category_scope="both", delivery_scope="both")
    campus = catalog.add_campus(db, MANAGER, "本部", "福州")
    room = catalog.add_room(db, MANAGER, campus.campus_id, "101", 40)
    room2 = catalog.add_room(db, MANAGER, campus.campus_id, "102", 40)
    math_t = catalog.add_staff(
        db, MANAGER, catalog.StaffInput("王老师", teacher_cert_no="T1", teacher_cert_subject="初中数学")
    )
    art_t = catalog.add_staff(db, MANAGER, catalog.StaffInput("李教练", ability_cert_no="A1"))
    for staff in (math_t, art_t):
        catalog.set_background_check(db, MANAGER, staff.staff_id, "passed")
    math = catalog.add_course(
        db,
        MANAGER,
        catalog.CourseInput("初一数学", "subject", "数学", "compulsory", 45, Decimal(20), 200_000),
    )
    ball = catalog.add_course(
        db,
        MANAGER,
        catalog.CourseInput("少儿篮球", "non_subject", "篮球", "compulsory", 60, Decimal(30), 300_000),
    )
    math_class = catalog.add_class(
        db, MANAGER, catalog.KlassInput(math.course_id, "数学1班", 30, 0, math_t.staff_id, room.room_id)
    )
    ball_class = catalog.add_class(
        db, MANAGER, catalog.KlassInput(ball.course_id, "篮球1班", 30, 0, art_t.staff_id, room2.room_id)
    )
    names = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
    students = tuple(
        catalog.add_student(
            db,
            DESK,
            catalog.StudentInput(
                names[i % len(names)] + ("" if i < len(names) else str(i)),
                id_number=student_id_number(i + 1),
                phone=f"1380000{i:04d}",
                card_code=f"CARD{i:03d}",
                stage="compulsory",
            ),
        ).student_id
        for i in range(n_students)
    )
    return World(
        db,
        campus.campus_id,
        room.room_id,
        room2.room_id,
        math_t.staff_id,
        art_t.staff_id,
        math.course_id,
        ball.course_id,
        math_class.klass_id,
        ball_class.klass_id,
        students,
    )


def request(
    world: World,
    student: str,
    *,
    course: str | None = None,
    klass: str | None = None,
    units: Decimal = Decimal(20),
    fee_fen: int = 200_000,
    gift: Decimal = Decimal(0),
    start: date = START,
    end: date = END,
    charge_day: date = CHARGE_DAY,
    **extra: object,
) -> enrollment.EnrollmentRequest:
    """An enrollment request into the math class by default."""
    return enrollment.EnrollmentRequest(
        student_id=student,
        course_id=course or world.math_course_id,
        klass_id=klass if klass is not None else world.math_class_id if course is None else None,
        units=units,
        fee_fen=fee_fen,
        start_date=start,
        end_date=end,
        method="wechat",
        gift_units=gift,
        charge_date=charge_day,
        **extra,  # type: ignore[arg-type]
    )


def enroll(world: World, student: str, **kwargs: object) -> enrollment.EnrollmentResult:
    return enrollment.enroll(world.db, DESK, request(world, student, **kwargs))  # type: ignore[arg-type]


def math_sessions(world: World, weeks: int = 4) -> schedule.ScheduleResult:
    """Weekly Monday 18:00–18:45 math lessons from 2026-03-02."""
    end = date.fromordinal(START.toordinal() + 7 * weeks - 1)
    return schedule.add_schedule_rule(world.db, MANAGER, world.math_class_id, 0, "18:00", "18:45", START, end)


def count(db: Database, model: type[object], *where: object) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def outbox(db: Database, entity: str | None = None) -> int:
    return count(db, SyncOutbox, *([SyncOutbox.entity == entity] if entity else []))


def audits(db: Database, action: str) -> int:
    return count(db, AuditLog, AuditLog.action == action)
