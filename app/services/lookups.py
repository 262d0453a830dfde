"""Lookups every use case shares: rows that respect tombstones, the institution, its policy profile, users."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InstDeskError, NotFound
from app.policy import PolicyParams
from app.services.labels import ENTITY_LABELS
from localdb.models import AppUser, Institution, PolicyProfile

MESSAGES: dict[str, str] = {
    "not_found": "{entity_label}不存在或已删除",
    "institution.missing": "尚未初始化机构信息，请先运行 instdesk init",
}
InstDeskError.register(MESSAGES)

M = TypeVar("M")


def get_live(session: Session, model: type[M], row_id: str) -> M:
    """The row with ``row_id``, refusing a missing row or a tombstone with one coded error."""
    row = session.get(model, row_id)
    if row is None or getattr(row, "deleted_at", None) is not None:
        table = str(getattr(model, "__tablename__", model.__name__))
        raise NotFound(
            "not_found", entity=table, entity_id=row_id, entity_label=ENTITY_LABELS.get(table, table)
        )
    return row


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


def display_name(session: Session, user: str | None) -> str:
    """The name a document prints for a local user given by id or username (经办人); empty when the user
    is not on this desk (users are local: a row synced from another desk names someone we do not know)."""
    if not user:
        return ""
    row = session.scalars(select(AppUser).where((AppUser.id == user) | (AppUser.username == user))).first()
    if row is None:
        return ""
    return row.display_name or row.username
