"""A small institution with one complete deal, for the sample documents (``scripts/make_samples.py``) and the
document tests: every contract fact filled in, one enrollment with its payment, and its refund."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.db import Database
from app.permissions import Actor, Role
from app.services import catalog, enrollment, institution, refunds, schedule, students, users
from app.validators import make_id_number, make_uscc

USCC = make_uscc("52350102MJ0000001")
CHARGE_DAY = date(2026, 2, 20)
START, END = date(2026, 3, 2), date(2026, 5, 30)

PROFILE = institution.InstitutionProfile(
    name="福州启明星培训学校",
    address="福州市鼓楼区五四路 100 号 3 层",
    approval_authority="福州市鼓楼区教育局",
    registration_authority="福州市鼓楼区民政局",
    licence_no="教民135010270000123号",
    licence_valid_until=date(2029, 8, 31),
    registration_valid_until=date(2030, 12, 31),
    contact_name="林校长",
    contact_phone="0591-87654321",
    supervision_mode="escrow",
    supervision_bank="中国建设银行福州鼓楼支行",
    supervision_account_name="福州启明星培训学校预收费监管专户",
    supervision_account_no="35050100000000001234",
    dispute_resolution="court",
    dispute_body="福州市鼓楼区人民法院",
    refund_days_before_start=7,
    refund_days_after_start=3,
)


@dataclass(frozen=True)
class Paperwork:
    contract_id: str
    payment_id: str
    refund_id: str
    desk: Actor


def build_paperwork(db: Database, password: str = "sample-password") -> Paperwork:
    """Fill ``db`` (migrated, empty) with the sample institution and one refunded deal."""
    institution.init_institution(
        db, PROFILE.name, USCC, "A1", category_scope="both", delivery_scope="offline"
    )
    admin = users.bootstrap_admin(db, "admin", password, "林校长")
    manager = Actor(admin.user_id, admin.username, Role.MANAGER)
    institution.update_profile(db, manager, PROFILE)
    desk_user = users.create_user(db, manager, "front1", password, Role.FRONT_DESK, "陈晓敏")
    desk = Actor(desk_user.user_id, desk_user.username, Role.FRONT_DESK)
    campus = catalog.add_campus(db, manager, "五四路校区", PROFILE.address)
    room = catalog.add_room(db, manager, campus.campus_id, "301 美术室", 12)
    teacher = catalog.add_staff(
        db, manager, catalog.StaffInput("黄雅琴", gender="F", ability_cert_no="美术教师能力证 FJ-2023-0815")
    )
    catalog.set_background_check(db, manager, teacher.staff_id, "passed")
    course = catalog.add_course(
        db,
        manager,
        catalog.CourseInput(
            "少儿创意美术",
            "non_subject",
            "美术",
            "compulsory",
            90,
            Decimal(24),
            288_000,
            units_per_lesson=Decimal(2),
        ),
    )
    klass = catalog.add_class(
        db,
        manager,
        catalog.KlassInput(
            course.course_id, "美术周日上午班", 12, 4, teacher.staff_id, room.room_id, "MS-2026-03"
        ),
    )
    schedule.add_schedule_rule(db, manager, klass.klass_id, 6, "09:00", "10:30", START, END)
    student = students.add_student(
        db,
        desk,
        students.StudentInput(
            "张小雨",
            id_number=make_id_number("350102", date(2016, 5, 12), 126),
            school="福州市鼓楼第一中心小学",
            grade="四年级",
            stage="compulsory",
            phone="13905910001",
            card_code="K0001",
        ),
    )
    students.add_guardian(
        db,
        desk,
        student.student_id,
        "张伟",
        "父亲",
        "13905910002",
        "福州市鼓楼区湖东路 8 号",
        make_id_number("350102", date(1985, 3, 9), 313),
    )
    signed = enrollment.enroll(
        db,
        desk,
        enrollment.EnrollmentRequest(
            student_id=student.student_id,
            course_id=course.course_id,
            klass_id=klass.klass_id,
            units=Decimal(24),
            gift_units=Decimal(2),
            fee_fen=288_000,
            start_date=START,
            end_date=END,
            method="wechat",
            charge_date=CHARGE_DAY,
        ),
    )
    refund = refunds.execute_refund(
        db, manager, signed.contract_id, "家庭搬迁，无法继续上课", request_date=START
    )
    return Paperwork(signed.contract_id, signed.payment_id, refund.refund_id, desk)
