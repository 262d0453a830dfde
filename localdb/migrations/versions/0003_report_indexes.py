"""covering indexes for the statistics (month by session, money as of a date)

Revision ID: 0003_report_idx
Revises: 0002_sync
Create Date: 2026-11-28 00:10:00

Indexes only: no synced table gains or loses a column, so ``localdb.schema.SCHEMA_VERSION`` and the capture
triggers are unchanged.

* ``ix_attendance_session_sums``: a month's attendance grouped by session reads only the index (it used to
  read one table row per attendance row for status/charged/units/fen);
* ``ix_lesson_session_date_cover``: the month's sessions with their class, teacher, room and status;
* ``ix_payment_paid_cover``: payments up to an instant, summed per contract without table reads;
* ``ix_contract_classes``: the contract → (course, class) map without reading the wide contract rows.
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
        "ix_attendance_session_sums",
        "attendance",
        ["session_id", "charged", "status", "units_x100", "amount_fen", "contract_id"],
    ),
    (
        "ix_lesson_session_date_cover",
        "lesson_session",
        ["date", "deleted_at", "id", "klass_id", "teacher_id", "room_id", "status"],
    ),
    ("ix_payment_paid_cover", "payment", ["paid_at", "contract_id", "amount_fen"]),
    ("ix_contract_classes", "contract", ["id", "course_id", "klass_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
