"""Local-only tables of the sync engine: server seq assignments, the platform inbox and the desk's answers.

Owned by ``sync`` (issue 4) but defined here so the one local schema stays in ``localdb`` and its
migrations. None of these is captured into the outbox. Import them from ``localdb.models``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb import codes
from localdb.base import Base, choice
from localdb.types import SQL_UTC_NOW, Code, UtcDateTime, utc_now


class SyncOutboxSeq(Base):
    """The server's per-device ``seq`` given to an outbox op when it is first sent.

    Persisted before the op leaves the desk, so a resend after a crash reuses the same seq (and op_id);
    deleted with its op (cascade) once the server's answer is stored.
    """

    __tablename__ = "sync_outbox_seq"
    __table_args__ = (UniqueConstraint("device_id", "server_seq"),)

    outbox_seq: Mapped[int] = mapped_column(
        ForeignKey("sync_outbox.seq", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    device_id: Mapped[str] = mapped_column(String(64), nullable=False)
    server_seq: Mapped[int] = mapped_column(Integer, nullable=False)


class PlatformInbox(Base):
    """What the platform sends down that has no desk table: 消课 confirmations, refund requests,
    complaints, reviews and escrow entries (``entity`` = the platform's entity name).

    ``status``, ``related_id`` (attendance, contract or course), ``amount_fen`` and ``deadline`` are copied
    out of ``payload`` (the platform's JSON) so screens can list and sort without parsing it.
    """

    __tablename__ = "platform_inbox"
    __table_args__ = (
        Index("ix_platform_inbox_entity_status", "entity", "status"),
        Index("ix_platform_inbox_entity_deadline", "entity", "deadline"),
        Index("ix_platform_inbox_related_id", "related_id"),
        # 消课 confirmations by status, nearest deadline first, counted and paged from the index alone
        # (a large institution has ~200,000 awaiting the parents; migration 0014)
        Index("ix_platform_inbox_status_deadline", "entity", "status", "deleted", "deadline", "entity_id"),
    )

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("0"))
    status: Mapped[str | None] = mapped_column(String(20))
    related_id: Mapped[str | None] = mapped_column(String(64))
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[date | None] = mapped_column(Date)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("0"))
    payload: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("'{}'"))
    received_at: Mapped[datetime] = mapped_column(
        UtcDateTime, nullable=False, server_default=text(SQL_UTC_NOW)
    )
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class RefundAnswer(Base):
    """The desk's answer to a platform refund request, kept until the platform has taken it.

    Written by the core (``app.services.inbox``) in the same transaction as its audit entry, so it works
    offline; ``sync.answers`` sends ``pending`` ones after the push and records the outcome: ``sent``
    (the platform took it), ``conflict`` (the request was already decided, e.g. agreed after 5 working days
    of silence; ``server_status`` says how) or ``failed`` (refused for another reason, in ``last_error``).
    Only ``pending`` answers are (re)sent. Not a synced table: no capture triggers, never in the outbox.
    """

    __tablename__ = "refund_answer"
    __table_args__ = (
        choice("decision", codes.ANSWER_DECISIONS),
        choice("state", codes.ANSWER_STATES),
        Index("ix_refund_answer_state", "state"),
    )

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision: Mapped[codes.AnswerDecision] = mapped_column(Code(codes.AnswerDecision, 8), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    state: Mapped[codes.AnswerState] = mapped_column(
        Code(codes.AnswerState, 10), nullable=False, default="pending"
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    server_status: Mapped[str | None] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class DisputeAnswer(Base):
    """The desk's answer to a parent's 消课 dispute (a ``consumption_confirmation`` of the platform), kept
    until the platform has taken it (``sync.answers``, like ``RefundAnswer``).

    ``roll_call`` carries ``record``: the roll-call record of the lesson as JSON (who called it, when, the
    class list), assembled from local data by ``app.services.disputes``. ``reverse`` carries
    ``ledger_entry_id``: the reversing ledger entry that gave the lesson's units and money back to the
    contract, booked in the same transaction. One answer per confirmation; a ``failed`` roll-call answer may
    be made again, a reversal never (its ledger entry stands).
    """

    __tablename__ = "dispute_answer"
    __table_args__ = (
        choice("decision", codes.DISPUTE_DECISIONS),
        choice("state", codes.ANSWER_STATES),
        Index("ix_dispute_answer_state", "state"),
    )

    confirmation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attendance_id: Mapped[str] = mapped_column(String(64), nullable=False)
    decision: Mapped[codes.DisputeDecision] = mapped_column(Code(codes.DisputeDecision, 10), nullable=False)
    text: Mapped[str | None] = mapped_column(Text)
    record: Mapped[str | None] = mapped_column(Text)
    ledger_entry_id: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[codes.AnswerState] = mapped_column(
        Code(codes.AnswerState, 10), nullable=False, default="pending"
    )
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    server_status: Mapped[str | None] = mapped_column(String(20))
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False, default=utc_now)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
