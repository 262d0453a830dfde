"""materials: training materials (培训材料) of a course, their stored files and spot-check answers

Revision ID: 0013_materials
Revises: 0012_pay_after_learning
Create Date: 2026-12-03 12:00:00

Adds the synced ``material`` table (metadata; the file is content-addressed outside the database, see
docs/materials.md) with its capture triggers, and two local-only tables: ``material_file`` (the files in
the desk's store and whether the platform has each) and ``spot_check_answer`` (answers to the platform's
spot checks waiting to be sent). Existing synced tables do not change, so ``SCHEMA_VERSION`` stays 4.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0013_materials"
down_revision: str | None = "0012_pay_after_learning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 4
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund", "owed_payment", "receivable_entry")
NOW = sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')")


def upgrade() -> None:
    material = op.create_table(
        "material",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=12), server_default=sa.text("'handout'"), nullable=False),
        sa.Column("version_label", sa.String(length=40), server_default=sa.text("'1'"), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=True),
        sa.Column("reviewer", sa.String(length=50), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("klass_ids", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "kind IN ('textbook', 'handout', 'slides', 'other')", name=op.f("ck_material_kind")
        ),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_material_course_id_course")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_material")),
    )
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_material_course_id"), ["course_id"], unique=False)
    op.create_table(
        "material_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("stored_at", sa.String(length=26), nullable=False),
        sa.Column("uploaded_at", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_material_file")),
    )
    op.create_table(
        "spot_check_answer",
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("items", sa.Text(), server_default=sa.text("'[]'"), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=10), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=50), nullable=True),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("settled_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'late', 'failed')", name=op.f("ck_spot_check_answer_state")
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_spot_check_answer")),
    )
    with op.batch_alter_table("spot_check_answer", schema=None) as batch_op:
        batch_op.create_index("ix_spot_check_answer_state", ["state"], unique=False)
    capture.recreate_triggers(op, [material], SCHEMA_VERSION, APPEND_ONLY_TABLES)


def downgrade() -> None:
    capture.drop_triggers(op, ["material"])
    with op.batch_alter_table("spot_check_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_spot_check_answer_state")
    op.drop_table("spot_check_answer")
    op.drop_table("material_file")
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_material_course_id"))
    op.drop_table("material")
