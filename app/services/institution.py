"""The institution's own profile (甲方 of every contract), its policy profile and this desk's code.

``init_institution`` is what ``instdesk init`` runs once per database: it creates the institution with a
national-default policy profile and gives this desk its short code, the prefix of every receipt and
contract number it hands out (so two desks working offline never collide).
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select

from app.db import DESK_CODE_KEY, Database, audit, get_setting, put_setting
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import SYSTEM_ACTOR, Actor, Permission, require
from app.policy import PolicyParams
from app.services.lookups import institution, load_policy
from app.services.parsing import require_choice
from app.validators import validate_mobile, validate_name, validate_uscc
from localdb import codes
from localdb.models import Institution, PolicyProfile

MESSAGES: dict[str, str] = {
    "institution.exists": "机构信息已初始化，不能重复初始化",
    "desk.bad_code": "前台编号只能由1–8位大写字母或数字组成：{desk}",
    "institution.bad_phone": "联系电话不正确：应为手机号或带区号的固定电话（如 0591-87654321）",
    "institution.bad_days": "{field}应为0–365之间的整数天数",
    "institution.too_long": "{field}不能超过{max_length}个字符",
}
InstDeskError.register(MESSAGES)

NATIONAL_REGION = "000000"


@dataclass(frozen=True)
class InstitutionInfo:
    institution_id: str
    name: str
    uscc: str
    desk_code: str | None
    category_scope: str
    delivery_scope: str
    supervision_mode: str
    address: str | None
    licence_no: str | None
    licence_valid_until: date | None
    contact_name: str | None
    contact_phone: str | None
    policy_profile_id: str | None
    profile: InstitutionProfile


@dataclass(frozen=True)
class InstitutionProfile:
    """The facts of the institution that its contracts and receipts print (甲方, GF—2021—2604), as edited
    in 设置 → 机构信息. Every field is optional here; ``app.documents.contract`` says which a final
    contract needs. ``dispute_resolution`` is ``court`` or ``arbitration``."""

    name: str
    address: str | None = None
    approval_authority: str | None = None
    registration_authority: str | None = None
    licence_no: str | None = None
    licence_valid_until: date | None = None
    icp_no: str | None = None
    registration_valid_until: date | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    supervision_mode: str = "escrow"
    supervision_bank: str | None = None
    supervision_account_name: str | None = None
    supervision_account_no: str | None = None
    dispute_resolution: str | None = None
    dispute_body: str | None = None
    refund_days_before_start: int | None = None
    refund_days_after_start: int | None = None


PROFILE_FIELDS = tuple(f.name for f in fields(InstitutionProfile))
_TEXT_LIMITS = {
    "address": ("办学地址", 300),
    "approval_authority": ("审批机关", 100),
    "registration_authority": ("登记注册机关", 100),
    "licence_no": ("办学许可证编号", 100),
    "icp_no": ("ICP备案号", 60),
    "contact_name": ("联系人", 50),
    "supervision_bank": ("监管银行", 100),
    "supervision_account_name": ("监管账户名称", 200),
    "supervision_account_no": ("监管账号", 40),
    "dispute_body": ("争议解决机构", 100),
}
_PHONE = re.compile(r"(?:\+?86[- ]?)?(?:1\d{10}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|400-?\d{3}-?\d{4})")


def _random_desk_code() -> str:
    """A short code people can read off a receipt: a letter and a digit, e.g. 'A1'."""
    return secrets.choice(string.ascii_uppercase) + secrets.choice(string.digits)


def check_desk_code(code: str) -> str:
    folded = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{1,8}", folded):
        raise ValidationError("desk.bad_code", desk=code)
    return folded


def _profile(row: Institution) -> InstitutionProfile:
    return InstitutionProfile(**{name: getattr(row, name) for name in PROFILE_FIELDS})


def _info(row: Institution, desk: str | None) -> InstitutionInfo:
    return InstitutionInfo(
        institution_id=row.id,
        name=row.name,
        uscc=row.uscc,
        desk_code=desk,
        category_scope=row.category_scope,
        delivery_scope=row.delivery_scope,
        supervision_mode=row.supervision_mode,
        address=row.address,
        licence_no=row.licence_no,
        licence_valid_until=row.licence_valid_until,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        policy_profile_id=row.policy_profile_id,
        profile=_profile(row),
    )


def init_institution(
    db: Database,
    name: str,
    uscc: str,
    desk_code: str | None = None,
    *,
    actor: Actor = SYSTEM_ACTOR,
    address: str | None = None,
    licence_no: str | None = None,
    licence_valid_until: date | None = None,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    category_scope: str = "both",
    delivery_scope: str = "offline",
    supervision_mode: str = "escrow",
) -> InstitutionInfo:
    """Create the institution, its national-default policy profile and this desk's code (once)."""
    require(actor, Permission.MANAGE_INSTITUTION)
    clean_name = validate_name(name, "机构名称")
    code = validate_uscc(uscc)
    require_choice("category_scope", category_scope, codes.CATEGORY_SCOPES)
    require_choice("delivery_scope", delivery_scope, codes.DELIVERY_SCOPES)
    require_choice("supervision_mode", supervision_mode, codes.SUPERVISION_MODES)
    phone = validate_mobile(contact_phone) if contact_phone else None
    with db.transaction() as session:
        if session.scalar(select(Institution.id).limit(1)) is not None:
            raise RuleViolation("institution.exists")
        profile = PolicyProfile(region_code=NATIONAL_REGION, name="全国默认", params=PolicyParams().to_json())
        session.add(profile)
        session.flush()
        row = Institution(
            name=clean_name,
            uscc=code,
            address=address,
            licence_no=licence_no,
            licence_valid_until=licence_valid_until,
            contact_name=contact_name,
            contact_phone=phone,
            category_scope=category_scope,
            delivery_scope=delivery_scope,
            supervision_mode=supervision_mode,
            policy_profile_id=profile.id,
        )
        session.add(row)
        desk = get_setting(session, DESK_CODE_KEY) or check_desk_code(desk_code or _random_desk_code())
        if desk_code is not None:
            desk = check_desk_code(desk_code)
        put_setting(session, DESK_CODE_KEY, desk)
        session.flush()
        audit(session, actor, "institution.init", "institution", row.id, name=clean_name, desk_code=desk)
        return _info(row, desk)


def get_institution(db: Database) -> InstitutionInfo:
    """The institution's profile with this desk's code (``institution.missing`` before init)."""
    with db.reading() as session:
        return _info(institution(session), get_setting(session, DESK_CODE_KEY))


def policy(db: Database) -> PolicyParams:
    """The regional parameters in force (the institution's profile)."""
    with db.reading() as session:
        return load_policy(session)


def _clean_text(name: str, value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    label, limit = _TEXT_LIMITS[name]
    if len(text) > limit:
        raise ValidationError("institution.too_long", field=label, max_length=limit)
    return text


def _clean_phone(value: str | None) -> str | None:
    text = re.sub(r"\s+", "", value or "")
    if not text:
        return None
    if not _PHONE.fullmatch(text):
        raise ValidationError("institution.bad_phone", text=text)
    return text


def _clean_days(label: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 365:
        raise ValidationError("institution.bad_days", field=label, value=repr(value))
    return value


def clean_profile(profile: InstitutionProfile) -> InstitutionProfile:
    """The profile with text trimmed (empty → None) and each value checked; a bad value raises."""
    texts = {name: _clean_text(name, getattr(profile, name)) for name in _TEXT_LIMITS}
    require_choice("supervision_mode", profile.supervision_mode, codes.SUPERVISION_MODES)
    if profile.dispute_resolution is not None:
        require_choice("dispute_resolution", profile.dispute_resolution, codes.DISPUTE_RESOLUTIONS)
    changes: dict[str, Any] = {
        **texts,
        "name": validate_name(profile.name, "机构名称"),
        "contact_phone": _clean_phone(profile.contact_phone),
        "refund_days_before_start": _clean_days("开班前全额退费天数", profile.refund_days_before_start),
        "refund_days_after_start": _clean_days("开班后全额退费天数", profile.refund_days_after_start),
    }
    return replace(profile, **changes)


def update_profile(db: Database, actor: Actor, profile: InstitutionProfile) -> InstitutionInfo:
    """Save the institution's contract facts (one synced update of the institution row, audited)."""
    require(actor, Permission.MANAGE_INSTITUTION)
    clean = clean_profile(profile)
    with db.transaction() as session:
        row = institution(session)
        changed = [name for name in PROFILE_FIELDS if getattr(row, name) != getattr(clean, name)]
        for name in changed:
            setattr(row, name, getattr(clean, name))
        session.flush()
        if changed:
            audit(session, actor, "institution.profile", "institution", row.id, fields=",".join(changed))
        return _info(row, get_setting(session, DESK_CODE_KEY))


@dataclass(frozen=True)
class SchoolCalendar:
    """Which 校历 the timetable checks use (shown in 设置 and the schedule dialog).

    ``name`` is the region's calendar (empty for the national default, our conservative estimate);
    ``breaks`` are the 寒暑假 ranges that touch ``year`` or the next year, in date order.
    """

    national: bool
    name: str
    breaks: tuple[tuple[date, date], ...]


def school_calendar(db: Database, year: int) -> SchoolCalendar:
    """The calendar in force and its breaks around ``year``."""
    params = policy(db)
    near = sorted(r for r in params.breaks if r[1].year >= year and r[0].year <= year + 1)
    return SchoolCalendar(
        params.national_calendar, "" if params.national_calendar else params.school_calendar, tuple(near)
    )
