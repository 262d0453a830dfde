"""sync engine tables: server seq assignments and the platform inbox (local-only, not captured)

Revision ID: 0002_sync
Revises: 0001
Create Date: 2026-11-27 23:30:00

Adds no synced table, so ``localdb.schema.SCHEMA_VERSION`` and the capture triggers are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_sync"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')")


def upgrade() -> None:
    op.create_table(
        "sync_outbox_seq",
        sa.Column("outbox_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("server_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_seq"],
            ["sync_outbox.seq"],
            name=op.f("fk_sync_outbox_seq_outbox_seq_sync_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outbox_seq", name=op.f("pk_sync_outbox_seq")),
        sa.UniqueConstraint("device_id", "server_seq", name=op.f("uq_sync_outbox_seq_device_id_server_seq")),
    )
    op.create_table(
        "platform_inbox",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("related_id", sa.String(length=64), nullable=True),
        sa.Column("amount_fen", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("payload", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("received_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("handled_at", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_platform_inbox")),
    )
    with op.batch_alter_table("platform_inbox", schema=None) as batch_op:
        batch_op.create_index("ix_platform_inbox_entity_status", ["entity", "status"], unique=False)
        batch_op.create_index("ix_platform_inbox_entity_deadline", ["entity", "deadline"], unique=False)
        batch_op.create_index("ix_platform_inbox_related_id", ["related_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("platform_inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_platform_inbox_related_id")
        batch_op.drop_index("ix_platform_inbox_entity_deadline")
        batch_op.drop_index("ix_platform_inbox_entity_status")
    op.drop_table("platform_inbox")
    op.drop_table("sync_outbox_seq")
