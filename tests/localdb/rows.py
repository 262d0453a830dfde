"""Valid sample rows for every synced table, keyed by SQL column name (Python values)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert

from localdb.ids import attendance_id, new_id
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES

Ctx = dict[str, str]
_counter = itertools.count(1)
WHEN = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
DAY = date(2026, 3, 4)


def _unique() -> int:
    return next(_counter)


def _master(ctx: Ctx) -> dict[str, dict[str, Any]]:
    n = _unique()
    return {
        "policy_profile": {"region_code": "000000", "name": "全国默认", "params": '{"max_units": 60}'},
        "institution": {
            "name": "示例培训学校",
            "uscc": "91350100M000100Y43",
            "category_scope": "both",
            "delivery_scope": "offline",
            "supervision_mode": "escrow",
            "supervised_account_verified": True,
            "policy_profile_id": ctx.get("policy_profile"),
        },
        "campus": {"name": "本部", "address": "福州市"},
        "room": {"campus_id": ctx.get("campus"), "name": f"教室{n}", "capacity": 20},
        "staff": {
            "name": "李老师",
            "kind": "teaching",
            "employment": "full_time",
            "background_check": "passed",
        },
        "course": {
            "name": "少儿美术",
            "category": "non_subject",
            "delivery": "offline",
            "stage": "other",
            "minutes_per_lesson": 60,
            "units_per_lesson_x100": Decimal("1.5"),
            "lessons_per_package_x100": Decimal("20"),
            "price_fen": 300000,
        },
        "student": {
            "name": "张三",
            "name_pinyin": "zhangsan",
            "name_initials": "zs",
            "phone": "13800138000",
            "phone_rev": "00083100831",
            "card_code": f"C{n}",
            "birth_date": date(2016, 5, 1),
        },
        "guardian": {"student_id": ctx.get("student"), "name": "张父", "relation": "父亲"},
        "klass": {"course_id": ctx.get("course"), "name": f"美术{n}班", "teacher_id": ctx.get("staff")},
        "material": {
            "course_id": ctx.get("course"),
            "title": f"美术讲义{n}",
            "kind": "handout",
            "version_label": "1",
            "sha256": f"{n:064x}",
            "size_bytes": 1024,
            "file_name": "handout.pdf",
        },
        "schedule_rule": {
            "klass_id": ctx.get("klass"),
            "weekday": 2,
            "start_time": "18:00",
            "end_time": "19:00",
            "valid_from": DAY,
        },
        "lesson_session": {
            "klass_id": ctx.get("klass"),
            "rule_id": ctx.get("schedule_rule"),
            "date": DAY,
            "start_time": "18:00",
            "end_time": "19:00",
            "units_x100": Decimal("1.5"),
            "status": "held",
        },
    }


def _trade(ctx: Ctx) -> dict[str, dict[str, Any]]:
    n = _unique()
    student = ctx.get("attendance_student", ctx.get("student"))
    return {
        "contract": {
            "contract_no": f"D1-2026-{n:05d}",
            "student_id": ctx.get("student"),
            "course_id": ctx.get("course"),
            "klass_id": ctx.get("klass"),
            "service_category": "offline_non_subject",
            "total_units_x100": Decimal("20"),
            "gift_units_x100": Decimal("2"),
            "units_per_session_x100": Decimal("1.5"),
            "start_date": DAY,
            "fee_fen": 300000,
            "signed_at": WHEN,
        },
        "klass_member": {
            "klass_id": ctx.get("klass"),
            "student_id": ctx.get("student"),
            "contract_id": ctx.get("contract"),
        },
        "payment": {
            "receipt_no": f"D1-R2026-{n:05d}",
            "contract_id": ctx.get("contract"),
            "student_id": ctx.get("student"),
            "amount_fen": 300000,
            "method": "wechat",
            "paid_at": WHEN,
        },
        "ledger_entry": {
            "contract_id": ctx.get("contract"),
            "student_id": ctx.get("student"),
            "course_id": ctx.get("course"),
            "kind": "purchase",
            "units_x100": Decimal("20"),
            "amount_fen": 300000,
        },
        "attendance": {
            "id": attendance_id(ctx.get("lesson_session", ""), student or ""),
            "session_id": ctx.get("lesson_session"),
            "student_id": student,
            "status": "present",
            "charged": True,
            "units_x100": Decimal("1.5"),
            "amount_fen": 22500,
            "contract_id": ctx.get("contract"),
            "marked_at": WHEN,
        },
        "makeup_entitlement": {
            "student_id": ctx.get("student"),
            "course_id": ctx.get("course"),
            "source_attendance_id": ctx.get("attendance"),
        },
        "refund": {
            "contract_id": ctx.get("contract"),
            "student_id": ctx.get("student"),
            "units_x100": Decimal("2"),
            "amount_fen": 30000,
            "source": "desk",
        },
        "owed_payment": {
            "receipt_no": f"D1-O2026-{n:05d}",
            "student_id": ctx.get("student"),
            "amount_fen": 15000,
            "method": "cash",
            "paid_at": WHEN,
        },
        "receivable_entry": {
            "student_id": ctx.get("student"),
            "contract_id": ctx.get("contract"),
            "course_id": ctx.get("course"),
            "kind": "lesson",
            "amount_fen": 15000,
            "lesson_date": DAY,
        },
    }


def values_for(table: str, ctx: Ctx) -> dict[str, Any]:
    """A fresh valid row of ``table`` (new id, unique fields unique) referencing the parents in ``ctx``."""
    rows = _master(ctx) if table in _MASTER else _trade(ctx)
    values = {"id": new_id(), **rows[table]}
    return values


_MASTER = frozenset(_master({}).keys())


def seed(conn: Connection) -> Ctx:
    """Insert one row of every synced table (and a second student free for attendance) via Core."""
    ctx: Ctx = {}
    for table in SYNCED_TABLES:
        values = values_for(table, ctx)
        conn.execute(insert(metadata.tables[table]).values(values))
        ctx[table] = values["id"]
    second = values_for("student", ctx)
    conn.execute(insert(metadata.tables["student"]).values(second))
    ctx["attendance_student"] = second["id"]
    return ctx
