"""attendance undone: whether a roll call was undone is a column, no longer the note text 已撤销点名

Revision ID: 0010_attendance_undone
Revises: 0009_attendance_owing_index
Create Date: 2026-12-03 12:00:00

Adds ``attendance.undone`` (boolean, not null, default false) and sets it on the rows an undo wrote
before, which carry the note 已撤销点名 (``localdb.codes.LEGACY_UNDONE_NOTE``). ``attendance`` is synced,
so ``localdb.schema.SCHEMA_VERSION`` becomes 3 and the capture triggers are rebuilt to carry the column.
The backfill runs with capture off: every desk backfills its own copy, so the rows need not be pushed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0010_attendance_undone"
down_revision: str | None = "0009_attendance_owing_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 3
PREVIOUS_SCHEMA_VERSION = 2
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund")
SYNCED_TABLES = (
    "institution", "policy_profile", "campus", "room", "staff", "course", "klass", "schedule_rule",
    "lesson_session", "student", "guardian", "contract", "payment", "ledger_entry", "refund", "attendance",
    "makeup_entitlement", "klass_member",
)  # fmt: skip
UNDONE_NOTE = "已撤销点名"


def _synced_tables() -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(op.get_bind(), only=SYNCED_TABLES)
    return [metadata.tables[name] for name in SYNCED_TABLES]


def upgrade() -> None:
    # the old attendance triggers name every column, and the backfill must not be captured
    capture.drop_triggers(op, ["attendance"])
    op.add_column("attendance", sa.Column("undone", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(sa.text("UPDATE attendance SET undone = 1 WHERE note = :note").bindparams(note=UNDONE_NOTE))
    capture.recreate_triggers(op, _synced_tables(), SCHEMA_VERSION, APPEND_ONLY_TABLES)


def downgrade() -> None:
    capture.drop_triggers(op, ["attendance"])
    # a plain DROP COLUMN (SQLite ≥ 3.35): a batch copy of the table would break the summary triggers on it
    op.execute("ALTER TABLE attendance DROP COLUMN undone")
    capture.recreate_triggers(op, _synced_tables(), PREVIOUS_SCHEMA_VERSION, APPEND_ONLY_TABLES)
