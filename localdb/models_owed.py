"""先学后付 (pay after learning): what a family owes per lesson, what it paid, and the desk's reminders.

``receivable_entry`` is an append-only ledger per lesson: a charged lesson of a pay-after contract books a
'lesson' entry (+ amount owed); undoing or reversing that lesson books a 'reverse' entry (−, pointing at the
lesson entry); a payment books 'payment' entries (−, one per lesson it pays, pointing at the lesson entry and
the ``owed_payment``). What is still owed for a lesson is the sum of its entry and those pointing at it.
``owed_reminder`` is local to this desk (who was reminded when). Import them from ``localdb.models``.
See docs/pay_after.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, SyncedMixin, choice, id_column, ref
from localdb.types import Code, UtcDateTime, utc_now


class OwedPayment(SyncedMixin, Base):
    """Money received after lessons for a 先学后付 course (append-only); ``receipt_no`` gapless per desk."""

    __tablename__ = "owed_payment"
    __table_args__ = (
        choice("method", codes.PAYMENT_METHODS),
        choice("source", codes.OWED_PAYMENT_SOURCES),
        UniqueConstraint("receipt_no"),
    )

    receipt_no: Mapped[str] = mapped_column(String(40), nullable=False)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False, index=True)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    method: Mapped[codes.PaymentMethod] = mapped_column(Code(codes.PaymentMethod, 10), nullable=False)
    source: Mapped[codes.OwedPaymentSource] = mapped_column(
        Code(codes.OwedPaymentSource, 10), nullable=False, default="desk"
    )
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now, index=True)
    desk_code: Mapped[str | None] = mapped_column(String(20))
    received_by: Mapped[str | None] = ref()
    note: Mapped[str | None] = mapped_column(Text)


class ReceivableEntry(SyncedMixin, Base):
    """One signed movement of what a family owes for one lesson (append-only; see the module docstring)."""

    __tablename__ = "receivable_entry"
    __table_args__ = (
        choice("kind", codes.RECEIVABLE_KINDS),
        Index("ix_receivable_entry_student", "student_id", "lesson_date"),
    )

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id"), nullable=False)
    contract_id: Mapped[str] = mapped_column(ForeignKey("contract.id"), nullable=False, index=True)
    course_id: Mapped[str] = mapped_column(ForeignKey("course.id"), nullable=False)
    kind: Mapped[codes.ReceivableKind] = mapped_column(Code(codes.ReceivableKind, 10), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    lesson_date: Mapped[date] = mapped_column(Date, nullable=False)
    attendance_id: Mapped[str | None] = mapped_column(ForeignKey("attendance.id"), index=True)
    lesson_entry_id: Mapped[str | None] = mapped_column(ForeignKey("receivable_entry.id"), index=True)
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("owed_payment.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = ref(64)


class OwedReminder(Base):
    """The desk reminded a family of what it owes (local to this desk; the latest one is shown)."""

    __tablename__ = "owed_reminder"
    __table_args__ = (Index("ix_owed_reminder_student", "student_id", "reminded_at"),)

    id: Mapped[str] = id_column()
    student_id: Mapped[str] = mapped_column(String(36), nullable=False)
    reminded_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    owed_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reminded_by: Mapped[str | None] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text, nullable=False)
