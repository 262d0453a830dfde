"""Local-only tables: users, audit log, settings, desk counters and the sync machinery.

None of these is captured into the outbox. Import them from ``localdb.models``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, choice, id_column
from localdb.types import SQL_UTC_NOW, Code, UtcDateTime, utc_now


class AppUser(Base):
    """A person signing in at this desk (前台 / 管理 / 统计)."""

    __tablename__ = "app_user"
    __table_args__ = (choice("role", codes.ROLES), UniqueConstraint("username"))

    id: Mapped[str] = id_column()
    username: Mapped[str] = mapped_column(String(50), nullable=False)
    display_name: Mapped[str] = mapped_column(String(50), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(12), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime, nullable=False, default=utc_now, onupdate=utc_now
    )


class AuditLog(Base):
    """Who changed what, in local order; ``detail`` is JSON text (never identity numbers or passwords)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now, index=True)
    user_id: Mapped[str | None] = mapped_column(String(36))
    username: Mapped[str | None] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(50), nullable=False)
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    detail: Mapped[str | None] = mapped_column(Text)


class LocalSetting(Base):
    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class DeskCounter(Base):
    """Last number handed out per desk, kind and year (gapless receipt / contract numbers)."""

    __tablename__ = "desk_counter"
    __table_args__ = (choice("kind", codes.COUNTER_KINDS),)

    desk_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SyncOutbox(Base):
    """One captured change waiting to be pushed; filled only by the capture triggers (see capture.py)."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        choice("op", codes.OUTBOX_OPS),
        choice("state", codes.OUTBOX_STATES),
        UniqueConstraint("op_id"),
        Index("ix_sync_outbox_entity", "entity", "entity_id"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(36), nullable=False)
    op: Mapped[str] = mapped_column(String(6), nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    base_version: Mapped[int | None] = mapped_column(Integer)
    schema_version: Mapped[int] = mapped_column(Integer, nullable=False)
    state: Mapped[str] = mapped_column(
        String(8), nullable=False, default="pending", server_default=text("'pending'")
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        UtcDateTime, nullable=False, default=utc_now, server_default=text(SQL_UTC_NOW)
    )


class SyncCapture(Base):
    """The single flag row the capture triggers read; 0 while applying pulled changes."""

    __tablename__ = "sync_capture"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    enabled: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))


class SyncState(Base):
    """Key/value state of the sync engine (pull cursor, device id, last handshake...)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class SyncProblem(Base):
    """A rejected op or a conflict kept for the user to see and resolve."""

    __tablename__ = "sync_problem"
    __table_args__ = (
        choice("kind", codes.PROBLEM_KINDS),
        Index("ix_sync_problem_entity", "entity", "entity_id"),
    )

    id: Mapped[str] = id_column()
    op_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(36), nullable=False)
    kind: Mapped[codes.ProblemKind] = mapped_column(Code(codes.ProblemKind, 10), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    server_row: Mapped[str | None] = mapped_column(Text)
    local_payload: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Notice(Base):
    """A change the desk should hear about (a review decision, a background-check result, a new refund
    request or dispute, a sync problem), kept until a user marks it handled.

    The latest row of an (kind, entity_id) is also the last state the desk has seen of that thing, so a
    change is noticed once. ``baseline`` rows record what was already there when notices were first
    collected; they are never shown. Local-only, not captured.
    """

    __tablename__ = "notice"
    __table_args__ = (
        choice("kind", codes.NOTICE_KINDS),
        Index("ix_notice_entity", "kind", "entity_id", "id"),
        Index("ix_notice_open", "handled_at", "baseline"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[codes.NoticeKind] = mapped_column(Code(codes.NoticeKind, 20), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    detail: Mapped[str | None] = mapped_column(Text)
    baseline: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
