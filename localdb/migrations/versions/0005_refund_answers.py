"""refund answers: the desk's answers to platform refund requests until the platform takes them (local-only)

Revision ID: 0005_refund_answers
Revises: 0004_stats_summaries
Create Date: 2026-11-28 09:00:00

Adds one local-only table (never synced, never captured): a refusal typed offline waits here until the next
sync sends it. No synced table changes, so ``localdb.schema.SCHEMA_VERSION`` and the capture triggers are
unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_refund_answers"
down_revision: str | None = "0004_stats_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refund_answer",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("server_status", sa.String(length=20), nullable=True),
        sa.Column("created_by", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("settled_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("decision IN ('agree', 'reject')", name=op.f("ck_refund_answer_decision")),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'conflict', 'failed')", name=op.f("ck_refund_answer_state")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_refund_answer")),
    )
    with op.batch_alter_table("refund_answer", schema=None) as batch_op:
        batch_op.create_index("ix_refund_answer_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refund_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_refund_answer_state")
    op.drop_table("refund_answer")
