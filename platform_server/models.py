"""The platform's own tables (separate from the client's localdb models and migrations)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database (identical on SQLite and PostgreSQL)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Institution(Base):
    __tablename__ = "institution"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class Regulator(Base):
    __tablename__ = "regulator"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class Device(Base):
    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AccessToken(Base):
    __tablename__ = "access_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # institution | regulator
    principal_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36), index=True)
    expires_at: Mapped[dt.datetime]


class RefreshToken(Base):
    __tablename__ = "refresh_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(36), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"), index=True)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # the token this one was rotated into (its hash): lets a lost refresh answer be recovered once
    replaced_by: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    """Failed-login throttle, one row per account key and per client address."""

    __tablename__ = "login_attempt"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[dt.datetime]
    locked_until: Mapped[dt.datetime | None]


class ServerSecret(Base):
    __tablename__ = "server_secret"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class InstitutionCounter(Base):
    """Per-institution change sequence; its row lock orders commits (docs/sync.md)."""

    __tablename__ = "institution_counter"
    institution_id: Mapped[str] = mapped_column(ForeignKey("institution.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AppliedOp(Base):
    __tablename__ = "applied_op"
    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(BigInteger)
    result: Mapped[dict[str, Any]]
    __table_args__ = (UniqueConstraint("device_id", "seq"),)


class EntityRow(Base):
    __tablename__ = "entity_row"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_seq: Mapped[int] = mapped_column(BigInteger)
    biz_date: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        # unique (institution, entity, entity_id), ordered so that lookups by entity_id use it
        UniqueConstraint("institution_id", "entity_id", "entity"),
        Index("ix_entity_row_inst_entity_date", "institution_id", "entity", "biz_date"),
        Index("ix_entity_row_inst_id", "institution_id", "id"),
    )


class Change(Base):
    __tablename__ = "change"
    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    server_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]]
    origin_device_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[dt.datetime]


class EscrowEntry(Base):
    """Fund supervision ledger: deposit, release (per confirmed lesson) and return (refund)."""

    __tablename__ = "escrow_entry"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    ref_entity: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[str] = mapped_column(String(64))
    on_date: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime]
    __table_args__ = (
        UniqueConstraint("institution_id", "kind", "ref_id"),
        Index("ix_escrow_entry_inst_date", "institution_id", "on_date"),
    )


class ConsumptionConfirmation(Base):
    __tablename__ = "consumption_confirmation"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36))
    attendance_id: Mapped[str] = mapped_column(String(64))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    decided_at: Mapped[dt.datetime | None]
    # 先学后付: the lesson is paid after it is held, so confirming it releases no escrow (migration 0003)
    pay_after: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the institution's answer to a dispute (docs/sync.md, 消课异议): ``roll_call`` (the record below) or
    # ``reverse`` (the charge given back); the parent then accepts or escalates (``parent_reply``)
    answer_kind: Mapped[str | None] = mapped_column(String(10))
    answer_text: Mapped[str | None] = mapped_column(Text)
    answer_record: Mapped[dict[str, Any] | None]
    answered_at: Mapped[dt.datetime | None]
    parent_reply: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("institution_id", "attendance_id"),)


class RefundRequest(Base):
    __tablename__ = "refund_request"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    contract_id: Mapped[str] = mapped_column(String(64))
    units: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    response_reason: Mapped[str | None] = mapped_column(Text)
    requested_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    decided_at: Mapped[dt.datetime | None]
    returned_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class MaterialFile(Base):
    """A training-material file an institution uploaded (its bytes are in the file store, by hash).

    Keyed per institution: another institution that uploads the same content gets its own row (and its
    own copy), so knowing a hash never gives access to someone else's file (docs/materials.md)."""

    __tablename__ = "material_file"
    institution_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    uploaded_at: Mapped[dt.datetime]


class SpotCheck(Base):
    """A regulator's spot check (抽查) of one course's materials, with the deadline to answer it."""

    __tablename__ = "spot_check"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    institution_id: Mapped[str] = mapped_column(String(36), index=True)
    course_id: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # open | answered | late
    requested_at: Mapped[dt.datetime]
    deadline_at: Mapped[dt.datetime]
    answered_at: Mapped[dt.datetime | None]
    answer: Mapped[dict[str, Any] | None]
