"""statistics summaries: trigger-maintained session tallies and money per day/month (local-only caches)

Revision ID: 0004_stats_summaries
Revises: 0003_report_idx
Create Date: 2026-11-28 00:40:00

Adds three local-only tables (never synced, never captured) kept exact by the triggers of
``localdb.summaries`` and backfilled here from the existing rows. No synced table gains or loses a column, so
``localdb.schema.SCHEMA_VERSION`` and the capture triggers are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import summaries

revision: str = "0004_stats_summaries"
down_revision: str | None = "0003_report_idx"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _counts(*names: str) -> list[sa.Column[int]]:
    return [sa.Column(n, sa.Integer(), server_default=sa.text("0"), nullable=False) for n in names]


def upgrade() -> None:
    op.create_table(
        "session_tally",
        sa.Column("session_id", sa.String(length=36), nullable=False),
        *_counts("n_rows", "expected", "attended", "units_x100", "fen"),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_tally")),
        sqlite_with_rowid=False,
    )
    money = ("paid_n", "paid_fen", "refund_n", "refund_fen", "consumed_fen")
    for table, period in (("money_day", "day"), ("money_month", "month")):
        op.create_table(
            table,
            sa.Column(period, sa.String(length=10), nullable=False),
            sa.Column("course_id", sa.String(length=36), nullable=False),
            sa.Column("klass_id", sa.String(length=36), nullable=False),
            *_counts(*money),
            sa.PrimaryKeyConstraint(period, "course_id", "klass_id", name=op.f(f"pk_{table}")),
            sqlite_with_rowid=False,
        )
    conn = op.get_bind()
    # The tally as it was then; migration 0015 adds ``leaves``, ``used`` and the current triggers.
    summaries.install(conn, summaries.TALLY_0004)
    summaries.rebuild(conn, summaries.TALLY_0004)


def downgrade() -> None:
    conn = op.get_bind()
    summaries.uninstall(conn)
    for table in ("money_month", "money_day", "session_tally"):
        op.drop_table(table)
