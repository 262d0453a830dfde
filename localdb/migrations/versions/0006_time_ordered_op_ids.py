"""time-ordered op ids: the capture triggers give new ops UUID v7 ids instead of UUID v4

Revision ID: 0006_time_ordered_op_ids
Revises: 0005_refund_answers
Create Date: 2026-11-28 02:10:00

Only the op id expression of the capture triggers changes (``localdb.capture.SQL_OP_ID``): no table or
column changes, so ``localdb.schema.SCHEMA_VERSION`` stays 1. The triggers are rebuilt from the synced tables
as they are in the database (reflected), so this migration does not depend on the models of a later one.
Ops already in the outbox keep their ids; both kinds are valid UUIDs to the platform.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0006_time_ordered_op_ids"
down_revision: str | None = "0005_refund_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 1
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund")
SYNCED_TABLES = (
    "institution", "policy_profile", "campus", "room", "staff", "course", "klass", "schedule_rule",
    "lesson_session", "student", "guardian", "contract", "payment", "ledger_entry", "refund", "attendance",
    "makeup_entitlement", "klass_member",
)  # fmt: skip


def _synced_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(op.get_bind(), only=SYNCED_TABLES)
    return [metadata.tables[name] for name in SYNCED_TABLES]


def upgrade() -> None:
    capture.recreate_triggers(op, _synced_tables(), SCHEMA_VERSION, APPEND_ONLY_TABLES)


def downgrade() -> None:
    """Nothing to undo: earlier revisions accept ops with either kind of id (the expression itself lives in
    ``localdb.capture``, which every revision shares)."""
