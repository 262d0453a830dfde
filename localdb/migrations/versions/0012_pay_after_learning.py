"""pay after learning: 先学后付 contracts, the per-lesson receivable ledger, payments after lessons, reminders

Revision ID: 0012_pay_after_learning
Revises: 0011_evaluation_indexes
Create Date: 2026-12-03 12:00:00

Adds ``billing``, ``lesson_price_fen`` and ``payment_terms`` to the synced ``contract`` table, the synced
append-only tables ``owed_payment`` and ``receivable_entry`` and the local table ``owed_reminder``
(docs/pay_after.md). ``localdb.schema.SCHEMA_VERSION`` becomes 4 and the capture triggers are rebuilt
from the synced tables as they are in the database (reflected).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0012_pay_after_learning"
down_revision: str | None = "0011_evaluation_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_VERSION = 4
PREVIOUS_SCHEMA_VERSION = 3
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund", "owed_payment", "receivable_entry")
PREVIOUS_APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund")
PREVIOUS_SYNCED_TABLES = (
    "institution", "policy_profile", "campus", "room", "staff", "course", "klass", "schedule_rule",
    "lesson_session", "student", "guardian", "contract", "payment", "ledger_entry", "refund", "attendance",
    "makeup_entitlement", "klass_member",
)  # fmt: skip
SYNCED_TABLES = (*PREVIOUS_SYNCED_TABLES, "owed_payment", "receivable_entry")
NOW = sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')")
METHODS = "'cash', 'wechat', 'alipay', 'bank_card', 'transfer', 'platform'"


def _contract_columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("billing", sa.String(length=10), server_default=sa.text("'prepaid'"), nullable=False),
        sa.Column("lesson_price_fen", sa.Integer(), nullable=True),
        sa.Column("payment_terms", sa.Text(), nullable=True),
    )


def _synced_mixin() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
    )


def _create_owed_payment() -> None:
    op.create_table(
        "owed_payment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=10), server_default=sa.text("'desk'"), nullable=False),
        sa.Column("paid_at", sa.String(length=26), nullable=False),
        sa.Column("desk_code", sa.String(length=20), nullable=True),
        sa.Column("received_by", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *_synced_mixin(),
        sa.CheckConstraint(f"method IN ({METHODS})", name=op.f("ck_owed_payment_method")),
        sa.CheckConstraint("source IN ('desk', 'platform')", name=op.f("ck_owed_payment_source")),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_owed_payment_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owed_payment")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_owed_payment_receipt_no")),
    )
    with op.batch_alter_table("owed_payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_owed_payment_paid_at"), ["paid_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_owed_payment_student_id"), ["student_id"], unique=False)


def _create_receivable_entry() -> None:
    op.create_table(
        "receivable_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("lesson_date", sa.Date(), nullable=False),
        sa.Column("attendance_id", sa.String(length=36), nullable=True),
        sa.Column("lesson_entry_id", sa.String(length=36), nullable=True),
        sa.Column("payment_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        *_synced_mixin(),
        sa.CheckConstraint("kind IN ('lesson', 'reverse', 'payment')", name=op.f("ck_receivable_entry_kind")),
        sa.ForeignKeyConstraint(
            ["attendance_id"], ["attendance.id"], name=op.f("fk_receivable_entry_attendance_id_attendance")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_receivable_entry_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_receivable_entry_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["lesson_entry_id"],
            ["receivable_entry.id"],
            name=op.f("fk_receivable_entry_lesson_entry_id_receivable_entry"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["owed_payment.id"], name=op.f("fk_receivable_entry_payment_id_owed_payment")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_receivable_entry_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receivable_entry")),
    )
    with op.batch_alter_table("receivable_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_receivable_entry_attendance_id"), ["attendance_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_receivable_entry_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_receivable_entry_lesson_entry_id"), ["lesson_entry_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_receivable_entry_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index("ix_receivable_entry_student", ["student_id", "lesson_date"], unique=False)


def _create_owed_reminder() -> None:
    op.create_table(
        "owed_reminder",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("reminded_at", sa.String(length=26), nullable=False),
        sa.Column("owed_fen", sa.Integer(), nullable=False),
        sa.Column("reminded_by", sa.String(length=50), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owed_reminder")),
    )
    op.create_index("ix_owed_reminder_student", "owed_reminder", ["student_id", "reminded_at"], unique=False)


def _reflected(names: Sequence[str]) -> list[sa.Table]:
    metadata = sa.MetaData()
    metadata.reflect(op.get_bind(), only=names)
    return [metadata.tables[name] for name in names]


def upgrade() -> None:
    # the old contract triggers name every column; drop them before the table changes
    capture.drop_triggers(op, ["contract"])
    for column in _contract_columns():
        op.add_column("contract", column)
    op.create_index(
        "ix_contract_pay_after", "contract", ["id"], sqlite_where=sa.text("billing = 'pay_after'")
    )
    _create_owed_payment()
    _create_receivable_entry()
    _create_owed_reminder()
    capture.recreate_triggers(op, _reflected(SYNCED_TABLES), SCHEMA_VERSION, APPEND_ONLY_TABLES)


def downgrade() -> None:
    capture.drop_triggers(op, ["contract", "owed_payment", "receivable_entry"])
    op.drop_index("ix_owed_reminder_student", table_name="owed_reminder")
    op.drop_table("owed_reminder")
    op.drop_table("receivable_entry")
    op.drop_table("owed_payment")
    op.drop_index("ix_contract_pay_after", table_name="contract")
    # plain ALTER TABLE DROP COLUMN (SQLite ≥ 3.35): a batch rebuild of ``contract`` would break the
    # statistics triggers that name it while the table is renamed
    for column in reversed(_contract_columns()):
        op.execute(f"ALTER TABLE contract DROP COLUMN {column.name}")
    capture.recreate_triggers(
        op, _reflected(PREVIOUS_SYNCED_TABLES), PREVIOUS_SCHEMA_VERSION, PREVIOUS_APPEND_ONLY_TABLES
    )
