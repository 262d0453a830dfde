"""evaluation indexes: the leaves of a lesson and their make-up entitlements, index-only

Revision ID: 0011_evaluation_indexes
Revises: 0010_attendance_undone
Create Date: 2026-12-03 12:00:00

The 机构内部管理评价 (``app.views.evaluation``, docs/domain.md) counts, per class and teacher, the leaves of
a period's lessons and whether each was made up. Three indexes keep that read off the attendance table:
a partial index of the leave rows by lesson (a few per cent of attendance), one of the undone roll
calls by lesson (the statistics' tallies still count them; the evaluation takes them out), and the
make-up entitlements by their leave with status and the make-up lesson (it replaces the single-column
index on the leave, whose lookups it serves too). No table or column changes: ``SCHEMA_VERSION`` and
the capture triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_evaluation_indexes"
down_revision: str | None = "0010_attendance_undone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_attendance_leave_session",
        "attendance",
        ["session_id", "status", "id"],
        sqlite_where=sa.text("status = 'leave'"),
    )
    op.create_index("ix_attendance_undone", "attendance", ["session_id"], sqlite_where=sa.text("undone"))
    op.drop_index("ix_makeup_entitlement_source_attendance_id", table_name="makeup_entitlement")
    op.create_index(
        "ix_makeup_entitlement_source",
        "makeup_entitlement",
        ["source_attendance_id", "status", "used_attendance_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_makeup_entitlement_source", table_name="makeup_entitlement")
    op.create_index(
        "ix_makeup_entitlement_source_attendance_id", "makeup_entitlement", ["source_attendance_id"]
    )
    op.drop_index("ix_attendance_undone", table_name="attendance")
    op.drop_index("ix_attendance_leave_session", table_name="attendance")
