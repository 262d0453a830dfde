"""attendance owing index: a partial index of the lessons marked 欠课时 (attended with no 课时 left)

Revision ID: 0009_attendance_owing_index
Revises: 0008_institution_contract_facts
Create Date: 2026-12-03 09:00:00

A roll call marks a student with no 课时 left without charging them and notes the row 欠课时; the front
desk lists those rows to settle them. The partial index holds only those rows, so the list does not scan
the attendance table. No table or column changes: ``SCHEMA_VERSION`` and the capture triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_attendance_owing_index"
down_revision: str | None = "0008_institution_contract_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_attendance_owing", "attendance", ["student_id"], sqlite_where=sa.text("note = '欠课时'")
    )


def downgrade() -> None:
    op.drop_index("ix_attendance_owing", table_name="attendance")
