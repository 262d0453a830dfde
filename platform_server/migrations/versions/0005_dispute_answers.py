"""consumption_confirmation: the institution's answer to a 消课 dispute and the parent's reply

Revision ID: 0005_dispute_answers
Revises: 0004_materials
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005_dispute_answers"
down_revision: str | None = "0004_materials"
branch_labels: str | None = None
depends_on: str | None = None

COLUMNS = ("answer_kind", "answer_text", "answer_record", "answered_at", "parent_reply")


def upgrade() -> None:
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_kind", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("answer_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("answer_record", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("parent_reply", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
