"""Which tables sync, in an order that satisfies foreign keys (parents first), and which are append-only."""

from __future__ import annotations

from typing import Final

#: Synced tables, parents before children (entity name = table name). Keep in FK-safe order.
SYNCED_TABLES: Final[tuple[str, ...]] = (
    "policy_profile",
    "institution",
    "campus",
    "room",
    "staff",
    "course",
    "student",
    "guardian",
    "klass",
    "material",
    "schedule_rule",
    "lesson_session",
    "contract",
    "klass_member",
    "payment",
    "ledger_entry",
    "attendance",
    "makeup_entitlement",
    "refund",
    "owed_payment",
    "receivable_entry",
)

#: Money and unit events: never updated or deleted while capture is on; corrected by reversing entries.
APPEND_ONLY_TABLES: Final[frozenset[str]] = frozenset(
    {"payment", "ledger_entry", "refund", "owed_payment", "receivable_entry"}
)

#: Synced tables with a ``deleted_at`` tombstone (an UPDATE setting it is captured as op 'delete').
TOMBSTONE_TABLES: Final[frozenset[str]] = frozenset(
    {
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
        "klass_member",
        "material",
    }
)

LOCAL_TABLES: Final[tuple[str, ...]] = (
    "app_user",
    "audit_log",
    "local_setting",
    "desk_counter",
    "sync_outbox",
    "sync_capture",
    "sync_state",
    "sync_problem",
    "sync_outbox_seq",
    "platform_inbox",
    "refund_answer",
    "dispute_answer",
    "session_tally",
    "money_day",
    "money_month",
    "notice",
    "owed_reminder",
    "material_file",
    "spot_check_answer",
)

#: Version of the local schema that ops are captured under; bump with every migration that changes a synced
#: table (the migration passes its own value to ``capture.recreate_triggers``).
SCHEMA_VERSION: Final[int] = 4
