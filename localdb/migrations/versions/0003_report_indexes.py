"""covering index for the statistics: a month's sessions read from the index alone

Revision ID: 0003_report_idx
Revises: 0002_sync
Create Date: 2026-11-28 00:10:00

Indexes only: no synced table gains or loses a column, so ``localdb.schema.SCHEMA_VERSION`` and the capture
triggers are unchanged.

``ix_lesson_session_date_cover``: the month's sessions with their class, teacher, room and status, joined
to the summary tables of 0004.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_report_idx"
down_revision: str | None = "0002_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    (
        "ix_lesson_session_date_cover",
        "lesson_session",
        ["date", "deleted_at", "id", "klass_id", "teacher_id", "room_id", "status"],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
