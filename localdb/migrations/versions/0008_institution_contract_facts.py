"""institution contract facts: the 甲方 facts of the model contract GF—2021—2604 on the institution profile

Revision ID: 0008_institution_contract_facts
Revises: 0007_notices
Create Date: 2026-12-03 09:00:00

Adds nullable columns to the synced ``institution`` table (审批机关, 登记注册机关, 民非登记证/营业执照有效期,
ICP 备案号, the supervised account, how disputes are settled, the default full-refund window), so
``localdb.schema.SCHEMA_VERSION`` becomes 2 and the capture triggers are rebuilt to carry the new columns.
The triggers are rebuilt from the synced tables as they are in the database (reflected), so this migration
does not depend on the models of a later one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0008_institution_contract_facts"
down_revision: str | None = "0007_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 2
PREVIOUS_SCHEMA_VERSION = 1
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund")
SYNCED_TABLES = (
    "institution", "policy_profile", "campus", "room", "staff", "course", "klass", "schedule_rule",
    "lesson_session", "student", "guardian", "contract", "payment", "ledger_entry", "refund", "attendance",
    "makeup_entitlement", "klass_member",
)  # fmt: skip


def _columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("approval_authority", sa.String(length=100), nullable=True),
        sa.Column("registration_authority", sa.String(length=100), nullable=True),
        sa.Column("registration_valid_until", sa.Date(), nullable=True),
        sa.Column("icp_no", sa.String(length=60), nullable=True),
        sa.Column("supervision_bank", sa.String(length=100), nullable=True),
        sa.Column("supervision_account_name", sa.String(length=200), nullable=True),
        sa.Column("supervision_account_no", sa.String(length=40), nullable=True),
        sa.Column("dispute_resolution", sa.String(length=12), nullable=True),
        sa.Column("dispute_body", sa.String(length=100), nullable=True),
        sa.Column("refund_days_before_start", sa.Integer(), nullable=True),
        sa.Column("refund_days_after_start", sa.Integer(), nullable=True),
    )


def _synced_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(op.get_bind(), only=SYNCED_TABLES)
    return [metadata.tables[name] for name in SYNCED_TABLES]


def upgrade() -> None:
    # the old institution triggers name every column; drop them before the table changes
    capture.drop_triggers(op, ["institution"])
    for column in _columns():
        op.add_column("institution", column)
    capture.recreate_triggers(op, _synced_tables(), SCHEMA_VERSION, APPEND_ONLY_TABLES)


def downgrade() -> None:
    capture.drop_triggers(op, ["institution"])
    with op.batch_alter_table("institution", schema=None) as batch_op:
        for column in reversed(_columns()):
            batch_op.drop_column(column.name)
    capture.recreate_triggers(op, _synced_tables(), PREVIOUS_SCHEMA_VERSION, APPEND_ONLY_TABLES)
