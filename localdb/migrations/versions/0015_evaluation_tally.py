"""evaluation tally: the leaves with a make-up right per lesson in ``session_tally``, and the used make-ups

Revision ID: 0015_evaluation_tally
Revises: 0014_dispute_answers
Create Date: 2026-12-03 13:20:00

The 机构内部管理评价 (``app.views.evaluation``, docs/domain.md) counts the leaves of a period's lessons
that give a make-up right (a leave row whose make-up entitlement is not cancelled) and how many were made
up. Reading them from the leave rows and their entitlements cost a second pass over the period's lessons;
the local-only ``session_tally`` (``localdb.summaries``) now keeps both counts per lesson (``leaves``,
``used``), kept exact by the attendance triggers and new triggers on ``makeup_entitlement``; only the
lessons with a make-up are read further (whether the make-up lesson falls in the period).
``session_tally`` is never synced: ``SCHEMA_VERSION`` and the capture triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import summaries

revision: str = "0015_evaluation_tally"
down_revision: str | None = "0014_dispute_answers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = """
UPDATE session_tally SET (leaves, used) = (
    SELECT COUNT(*), COALESCE(SUM(e.status = 'used' AND e.used_attendance_id IS NOT NULL), 0)
    FROM attendance AS a
    JOIN makeup_entitlement AS e ON e.source_attendance_id = a.id AND e.status <> 'cancelled'
    WHERE a.session_id = session_tally.session_id AND a.status = 'leave'
)
WHERE session_id IN (SELECT session_id FROM attendance WHERE status = 'leave')
"""


def upgrade() -> None:
    for column in ("leaves", "used"):
        op.add_column(
            "session_tally", sa.Column(column, sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    conn = op.get_bind()
    if summaries.installed_triggers(conn):
        conn.exec_driver_sql(_BACKFILL)
        summaries.install(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if summaries.installed_triggers(conn):
        summaries.install(conn, summaries.TALLY_0004)
    op.drop_column("session_tally", "used")
    op.drop_column("session_tally", "leaves")
