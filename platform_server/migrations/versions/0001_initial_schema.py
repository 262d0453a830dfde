"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:

    op.create_table(
        "access_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("principal_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_access_token")),
    )
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_token_device_id"), ["device_id"], unique=False)

    op.create_table(
        "applied_op",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "op_id", name=op.f("pk_applied_op")),
        sa.UniqueConstraint("device_id", "seq", name=op.f("uq_applied_op_device_id_seq")),
    )
    op.create_table(
        "change",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("server_seq", sa.BigInteger(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("origin_device_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("institution_id", "server_seq", name=op.f("pk_change")),
    )
    op.create_table(
        "consumption_confirmation",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("attendance_id", sa.String(length=64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consumption_confirmation")),
        sa.UniqueConstraint(
            "institution_id",
            "attendance_id",
            name=op.f("uq_consumption_confirmation_institution_id_attendance_id"),
        ),
    )
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consumption_confirmation_status"), ["status"], unique=False)

    op.create_table(
        "entity_row",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_seq", sa.BigInteger(), nullable=False),
        sa.Column("biz_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_row")),
        sa.UniqueConstraint(
            "institution_id",
            "entity_id",
            "entity",
            name=op.f("uq_entity_row_institution_id_entity_id_entity"),
        ),
    )
    with op.batch_alter_table("entity_row", schema=None) as batch_op:
        batch_op.create_index(
            "ix_entity_row_inst_entity_date", ["institution_id", "entity", "biz_date"], unique=False
        )
        batch_op.create_index("ix_entity_row_inst_id", ["institution_id", "id"], unique=False)

    op.create_table(
        "escrow_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("requested_fen", sa.BigInteger(), nullable=False),
        sa.Column("ref_entity", sa.String(length=40), nullable=False),
        sa.Column("ref_id", sa.String(length=64), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_entry")),
        sa.UniqueConstraint(
            "institution_id", "kind", "ref_id", name=op.f("uq_escrow_entry_institution_id_kind_ref_id")
        ),
    )
    with op.batch_alter_table("escrow_entry", schema=None) as batch_op:
        batch_op.create_index("ix_escrow_entry_inst_date", ["institution_id", "on_date"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("uscc", name=op.f("uq_institution_uscc")),
    )
    op.create_table(
        "login_attempt",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_attempt")),
    )
    op.create_table(
        "refund_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=64), nullable=False),
        sa.Column("units", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("response_reason", sa.Text(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("returned_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund_request")),
    )
    with op.batch_alter_table("refund_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refund_request_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_refund_request_status"), ["status"], unique=False)

    op.create_table(
        "regulator",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regulator")),
        sa.UniqueConstraint("name", name=op.f("uq_regulator_name")),
    )
    op.create_table(
        "server_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secret")),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institution.id"], name=op.f("fk_device_institution_id_institution")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_institution_id"), ["institution_id"], unique=False)

    op.create_table(
        "institution_counter",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("pruned_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_institution_counter_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("institution_id", name=op.f("pk_institution_counter")),
    )
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_refresh_token_device_id_device")),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_token")),
    )
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_token_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refresh_token_family_id"), ["family_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_token_family_id"))
        batch_op.drop_index(batch_op.f("ix_refresh_token_device_id"))

    op.drop_table("refresh_token")
    op.drop_table("institution_counter")
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_institution_id"))

    op.drop_table("device")
    op.drop_table("server_secret")
    op.drop_table("regulator")
    with op.batch_alter_table("refund_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_request_status"))
        batch_op.drop_index(batch_op.f("ix_refund_request_institution_id"))

    op.drop_table("refund_request")
    op.drop_table("login_attempt")
    op.drop_table("institution")
    with op.batch_alter_table("escrow_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_escrow_entry_inst_date")

    op.drop_table("escrow_entry")
    with op.batch_alter_table("entity_row", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_row_inst_id")
        batch_op.drop_index("ix_entity_row_inst_entity_date")

    op.drop_table("entity_row")
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consumption_confirmation_status"))

    op.drop_table("consumption_confirmation")
    op.drop_table("change")
    op.drop_table("applied_op")
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_token_device_id"))

    op.drop_table("access_token")
