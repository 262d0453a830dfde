"""The institution's own profile (甲方 of every contract), its policy profile and this desk's code.

``init_institution`` is what ``instdesk init`` runs once per database: it creates the institution with a
national-default policy profile and gives this desk its short code, the prefix of every receipt and
contract number it hands out (so two desks working offline never collide).
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.db import DESK_CODE_KEY, Database, audit, get_setting, put_setting
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import SYSTEM_ACTOR, Actor, Permission, require
from app.policy import PolicyParams
from app.services._common import institution, load_policy, require_choice
from app.validators import validate_mobile, validate_name, validate_uscc
from localdb import codes
from localdb.models import Institution, PolicyProfile

MESSAGES: dict[str, str] = {
    "institution.exists": "机构信息已初始化，不能重复初始化",
    "desk.bad_code": "前台编号只能由1–8位大写字母或数字组成：{desk}",
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


def _random_desk_code() -> str:
    """A short code people can read off a receipt: a letter and a digit, e.g. 'A1'."""
    return secrets.choice(string.ascii_uppercase) + secrets.choice(string.digits)


def check_desk_code(code: str) -> str:
    folded = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{1,8}", folded):
        raise ValidationError("desk.bad_code", desk=code)
    return folded


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
