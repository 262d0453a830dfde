"""Helpers every use case shares: lookups that respect tombstones, the policy profile, gapless numbers.

Kept private to the services package: the public API is the use-case modules.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db import DESK_CODE_KEY, get_setting
from app.errors import InstDeskError, NotFound, ValidationError
from app.policy import PolicyParams
from app.rules.staff import StaffFacts
from localdb.models import AppUser, DeskCounter, Institution, PolicyProfile, Staff, metadata

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

MESSAGES: dict[str, str] = {
    "not_found": "{entity_label}不存在或已删除",
    "institution.missing": "尚未初始化机构信息，请先运行 instdesk init",
    "time.invalid": "时间格式不正确（应为 HH:MM）：{text}",
    "units.invalid": "课时数必须是非负数，最多两位小数：{value}",
    "choice.invalid": "{field}的取值“{value}”无效，可选：{allowed}",
}
InstDeskError.register(MESSAGES)

ENTITY_LABELS = {
    "campus": "校区",
    "room": "教室",
    "staff": "员工",
    "course": "课程",
    "klass": "班级",
    "klass_member": "班级成员",
    "student": "学员",
    "guardian": "监护人",
    "lesson_session": "课次",
    "schedule_rule": "排课规则",
    "contract": "合同",
    "ledger_entry": "流水",
    "app_user": "用户",
}

M = TypeVar("M")


def now_utc() -> datetime:
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in Asia/Shanghai (lesson dates and charge dates are local dates)."""
    return datetime.now(LOCAL_TZ).date()


def get_live(session: Session, model: type[M], row_id: str) -> M:
    """The row with ``row_id``, refusing a missing row or a tombstone with one coded error."""
    row = session.get(model, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        table = str(getattr(model, "__tablename__", model.__name__))
        raise NotFound(
            "not_found", entity=table, entity_id=row_id, entity_label=ENTITY_LABELS.get(table, table)
        )
    return row


def require_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """Check an enum-like code against the same tuple the database CHECK uses."""
    if value not in allowed:
        raise ValidationError("choice.invalid", field=field, value=value, allowed="、".join(allowed))
    return value


def parse_time(value: str | time) -> time:
    """'HH:MM' (or a ``time``) → ``time``; lessons are planned to the minute."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        raise ValidationError("time.invalid", text=str(value))
    hours, minutes = (int(p) for p in value.strip().split(":"))
    if hours > 23 or minutes > 59:
        raise ValidationError("time.invalid", text=value)
    return time(hours, minutes)


def hhmm(value: time) -> str:
    return f"{value:%H:%M}"


def require_units(value: Any, *, allow_zero: bool = True) -> Decimal:
    """Units must be a finite non-negative Decimal (or int) with at most two places."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError("units.invalid", value=repr(value))
    units = Decimal(value)
    if not units.is_finite() or units < 0 or units != units.quantize(Decimal("0.01")):
        raise ValidationError("units.invalid", value=str(value))
    if units == 0 and not allow_zero:
        raise ValidationError("units.invalid", value=str(value))
    return units


def institution(session: Session) -> Institution:
    """The one institution of this database (its profile is 甲方 of every contract)."""
    row = session.scalars(select(Institution).where(Institution.deleted_at.is_(None)).limit(1)).first()
    if row is None:
        raise NotFound("institution.missing")
    return row


def load_policy(session: Session) -> PolicyParams:
    """The institution's policy profile; the national default when none is linked yet."""
    inst = institution(session)
    if inst.policy_profile_id is None:
        return PolicyParams()
    profile = session.get(PolicyProfile, inst.policy_profile_id)
    return PolicyParams.from_json(profile.params if profile is not None else None)


def desk_code(session: Session) -> str:
    code = get_setting(session, DESK_CODE_KEY)
    if not code:
        raise InstDeskError("desk.not_configured")
    return code


def next_number(session: Session, kind: str, year: int) -> str:
    """Allocate the next gapless number of ``kind`` for this desk and year, e.g. ``'A1-2026-000123'``.

    One upsert with RETURNING inside the caller's transaction: a rolled-back use case gives its number
    back, and the single writer connection means no two use cases can read the same ``last_no``.
    """
    code = desk_code(session)
    table = metadata.tables[DeskCounter.__tablename__]
    stmt = (
        sqlite_insert(table)
        .values(desk_code=code, kind=kind, year=year, last_no=1)
        .on_conflict_do_update(
            index_elements=[table.c.desk_code, table.c.kind, table.c.year],
            set_={"last_no": table.c.last_no + 1},
        )
        .returning(table.c.last_no)
    )
    number = int(session.execute(stmt).scalar_one())
    return f"{code}-{year}-{number:06d}"


def staff_facts(staff: Staff) -> StaffFacts:
    """The staff row as the pure staff rules see it."""
    return StaffFacts(
        kind=staff.kind,
        employment=staff.employment,
        background_check=staff.background_check,
        teacher_cert_subject=staff.teacher_cert_subject,
        ability_cert_no=staff.ability_cert_no,
        serving_school_teacher=staff.serving_school_teacher,
    )


def display_name(session: Session, user: str | None) -> str:
    """The name a document prints for a local user given by id or username (经办人); empty when the user
    is not on this desk (users are local: a row synced from another desk names someone we do not know)."""
    if not user:
        return ""
    row = session.scalars(select(AppUser).where((AppUser.id == user) | (AppUser.username == user))).first()
    if row is None:
        return ""
    return row.display_name or row.username
