"""notices: changes the desk should hear about, kept until handled (local-only)

Revision ID: 0007_notices
Revises: 0006_time_ordered_op_ids
Create Date: 2026-12-03 09:00:00

Adds one local-only table (never synced, never captured); ``localdb.schema.SCHEMA_VERSION`` and the
capture triggers are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_notices"
down_revision: str | None = "0006_time_ordered_op_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'course_review', 'staff_check', 'refund_request', 'dispute', 'sync_problem'"


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("handled_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_notice_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index("ix_notice_entity", ["kind", "entity_id", "id"], unique=False)
        batch_op.create_index("ix_notice_open", ["handled_at", "baseline"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index("ix_notice_open")
        batch_op.drop_index("ix_notice_entity")
    op.drop_table("notice")
