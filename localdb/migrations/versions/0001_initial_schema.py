"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 23:02:57.539328

If this migration adds, drops or changes a synced table, bump ``localdb.schema.SCHEMA_VERSION`` and call
``capture.recreate_triggers(op, [<table as of this revision>], schema_version=<n>)`` at the end of upgrade().
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from localdb import capture

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOW = sa.text("(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')")
SCHEMA_VERSION = 1
# Frozen copies as of this revision (later changes to localdb.schema must not alter this migration).
SYNCED_TABLES = (
    "policy_profile",
    "institution",
    "campus",
    "room",
    "staff",
    "course",
    "student",
    "guardian",
    "klass",
    "schedule_rule",
    "lesson_session",
    "contract",
    "klass_member",
    "payment",
    "ledger_entry",
    "attendance",
    "makeup_entitlement",
    "refund",
)
APPEND_ONLY_TABLES = ("payment", "ledger_entry", "refund")


def upgrade() -> None:
    tables: dict[str, sa.Table] = {}
    tables["app_user"] = op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=50), server_default=sa.text("('')"), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.CheckConstraint("role IN ('front_desk', 'manager', 'stats')", name=op.f("ck_app_user_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    tables["audit_log"] = op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(length=26), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("username", sa.String(length=50), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    tables["campus"] = op.create_table(
        "campus",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campus")),
    )
    tables["course"] = op.create_table(
        "course",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("subject", sa.String(length=30), nullable=True),
        sa.Column("delivery", sa.String(length=8), server_default=sa.text("'offline'"), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("minutes_per_lesson", sa.Integer(), nullable=False),
        sa.Column("units_per_lesson_x100", sa.Integer(), server_default=sa.text("(100)"), nullable=False),
        sa.Column("lessons_per_package_x100", sa.Integer(), nullable=False),
        sa.Column("price_fen", sa.Integer(), nullable=False),
        sa.Column("pay_after_learning", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("absent_policy", sa.String(length=8), server_default=sa.text("'charge'"), nullable=False),
        sa.Column("class_format", sa.String(length=12), server_default=sa.text("'small'"), nullable=False),
        sa.Column("review_status", sa.String(length=10), server_default=sa.text("'draft'"), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("published_at", sa.String(length=26), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("absent_policy IN ('charge', 'free')", name=op.f("ck_course_absent_policy")),
        sa.CheckConstraint("category IN ('subject', 'non_subject')", name=op.f("ck_course_category")),
        sa.CheckConstraint(
            "class_format IN ('one_to_one', 'small', 'large')", name=op.f("ck_course_class_format")
        ),
        sa.CheckConstraint("delivery IN ('offline', 'online')", name=op.f("ck_course_delivery")),
        sa.CheckConstraint(
            "review_status IN ('draft', 'pending', 'approved', 'rejected')",
            name=op.f("ck_course_review_status"),
        ),
        sa.CheckConstraint(
            "stage IN ('preschool', 'compulsory', 'high_school', 'other')", name=op.f("ck_course_stage")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course")),
    )
    tables["desk_counter"] = op.create_table(
        "desk_counter",
        sa.Column("desk_code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_no", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.CheckConstraint("kind IN ('receipt', 'contract')", name=op.f("ck_desk_counter_kind")),
        sa.PrimaryKeyConstraint("desk_code", "kind", "year", name=op.f("pk_desk_counter")),
    )
    tables["local_setting"] = op.create_table(
        "local_setting",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_setting")),
    )
    tables["policy_profile"] = op.create_table(
        "policy_profile",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("params", sa.Text(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_profile")),
    )
    tables["student"] = op.create_table(
        "student",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("name_pinyin", sa.String(length=120), server_default=sa.text("('')"), nullable=False),
        sa.Column("name_initials", sa.String(length=30), server_default=sa.text("('')"), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_type", sa.String(length=8), server_default=sa.text("'id_card'"), nullable=False),
        sa.Column("id_number", sa.String(length=32), nullable=True),
        sa.Column("school", sa.String(length=100), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column("stage", sa.String(length=12), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("phone_rev", sa.String(length=30), nullable=True),
        sa.Column("card_code", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("gender IN ('M', 'F')", name=op.f("ck_student_gender")),
        sa.CheckConstraint("id_type IN ('id_card', 'passport', 'other')", name=op.f("ck_student_id_type")),
        sa.CheckConstraint(
            "stage IN ('preschool', 'compulsory', 'high_school', 'other')", name=op.f("ck_student_stage")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student")),
        sa.UniqueConstraint("card_code", name=op.f("uq_student_card_code")),
    )
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_id_number"), ["id_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_name_initials"), ["name_initials"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_name_pinyin"), ["name_pinyin"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_phone_rev"), ["phone_rev"], unique=False)

    tables["sync_capture"] = op.create_table(
        "sync_capture",
        sa.Column("id", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("enabled", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_sync_capture_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_capture")),
    )
    tables["sync_outbox"] = op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=6), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=8), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint("op IN ('insert', 'update', 'delete')", name=op.f("ck_sync_outbox_op")),
        sa.CheckConstraint("state IN ('pending', 'sending')", name=op.f("ck_sync_outbox_state")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("op_id", name=op.f("uq_sync_outbox_op_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_sync_outbox_entity", ["entity", "entity_id"], unique=False)

    tables["sync_problem"] = op.create_table(
        "sync_problem",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("server_row", sa.Text(), nullable=True),
        sa.Column("local_payload", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("resolved_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("kind IN ('rejected', 'conflict')", name=op.f("ck_sync_problem_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_problem")),
    )
    with op.batch_alter_table("sync_problem", schema=None) as batch_op:
        batch_op.create_index("ix_sync_problem_entity", ["entity", "entity_id"], unique=False)

    tables["sync_state"] = op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    tables["guardian"] = op.create_table(
        "guardian",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("id_number", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_guardian_student_id_student")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian")),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_student_id"), ["student_id"], unique=False)

    tables["institution"] = op.create_table(
        "institution",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("licence_no", sa.String(length=100), nullable=True),
        sa.Column("licence_valid_until", sa.Date(), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("category_scope", sa.String(length=12), server_default=sa.text("'both'"), nullable=False),
        sa.Column(
            "delivery_scope", sa.String(length=12), server_default=sa.text("'offline'"), nullable=False
        ),
        sa.Column(
            "supervision_mode", sa.String(length=12), server_default=sa.text("'escrow'"), nullable=False
        ),
        sa.Column("supervised_account_verified", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("policy_profile_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "category_scope IN ('subject', 'non_subject', 'both')", name=op.f("ck_institution_category_scope")
        ),
        sa.CheckConstraint(
            "delivery_scope IN ('offline', 'online', 'both')", name=op.f("ck_institution_delivery_scope")
        ),
        sa.CheckConstraint(
            "supervision_mode IN ('escrow', 'guarantee')", name=op.f("ck_institution_supervision_mode")
        ),
        sa.ForeignKeyConstraint(
            ["policy_profile_id"],
            ["policy_profile.id"],
            name=op.f("fk_institution_policy_profile_id_policy_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
    )
    tables["room"] = op.create_table(
        "room",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("campus_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("capacity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(["campus_id"], ["campus.id"], name=op.f("fk_room_campus_id_campus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_campus_id"), ["campus_id"], unique=False)

    tables["staff"] = op.create_table(
        "staff",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("id_number", sa.String(length=32), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("kind", sa.String(length=12), server_default=sa.text("'teaching'"), nullable=False),
        sa.Column("employment", sa.String(length=12), server_default=sa.text("'full_time'"), nullable=False),
        sa.Column("teacher_cert_no", sa.String(length=50), nullable=True),
        sa.Column("teacher_cert_subject", sa.String(length=50), nullable=True),
        sa.Column("ability_cert_no", sa.String(length=50), nullable=True),
        sa.Column("serving_school_teacher", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("background_check", sa.String(length=10), server_default=sa.text("'none'"), nullable=False),
        sa.Column("background_checked_at", sa.String(length=26), nullable=True),
        sa.Column("hired_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("campus_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "background_check IN ('none', 'pending', 'passed', 'failed')",
            name=op.f("ck_staff_background_check"),
        ),
        sa.CheckConstraint("employment IN ('full_time', 'part_time')", name=op.f("ck_staff_employment")),
        sa.CheckConstraint("gender IN ('M', 'F')", name=op.f("ck_staff_gender")),
        sa.CheckConstraint("kind IN ('teaching', 'research', 'other')", name=op.f("ck_staff_kind")),
        sa.ForeignKeyConstraint(["campus_id"], ["campus.id"], name=op.f("fk_staff_campus_id_campus")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    tables["klass"] = op.create_table(
        "klass",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=True),
        sa.Column("teacher_id", sa.String(length=36), nullable=True),
        sa.Column("room_id", sa.String(length=36), nullable=True),
        sa.Column("capacity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("min_size", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_klass_course_id_course")),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_klass_room_id_room")),
        sa.ForeignKeyConstraint(["teacher_id"], ["staff.id"], name=op.f("fk_klass_teacher_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klass")),
    )
    with op.batch_alter_table("klass", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klass_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_klass_teacher_id"), ["teacher_id"], unique=False)

    tables["contract"] = op.create_table(
        "contract",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_no", sa.String(length=40), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("klass_id", sa.String(length=36), nullable=True),
        sa.Column("service_category", sa.String(length=20), nullable=False),
        sa.Column("adviser", sa.String(length=50), nullable=True),
        sa.Column("total_units_x100", sa.Integer(), nullable=False),
        sa.Column("gift_units_x100", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("units_per_session_x100", sa.Integer(), server_default=sa.text("(100)"), nullable=False),
        sa.Column("schedule_text", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("class_format", sa.String(length=12), server_default=sa.text("'small'"), nullable=False),
        sa.Column("min_class_size", sa.Integer(), nullable=True),
        sa.Column("named_teacher", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("fee_fen", sa.Integer(), nullable=False),
        sa.Column(
            "supervision_mode", sa.String(length=12), server_default=sa.text("'escrow'"), nullable=False
        ),
        sa.Column("full_refund_days_before_start", sa.Integer(), nullable=True),
        sa.Column("full_refund_days_after_start", sa.Integer(), nullable=True),
        sa.Column("full_refund_units_after_start_x100", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.String(length=26), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'active'"), nullable=False),
        sa.Column("origin", sa.String(length=10), server_default=sa.text("'desk'"), nullable=False),
        sa.Column("desk_code", sa.String(length=20), nullable=True),
        sa.Column("renews_contract_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "class_format IN ('one_to_one', 'small', 'large')", name=op.f("ck_contract_class_format")
        ),
        sa.CheckConstraint("origin IN ('desk', 'platform')", name=op.f("ck_contract_origin")),
        sa.CheckConstraint(
            "service_category IN ('offline_subject', 'online_subject', 'offline_non_subject', 'online_non_subject')",  # noqa: E501
            name=op.f("ck_contract_service_category"),
        ),
        sa.CheckConstraint("status IN ('active', 'closed', 'refunded')", name=op.f("ck_contract_status")),
        sa.CheckConstraint(
            "supervision_mode IN ('escrow', 'guarantee')", name=op.f("ck_contract_supervision_mode")
        ),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_contract_course_id_course")),
        sa.ForeignKeyConstraint(["klass_id"], ["klass.id"], name=op.f("fk_contract_klass_id_klass")),
        sa.ForeignKeyConstraint(
            ["renews_contract_id"], ["contract.id"], name=op.f("fk_contract_renews_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_contract_student_id_student")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("contract_no", name=op.f("uq_contract_contract_no")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_student_id"), ["student_id"], unique=False)

    tables["schedule_rule"] = op.create_table(
        "schedule_rule",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("klass_id", sa.String(length=36), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("teacher_id", sa.String(length=36), nullable=True),
        sa.Column("room_id", sa.String(length=36), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(["klass_id"], ["klass.id"], name=op.f("fk_schedule_rule_klass_id_klass")),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_schedule_rule_room_id_room")),
        sa.ForeignKeyConstraint(["teacher_id"], ["staff.id"], name=op.f("fk_schedule_rule_teacher_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_rule")),
    )
    with op.batch_alter_table("schedule_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schedule_rule_klass_id"), ["klass_id"], unique=False)

    tables["klass_member"] = op.create_table(
        "klass_member",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("klass_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_klass_member_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["klass_id"], ["klass.id"], name=op.f("fk_klass_member_klass_id_klass")),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_klass_member_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klass_member")),
    )
    with op.batch_alter_table("klass_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klass_member_klass_id"), ["klass_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_klass_member_student_id"), ["student_id"], unique=False)

    tables["ledger_entry"] = op.create_table(
        "ledger_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("units_x100", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("amount_fen", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("reverses_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "kind IN ('purchase', 'gift', 'refund', 'adjust', 'expire', 'reverse')",
            name=op.f("ck_ledger_entry_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_ledger_entry_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_ledger_entry_course_id_course")),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["ledger_entry.id"], name=op.f("fk_ledger_entry_reverses_id_ledger_entry")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_ledger_entry_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_ledger_entry_reverses_id")),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_entry_contract_sums", ["contract_id", "units_x100", "amount_fen"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ledger_entry_student_id"), ["student_id"], unique=False)

    tables["lesson_session"] = op.create_table(
        "lesson_session",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("klass_id", sa.String(length=36), nullable=False),
        sa.Column("rule_id", sa.String(length=36), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("teacher_id", sa.String(length=36), nullable=True),
        sa.Column("room_id", sa.String(length=36), nullable=True),
        sa.Column("units_x100", sa.Integer(), server_default=sa.text("(100)"), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'scheduled'"), nullable=False),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("deleted_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "status IN ('scheduled', 'held', 'cancelled')", name=op.f("ck_lesson_session_status")
        ),
        sa.ForeignKeyConstraint(["klass_id"], ["klass.id"], name=op.f("fk_lesson_session_klass_id_klass")),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_lesson_session_room_id_room")),
        sa.ForeignKeyConstraint(
            ["rule_id"], ["schedule_rule.id"], name=op.f("fk_lesson_session_rule_id_schedule_rule")
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"], ["staff.id"], name=op.f("fk_lesson_session_teacher_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_session")),
    )
    with op.batch_alter_table("lesson_session", schema=None) as batch_op:
        batch_op.create_index("ix_lesson_session_date_start", ["date", "start_time"], unique=False)
        batch_op.create_index("ix_lesson_session_klass_date", ["klass_id", "date"], unique=False)
        batch_op.create_index("ix_lesson_session_room_date", ["room_id", "date"], unique=False)
        batch_op.create_index(batch_op.f("ix_lesson_session_rule_id"), ["rule_id"], unique=False)
        batch_op.create_index("ix_lesson_session_teacher_date", ["teacher_id", "date"], unique=False)

    tables["payment"] = op.create_table(
        "payment",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("paid_at", sa.String(length=26), nullable=False),
        sa.Column("desk_code", sa.String(length=20), nullable=True),
        sa.Column("received_by", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "method IN ('cash', 'wechat', 'alipay', 'bank_card', 'transfer', 'platform')",
            name=op.f("ck_payment_method"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_payment_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_payment_student_id_student")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("receipt_no", name=op.f("uq_payment_receipt_no")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_paid_at"), ["paid_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_student_id"), ["student_id"], unique=False)

    tables["refund"] = op.create_table(
        "refund",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("units_x100", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=10), server_default=sa.text("'desk'"), nullable=False),
        sa.Column("platform_request_id", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint("source IN ('desk', 'platform')", name=op.f("ck_refund_source")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_refund_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(["student_id"], ["student.id"], name=op.f("fk_refund_student_id_student")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refund")),
    )
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refund_contract_id"), ["contract_id"], unique=False)

    tables["attendance"] = op.create_table(
        "attendance",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("charged", sa.Boolean(), server_default=sa.text("0"), nullable=False),
        sa.Column("units_x100", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("amount_fen", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("contract_id", sa.String(length=36), nullable=True),
        sa.Column("marked_at", sa.String(length=26), nullable=False),
        sa.Column("marked_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('present', 'late', 'leave', 'absent', 'trial', 'makeup')",
            name=op.f("ck_attendance_status"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_attendance_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["lesson_session.id"], name=op.f("fk_attendance_session_id_lesson_session")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_attendance_student_id_student")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("session_id", "student_id", name=op.f("uq_attendance_session_id_student_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attendance_contract_charged",
            ["contract_id", "charged", "units_x100", "amount_fen"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_attendance_student_id"), ["student_id"], unique=False)

    tables["makeup_entitlement"] = op.create_table(
        "makeup_entitlement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("student_id", sa.String(length=36), nullable=False),
        sa.Column("course_id", sa.String(length=36), nullable=False),
        sa.Column("source_attendance_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=10), server_default=sa.text("'open'"), nullable=False),
        sa.Column("used_attendance_id", sa.String(length=36), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.String(length=26), server_default=NOW, nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'used', 'expired', 'cancelled')", name=op.f("ck_makeup_entitlement_status")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["course.id"], name=op.f("fk_makeup_entitlement_course_id_course")
        ),
        sa.ForeignKeyConstraint(
            ["source_attendance_id"],
            ["attendance.id"],
            name=op.f("fk_makeup_entitlement_source_attendance_id_attendance"),
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_makeup_entitlement_student_id_student")
        ),
        sa.ForeignKeyConstraint(
            ["used_attendance_id"],
            ["attendance.id"],
            name=op.f("fk_makeup_entitlement_used_attendance_id_attendance"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_makeup_entitlement")),
    )
    with op.batch_alter_table("makeup_entitlement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_makeup_entitlement_source_attendance_id"), ["source_attendance_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_makeup_entitlement_student_id"), ["student_id"], unique=False)

    op.execute("INSERT INTO sync_capture (id, enabled) VALUES (1, 1)")
    capture.recreate_triggers(
        op, [tables[name] for name in SYNCED_TABLES], SCHEMA_VERSION, APPEND_ONLY_TABLES
    )


def downgrade() -> None:
    capture.drop_triggers(op, SYNCED_TABLES)
    with op.batch_alter_table("makeup_entitlement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_makeup_entitlement_student_id"))
        batch_op.drop_index(batch_op.f("ix_makeup_entitlement_source_attendance_id"))

    op.drop_table("makeup_entitlement")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_student_id"))
        batch_op.drop_index("ix_attendance_contract_charged")

    op.drop_table("attendance")
    with op.batch_alter_table("refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refund_contract_id"))

    op.drop_table("refund")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_student_id"))
        batch_op.drop_index(batch_op.f("ix_payment_paid_at"))
        batch_op.drop_index(batch_op.f("ix_payment_contract_id"))

    op.drop_table("payment")
    with op.batch_alter_table("lesson_session", schema=None) as batch_op:
        batch_op.drop_index("ix_lesson_session_teacher_date")
        batch_op.drop_index(batch_op.f("ix_lesson_session_rule_id"))
        batch_op.drop_index("ix_lesson_session_room_date")
        batch_op.drop_index("ix_lesson_session_klass_date")
        batch_op.drop_index("ix_lesson_session_date_start")

    op.drop_table("lesson_session")
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entry_student_id"))
        batch_op.drop_index("ix_ledger_entry_contract_sums")

    op.drop_table("ledger_entry")
    with op.batch_alter_table("klass_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klass_member_student_id"))
        batch_op.drop_index(batch_op.f("ix_klass_member_klass_id"))

    op.drop_table("klass_member")
    with op.batch_alter_table("schedule_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_rule_klass_id"))

    op.drop_table("schedule_rule")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_student_id"))
        batch_op.drop_index(batch_op.f("ix_contract_course_id"))

    op.drop_table("contract")
    with op.batch_alter_table("klass", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klass_teacher_id"))
        batch_op.drop_index(batch_op.f("ix_klass_course_id"))

    op.drop_table("klass")
    op.drop_table("staff")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_campus_id"))

    op.drop_table("room")
    op.drop_table("institution")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_student_id"))

    op.drop_table("guardian")
    op.drop_table("sync_state")
    with op.batch_alter_table("sync_problem", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_problem_entity")

    op.drop_table("sync_problem")
    with op.batch_alter_table("sync_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_outbox_entity")

    op.drop_table("sync_outbox")
    op.drop_table("sync_capture")
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_phone_rev"))
        batch_op.drop_index(batch_op.f("ix_student_name_pinyin"))
        batch_op.drop_index(batch_op.f("ix_student_name_initials"))
        batch_op.drop_index(batch_op.f("ix_student_name"))
        batch_op.drop_index(batch_op.f("ix_student_id_number"))

    op.drop_table("student")
    op.drop_table("policy_profile")
    op.drop_table("local_setting")
    op.drop_table("desk_counter")
    op.drop_table("course")
    op.drop_table("campus")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("app_user")
