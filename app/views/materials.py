"""Read models of training materials and the platform's spot checks (docs/materials.md).

* a course's materials with their filing status: ``local`` (the metadata is not on the platform yet),
  ``file_pending`` (filed, but the file has not been uploaded) or ``filed``;
* spot checks (``platform_inbox`` rows of entity ``spot_check``): open ones first by deadline, with the
  time left and the state of the desk's answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.permissions import Actor, Permission, require
from localdb.codes import MaterialFiling, MaterialKind, SpotAnswerState, SpotCheckStatus
from localdb.models import Course, Klass, Material, MaterialFile, SpotCheckAnswer, SyncOutbox
from localdb.models_platform import PlatformInbox
from localdb.types import parse_utc


@dataclass(frozen=True)
class MaterialRow:
    material_id: str
    course_id: str
    title: str
    kind: MaterialKind
    version_label: str
    author: str | None
    reviewer: str | None
    reviewed_on: date | None
    klass_ids: tuple[str, ...]
    klass_names: str
    file_name: str
    size_bytes: int
    sha256: str
    filing: MaterialFiling


@dataclass(frozen=True)
class SpotCheckItem:
    request_id: str
    course_id: str | None
    course_name: str
    requested_at: datetime | None
    deadline_at: datetime | None
    status: SpotCheckStatus
    note: str | None
    answer_state: SpotAnswerState | None
    answered_late: bool

    def time_left(self, now: datetime) -> timedelta | None:
        """Until the deadline (negative once it has passed); None without a deadline."""
        return None if self.deadline_at is None else self.deadline_at - now

    @property
    def needs_answer(self) -> bool:
        return self.status == SpotCheckStatus.OPEN and self.answer_state in (None, SpotAnswerState.FAILED)


def _filing(version: int, pending: bool, uploaded: bool) -> MaterialFiling:
    if version == 0 or pending:
        return MaterialFiling.LOCAL
    return MaterialFiling.FILED if uploaded else MaterialFiling.FILE_PENDING


def course_materials(db: Database, actor: Actor, course_id: str) -> list[MaterialRow]:
    """The live materials of a course, by title."""
    require(actor, Permission.MANAGE_COURSES)
    pending = exists().where(SyncOutbox.entity == "material", SyncOutbox.entity_id == Material.id)
    with db.reading() as session:
        rows = session.execute(
            select(Material, pending, MaterialFile.uploaded_at)
            .outerjoin(MaterialFile, MaterialFile.sha256 == Material.sha256)
            .where(Material.course_id == course_id, Material.deleted_at.is_(None))
            .order_by(Material.title, Material.id)
        ).all()
        names = _klass_names(session, course_id)
        return [_row(m, bool(p), uploaded is not None, names) for m, p, uploaded in rows]


def _klass_names(session: Session, course_id: str) -> dict[str, str]:
    rows = session.execute(select(Klass.id, Klass.name).where(Klass.course_id == course_id)).all()
    return {kid: name for kid, name in rows}


def _row(m: Material, pending: bool, uploaded: bool, names: dict[str, str]) -> MaterialRow:
    ids = tuple(json.loads(m.klass_ids or "[]"))
    return MaterialRow(
        m.id,
        m.course_id,
        m.title,
        m.kind,
        m.version_label,
        m.author,
        m.reviewer,
        m.reviewed_on,
        ids,
        "、".join(names.get(i, i[:8]) for i in ids),
        m.file_name,
        m.size_bytes,
        m.sha256,
        _filing(m.version, pending, uploaded),
    )


def course_klasses(db: Database, actor: Actor, course_id: str) -> list[tuple[str, str]]:
    """(id, name) of the live classes of a course: what a material can be used by."""
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        rows = session.execute(
            select(Klass.id, Klass.name)
            .where(Klass.course_id == course_id, Klass.deleted_at.is_(None))
            .order_by(Klass.name)
        ).all()
        return [(kid, name) for kid, name in rows]


# --- spot checks ------------------------------------------------------------------------------------

_SPOT = (PlatformInbox.entity == "spot_check", PlatformInbox.deleted.is_(False))


def count_spot_checks(db: Database, actor: Actor, open_only: bool = False) -> int:
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        query = select(func.count()).select_from(PlatformInbox).where(*_SPOT)
        if open_only:
            query = query.where(PlatformInbox.status == SpotCheckStatus.OPEN)
        return int(session.scalar(query) or 0)


def list_spot_checks(db: Database, actor: Actor, offset: int = 0, limit: int = 200) -> list[SpotCheckItem]:
    """Open requests first (nearest deadline first), then answered ones, newest first."""
    require(actor, Permission.MANAGE_COURSES)
    is_open = case((PlatformInbox.status == SpotCheckStatus.OPEN, 0), else_=1)
    with db.reading() as session:
        rows = session.execute(
            select(PlatformInbox, Course.name, SpotCheckAnswer.state)
            .outerjoin(Course, Course.id == PlatformInbox.related_id)
            .outerjoin(SpotCheckAnswer, SpotCheckAnswer.request_id == PlatformInbox.entity_id)
            .where(*_SPOT)
            .order_by(
                is_open, PlatformInbox.deadline, PlatformInbox.received_at.desc(), PlatformInbox.entity_id
            )
            .offset(offset)
            .limit(limit)
        ).all()
        return [_spot_item(row, name, state) for row, name, state in rows]


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_utc(value).astimezone(UTC)
    except ValueError:
        return None


def _status(value: str | None) -> SpotCheckStatus:
    """The platform's status (an unknown one, from a newer platform, is shown as still open)."""
    try:
        return SpotCheckStatus(value or SpotCheckStatus.OPEN)
    except ValueError:
        return SpotCheckStatus.OPEN


def _spot_item(
    row: PlatformInbox, course_name: str | None, answer_state: SpotAnswerState | None
) -> SpotCheckItem:
    try:
        payload = json.loads(row.payload or "{}")
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    status = _status(row.status)
    return SpotCheckItem(
        row.entity_id,
        row.related_id,
        course_name or str(payload.get("course_name") or row.related_id or ""),
        _instant(payload.get("requested_at")),
        _instant(payload.get("deadline_at")),
        status,
        str(payload["note"]) if payload.get("note") else None,
        answer_state,
        status == SpotCheckStatus.LATE,
    )
