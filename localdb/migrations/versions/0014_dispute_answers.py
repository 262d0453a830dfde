"""dispute answers: the desk's answers to parents' 消课 disputes until the platform takes them (local-only)

Revision ID: 0014_dispute_answers
Revises: 0013_materials
Create Date: 2026-12-03 12:00:00

Adds one local-only table (never synced, never captured), like ``refund_answer``: an answer typed offline
waits here until the next sync sends it; and an index of ``platform_inbox`` (also local-only) that counts
and pages the 消课 confirmations by status and deadline. No synced table changes, so
``localdb.schema.SCHEMA_VERSION`` and the capture triggers are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_dispute_answers"
down_revision: str | None = "0013_materials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dispute_answer",
        sa.Column("confirmation_id", sa.String(length=64), nullable=False),
        sa.Column("attendance_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("record", sa.Text(), nullable=True),
        sa.Column("ledger_entry_id", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("server_status", sa.String(length=20), nullable=True),
        sa.Column("created_by", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("settled_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("decision IN ('roll_call', 'reverse')", name=op.f("ck_dispute_answer_decision")),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'conflict', 'failed')", name=op.f("ck_dispute_answer_state")
        ),
        sa.PrimaryKeyConstraint("confirmation_id", name=op.f("pk_dispute_answer")),
    )
    with op.batch_alter_table("dispute_answer", schema=None) as batch_op:
        batch_op.create_index("ix_dispute_answer_state", ["state"], unique=False)
    op.create_index(
        "ix_platform_inbox_status_deadline",
        "platform_inbox",
        ["entity", "status", "deleted", "deadline", "entity_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_platform_inbox_status_deadline", table_name="platform_inbox")
    with op.batch_alter_table("dispute_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_dispute_answer_state")
    op.drop_table("dispute_answer")
