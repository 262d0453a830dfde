"""Synced contracts, money and consumption: contract, payment, ledger entry, attendance, make-up, refund.

Payment, ledger entry and refund are append-only (corrections are reversing entries); attendance and
make-up entitlements are state rows. Import them from ``localdb.models``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, SyncedMixin, choice, ref
from localdb.types import Code, Units, UtcDateTime, utc_now

#: sort order of columns added by a later migration: after the mixin columns, as ALTER TABLE adds them
_LATE = 100

#: sort order of columns added by a later migration: after the mixin columns, as ALTER TABLE adds them
_LATE = 100


class Contract(SyncedMixin, Base):
    """A 培训合同 (GF—2021—2604): one charge for one course; its units and fee feed the ledger."""

    __tablename__ = "contract"
    __table_args__ = (
        choice("service_category", codes.SERVICE_CATEGORIES),
        choice("class_format", codes.CLASS_FORMATS),
        choice("supervision_mode", codes.SUPERVISION_MODES),
        choice("status", codes.CONTRACT_STATUSES),
        choice("origin", codes.ORIGINS),
        UniqueConstraint("contract_no"),
        # the few 先学后付 contracts, for the statistics that report them apart (migration 0012)
        Index("ix_contract_pay_after", "id", sqlite_where=text("billing = 'pay_after'")),
    )

    contract_no: Mapped[str] = mapped_column(String(40), nullable=False)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False, index=True)
    klass_id: Mapped[str | None] = mapped_column(ForeignKey("klass.id"))
    service_category: Mapped[codes.ServiceCategory] = mapped_column(
        Code(codes.ServiceCategory, 20), nullable=False
    )
    adviser: Mapped[str | None] = mapped_column(String(50))
    total_units: Mapped[Decimal] = mapped_column("total_units_x100", Units, nullable=False)
    gift_units: Mapped[Decimal] = mapped_column("gift_units_x100", Units, nullable=False, default=Decimal(0))
    units_per_session: Mapped[Decimal] = mapped_column(
        "units_per_session_x100", Units, nullable=False, default=Decimal(1)
    )
    schedule_text: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    class_format: Mapped[codes.ClassFormat] = mapped_column(
        Code(codes.ClassFormat, 12), nullable=False, default="small"
    )
    min_class_size: Mapped[int | None] = mapped_column(Integer)
    named_teacher: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    fee_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    supervision_mode: Mapped[codes.SupervisionMode] = mapped_column(
        Code(codes.SupervisionMode, 12), nullable=False, default="escrow"
    )
    full_refund_days_before_start: Mapped[int | None] = mapped_column(Integer)
    full_refund_days_after_start: Mapped[int | None] = mapped_column(Integer)
    full_refund_units_after_start: Mapped[Decimal | None] = mapped_column(
        "full_refund_units_after_start_x100", Units
    )
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    status: Mapped[codes.ContractStatus] = mapped_column(
        Code(codes.ContractStatus, 10), nullable=False, default="active"
    )
    origin: Mapped[codes.Origin] = mapped_column(Code(codes.Origin, 10), nullable=False, default="desk")
    desk_code: Mapped[str | None] = mapped_column(String(20))
    renews_contract_id: Mapped[str | None] = mapped_column(ForeignKey("contract.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # 先学后付 (migration 0012; docs/pay_after.md): ``billing`` 'pay_after' = no prepaid package, each
    # charged lesson is owed at ``lesson_price_fen`` per standard lesson under ``payment_terms``. Added after
    # the mixin columns, so the model keeps the order of the migrated table (capture payloads).
    billing: Mapped[codes.Billing] = mapped_column(
        Code(codes.Billing, 10),
        nullable=False,
        default="prepaid",
        server_default=text("'prepaid'"),
        sort_order=_LATE,
    )

    lesson_price_fen: Mapped[int | None] = mapped_column(Integer, sort_order=_LATE)
    payment_terms: Mapped[str | None] = mapped_column(Text, sort_order=_LATE)


class Payment(SyncedMixin, Base):
    """Money received (append-only); ``receipt_no`` is gapless per desk and year."""

    __tablename__ = "payment"
    __table_args__ = (
        choice("method", codes.PAYMENT_METHODS),
        UniqueConstraint("receipt_no"),
    )

    receipt_no: Mapped[str] = mapped_column(String(40), nullable=False)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), nullable=False, index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[codes.PaymentMethod] = mapped_column(Code(codes.PaymentMethod, 10), nullable=False)
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now, index=True)
    desk_code: Mapped[str | None] = mapped_column(String(20))
    received_by: Mapped[str | None] = ref()
    note: Mapped[str | None] = mapped_column(Text)


class LedgerEntry(SyncedMixin, Base):
    """A signed change of a contract's units and prepaid money (append-only; fixed by a 'reverse' entry)."""

    __tablename__ = "ledger_entry"
    __table_args__ = (
        choice("kind", codes.LEDGER_KINDS),
        UniqueConstraint("reverses_id"),
        Index("ix_ledger_entry_contract_sums", "contract_id", "units_x100", "amount_fen"),
    )

    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), nullable=False)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False)
    kind: Mapped[codes.LedgerKind] = mapped_column(Code(codes.LedgerKind, 10), nullable=False)
    units: Mapped[Decimal] = mapped_column("units_x100", Units, nullable=False, default=Decimal(0))
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("ledger_entry.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = ref(64)


class Attendance(SyncedMixin, Base):
    """What happened to one student in one lesson (state; id = ``ids.attendance_id(session, student)``)."""

    __tablename__ = "attendance"
    __table_args__ = (
        choice("status", codes.ATTENDANCE_STATUSES),
        UniqueConstraint("session_id", "student_id"),
        Index("ix_attendance_contract_charged", "contract_id", "charged", "units_x100", "amount_fen"),
        # lessons attended with no 课时 left (欠课时), listed for the desk to settle (migration 0009)
        Index("ix_attendance_owing", "student_id", sqlite_where=text("note = '欠课时'")),
        # the leaves of a lesson, index-only, for the make-up rate of the evaluation (migration 0011)
        Index(
            "ix_attendance_leave_session", "session_id", "status", "id", sqlite_where=text("status = 'leave'")
        ),
        # undone roll calls by lesson: the evaluation takes them back out of the tallies (migration 0011)
        Index("ix_attendance_undone", "session_id", sqlite_where=text("undone")),
    )

    session_id: Mapped[str] = mapped_column(ForeignKey("lesson_session.id"), nullable=False)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    status: Mapped[codes.AttendanceStatus] = mapped_column(Code(codes.AttendanceStatus, 8), nullable=False)
    charged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    units: Mapped[Decimal] = mapped_column("units_x100", Units, nullable=False, default=Decimal(0))
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    contract_id: Mapped[str | None] = mapped_column(ForeignKey("contract.id"))
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    marked_by: Mapped[str | None] = ref(64)
    note: Mapped[str | None] = mapped_column(Text)
    #: the roll call was undone (migration 0010): uncharged, its status kept as the record of what was undone
    undone: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false(), sort_order=_LATE
    )


class MakeupEntitlement(SyncedMixin, Base):
    """A right to a make-up lesson, created by an uncharged leave."""

    __tablename__ = "makeup_entitlement"
    __table_args__ = (
        choice("status", codes.MAKEUP_STATUSES),
        # by the leave, covering whether and where it was made up (the evaluation; migration 0011)
        Index("ix_makeup_entitlement_source", "source_attendance_id", "status", "used_attendance_id"),
    )

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False)
    source_attendance_id: Mapped[str] = mapped_column(ForeignKey("attendance.id"), nullable=False)
    status: Mapped[codes.MakeupStatus] = mapped_column(
        Code(codes.MakeupStatus, 10), nullable=False, default="open"
    )
    used_attendance_id: Mapped[str | None] = mapped_column(ForeignKey("attendance.id"))
    expires_on: Mapped[date | None] = mapped_column(Date)


class Refund(SyncedMixin, Base):
    """A refund decision (append-only); its effect on the balance is booked as 'refund' ledger entries."""

    __tablename__ = "refund"
    __table_args__ = (choice("source", codes.REFUND_SOURCES),)

    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), nullable=False, index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False)
    units: Mapped[Decimal] = mapped_column("units_x100", Units, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[codes.RefundSource] = mapped_column(
        Code(codes.RefundSource, 10), nullable=False, default="desk"
    )
    platform_request_id: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = ref(64)
