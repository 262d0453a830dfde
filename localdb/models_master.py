"""Synced master data: institution, policy, sites, staff, courses, classes, timetable, students.

All are mutable with a version and a tombstone (``deleted_at``). Import them from ``localdb.models``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, MasterMixin, choice
from localdb.types import Code, Units, UtcDateTime

#: sort order of columns added by a later migration: after the mixin columns, as ALTER TABLE adds them
_LATE = 100


class PolicyProfile(MasterMixin, Base):
    """Regional parameters (docs/domain.md); ``params`` is JSON text whose meaning the app layer owns."""

    __tablename__ = "policy_profile"

    region_code: Mapped[str] = mapped_column(String(12), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    params: Mapped[str] = mapped_column(Text, nullable=False, default="{}", server_default=text("'{}'"))


class Institution(MasterMixin, Base):
    """The institution's own profile (甲方 of every contract); one row per database."""

    __tablename__ = "institution"
    __table_args__ = (
        choice("category_scope", codes.CATEGORY_SCOPES),
        choice("delivery_scope", codes.DELIVERY_SCOPES),
        choice("supervision_mode", codes.SUPERVISION_MODES),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    uscc: Mapped[str] = mapped_column(String(18), nullable=False)
    address: Mapped[str | None] = mapped_column(String(300))
    licence_no: Mapped[str | None] = mapped_column(String(100))
    licence_valid_until: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    category_scope: Mapped[codes.CategoryScope] = mapped_column(
        Code(codes.CategoryScope, 12), nullable=False, default="both"
    )
    delivery_scope: Mapped[codes.DeliveryScope] = mapped_column(
        Code(codes.DeliveryScope, 12), nullable=False, default="offline"
    )
    supervision_mode: Mapped[codes.SupervisionMode] = mapped_column(
        Code(codes.SupervisionMode, 12), nullable=False, default="escrow"
    )
    supervised_account_verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    policy_profile_id: Mapped[str | None] = mapped_column(ForeignKey("policy_profile.id"))
    # 甲方 facts of the model contract GF—2021—2604 (migration 0008; docs/contract.md);
    # added after the mixin columns, so the model keeps the order of the migrated table (capture payloads)
    approval_authority: Mapped[str | None] = mapped_column(String(100), sort_order=_LATE)
    registration_authority: Mapped[str | None] = mapped_column(String(100), sort_order=_LATE)
    registration_valid_until: Mapped[date | None] = mapped_column(Date, sort_order=_LATE)
    icp_no: Mapped[str | None] = mapped_column(String(60), sort_order=_LATE)
    supervision_bank: Mapped[str | None] = mapped_column(String(100), sort_order=_LATE)
    supervision_account_name: Mapped[str | None] = mapped_column(String(200), sort_order=_LATE)
    supervision_account_no: Mapped[str | None] = mapped_column(String(40), sort_order=_LATE)
    dispute_resolution: Mapped[codes.DisputeResolution | None] = mapped_column(
        Code(codes.DisputeResolution, 12), sort_order=_LATE
    )
    dispute_body: Mapped[str | None] = mapped_column(String(100), sort_order=_LATE)
    refund_days_before_start: Mapped[int | None] = mapped_column(Integer, sort_order=_LATE)
    refund_days_after_start: Mapped[int | None] = mapped_column(Integer, sort_order=_LATE)


class Campus(MasterMixin, Base):
    __tablename__ = "campus"

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    address: Mapped[str | None] = mapped_column(String(300))


class Room(MasterMixin, Base):
    __tablename__ = "room"

    campus_id: Mapped[str] = mapped_column(ForeignKey("campus.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Staff(MasterMixin, Base):
    """从业人员: kind, employment, certificates and the platform's pre-hire check result."""

    __tablename__ = "staff"
    __table_args__ = (
        choice("gender", codes.GENDERS),
        choice("kind", codes.STAFF_KINDS),
        choice("employment", codes.EMPLOYMENTS),
        choice("background_check", codes.BACKGROUND_CHECKS),
    )

    name: Mapped[str] = mapped_column(String(50), nullable=False)
    gender: Mapped[codes.Gender | None] = mapped_column(Code(codes.Gender, 1))
    id_number: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(30))
    kind: Mapped[codes.StaffKind] = mapped_column(
        Code(codes.StaffKind, 12), nullable=False, default="teaching"
    )
    employment: Mapped[codes.Employment] = mapped_column(
        Code(codes.Employment, 12), nullable=False, default="full_time"
    )
    teacher_cert_no: Mapped[str | None] = mapped_column(String(50))
    teacher_cert_subject: Mapped[str | None] = mapped_column(String(50))
    ability_cert_no: Mapped[str | None] = mapped_column(String(50))
    serving_school_teacher: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    background_check: Mapped[codes.BackgroundCheck] = mapped_column(
        Code(codes.BackgroundCheck, 10), nullable=False, default="none"
    )
    background_checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    hired_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    campus_id: Mapped[str | None] = mapped_column(ForeignKey("campus.id"))


class Course(MasterMixin, Base):
    """A course offering with its package price, review (上架) status and charging policy."""

    __tablename__ = "course"
    __table_args__ = (
        choice("category", codes.COURSE_CATEGORIES),
        choice("delivery", codes.DELIVERIES),
        choice("stage", codes.STAGES),
        choice("absent_policy", codes.ABSENT_POLICIES),
        choice("class_format", codes.CLASS_FORMATS),
        choice("review_status", codes.REVIEW_STATUSES),
    )

    name: Mapped[str] = mapped_column(String(100), nullable=False)
    category: Mapped[codes.CourseCategory] = mapped_column(Code(codes.CourseCategory, 12), nullable=False)
    subject: Mapped[str | None] = mapped_column(String(30))
    delivery: Mapped[codes.Delivery] = mapped_column(
        Code(codes.Delivery, 8), nullable=False, default="offline"
    )
    stage: Mapped[codes.Stage] = mapped_column(Code(codes.Stage, 12), nullable=False)
    minutes_per_lesson: Mapped[int] = mapped_column(Integer, nullable=False)
    units_per_lesson: Mapped[Decimal] = mapped_column(
        "units_per_lesson_x100", Units, nullable=False, default=Decimal(1)
    )
    lessons_per_package: Mapped[Decimal] = mapped_column("lessons_per_package_x100", Units, nullable=False)
    price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    pay_after_learning: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    absent_policy: Mapped[codes.AbsentPolicy] = mapped_column(
        Code(codes.AbsentPolicy, 8), nullable=False, default="charge"
    )
    class_format: Mapped[codes.ClassFormat] = mapped_column(
        Code(codes.ClassFormat, 12), nullable=False, default="small"
    )
    review_status: Mapped[codes.ReviewStatus] = mapped_column(
        Code(codes.ReviewStatus, 10), nullable=False, default="draft"
    )
    review_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    description: Mapped[str | None] = mapped_column(Text)


class Klass(MasterMixin, Base):
    """班级: a group of students taking one course with a teacher in a room."""

    __tablename__ = "klass"

    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    code: Mapped[str | None] = mapped_column(String(30))
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"))
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    min_size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class KlassMember(MasterMixin, Base):
    __tablename__ = "klass_member"

    klass_id: Mapped[str] = mapped_column(ForeignKey("klass.id"), nullable=False, index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contract.id"))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class ScheduleRule(MasterMixin, Base):
    """A weekly slot (0 = Monday) that generates lesson sessions between ``valid_from`` and ``valid_to``."""

    __tablename__ = "schedule_rule"

    klass_id: Mapped[str] = mapped_column(ForeignKey("klass.id"), nullable=False, index=True)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    start_time: Mapped[str] = mapped_column(String(5), nullable=False)
    end_time: Mapped[str] = mapped_column(String(5), nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    valid_to: Mapped[date | None] = mapped_column(Date)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"))


class LessonSession(MasterMixin, Base):
    """One lesson of a class on a local date; times of day are local 'HH:MM'."""

    __tablename__ = "lesson_session"
    __table_args__ = (
        choice("status", codes.SESSION_STATUSES),
        Index("ix_lesson_session_date_start", "date", "start_time"),
        Index("ix_lesson_session_klass_date", "klass_id", "date"),
        Index("ix_lesson_session_teacher_date", "teacher_id", "date"),
        Index("ix_lesson_session_room_date", "room_id", "date"),
        # statistics: a month's sessions, index-only (migration 0003)
        Index(
            "ix_lesson_session_date_cover",
            "date",
            "deleted_at",
            "id",
            "klass_id",
            "teacher_id",
            "room_id",
            "status",
        ),
    )

    klass_id: Mapped[str] = mapped_column(ForeignKey("klass.id"), nullable=False)
    rule_id: Mapped[str | None] = mapped_column(ForeignKey("schedule_rule.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start_time: Mapped[str] = mapped_column(String(5), nullable=False)
    end_time: Mapped[str] = mapped_column(String(5), nullable=False)
    teacher_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"))
    units: Mapped[Decimal] = mapped_column("units_x100", Units, nullable=False, default=Decimal(1))
    status: Mapped[codes.SessionStatus] = mapped_column(
        Code(codes.SessionStatus, 10), nullable=False, default="scheduled"
    )


class Student(MasterMixin, Base):
    """乙方. Search columns are precomputed and indexed for prefix search.

    Prefix search should use ``GLOB 'zs*'`` or a range (``col >= :p AND col < :p || char(0x10ffff)``):
    SQLite's default LIKE is case-insensitive and cannot use these BINARY indexes.
    """

    __tablename__ = "student"
    __table_args__ = (
        choice("gender", codes.GENDERS),
        choice("id_type", codes.ID_TYPES),
        choice("stage", codes.STAGES),
        UniqueConstraint("card_code"),
    )

    name: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    name_pinyin: Mapped[str] = mapped_column(String(120), nullable=False, default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(30), nullable=False, default="", index=True)
    gender: Mapped[codes.Gender | None] = mapped_column(Code(codes.Gender, 1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_type: Mapped[codes.IdType] = mapped_column(Code(codes.IdType, 8), nullable=False, default="id_card")
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)
    school: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[codes.Stage | None] = mapped_column(Code(codes.Stage, 12))
    phone: Mapped[str | None] = mapped_column(String(30))
    phone_rev: Mapped[str | None] = mapped_column(String(30), index=True)
    card_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class Guardian(MasterMixin, Base):
    __tablename__ = "guardian"

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    relation: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(300))
    id_number: Mapped[str | None] = mapped_column(String(32))
