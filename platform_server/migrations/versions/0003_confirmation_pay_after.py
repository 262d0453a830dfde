"""consumption_confirmation.pay_after: a 先学后付 lesson's confirmation releases no escrow

Revision ID: 0003_confirmation_pay_after
Revises: 0002_refresh_replaced_by
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_confirmation_pay_after"
down_revision: str | None = "0002_refresh_replaced_by"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay_after", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("consumption_confirmation", schema=None) as batch_op:
        batch_op.drop_column("pay_after")
