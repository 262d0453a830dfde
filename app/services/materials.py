"""Training materials (培训材料) of a course and answers to the platform's spot checks (抽查).

A material is synced metadata (title, kind, version, author/source, 审核人 and date, the classes that use
it) plus the SHA-256 of its file; the file is copied into the content-addressed store beside the database
(``app.material_store``) before the row is written, so a row never points at a file this desk lacks. The
next sync uploads the files the platform does not have yet and files the metadata (``sync.materials``).

A spot check comes down from the platform into the inbox (entity ``spot_check``) with a deadline; the
manager answers with the course's materials as they are (the filed version) or after adding a new version.
The answer keeps the hash and version of each material at that moment and is sent by the next sync; the
platform records an answer after the deadline as late (docs/materials.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, NotFound, RuleViolation, ValidationError
from app.material_store import MAX_FILE_BYTES, StoredFile, display_name, store_file
from app.paths import data_dir
from app.permissions import Actor, Permission, require
from app.services.lookups import get_live
from app.services.parsing import require_choice
from app.validators import validate_name
from localdb import codes
from localdb.codes import MaterialKind, SpotAnswerState, SpotCheckStatus
from localdb.models import Course, Klass, Material, MaterialFile, SpotCheckAnswer
from localdb.models_platform import PlatformInbox

InstDeskError.register(
    {
        "material.bad_klass": "班级 {klass_id} 不属于该课程或已删除",
        "material.bad_field": "培训材料不能修改字段“{field}”",
        "material.version_required": "请填写新版本的版本号",
        "material.same_version": "新版本的版本号不能与当前版本“{version_label}”相同",
        "material.text_too_long": "{field}不能超过 {limit} 个字",
        "spot_check.not_found": "平台抽查请求 {request_id} 不存在",
        "spot_check.closed": "该抽查请求已是“{status_label}”，不需要再答复",
        "spot_check.already_answered": "该抽查请求已答复（{state_label}），不能重复答复",
        "spot_check.unknown_course": "抽查的课程 {course_id} 不在本机（请先同步）",
        "spot_check.no_materials": "该课程还没有培训材料，请先添加材料再答复抽查",
        "spot_check.not_course_material": "材料 {material_id} 不是被抽查课程的材料",
    }
)

#: the answer states that settle a spot check (a ``failed`` answer may be made again)
ANSWERED_STATES = (SpotAnswerState.PENDING, SpotAnswerState.SENT, SpotAnswerState.LATE)
ANSWER_LABELS = {
    SpotAnswerState.PENDING: "待同步到平台",
    SpotAnswerState.SENT: "已按时答复",
    SpotAnswerState.LATE: "逾期答复",
    SpotAnswerState.FAILED: "平台未接受",
}
STATUS_LABELS: dict[str, str] = {
    SpotCheckStatus.OPEN: "待答复",
    SpotCheckStatus.ANSWERED: "已答复",
    SpotCheckStatus.LATE: "逾期答复",
}
_TEXT_LIMITS = {"author": ("作者/来源", 100), "reviewer": ("审核人", 50), "version_label": ("版本号", 40)}


@dataclass(frozen=True)
class MaterialInput:
    course_id: str
    title: str
    kind: str = MaterialKind.HANDOUT
    version_label: str = "1"
    author: str | None = None
    reviewer: str | None = None
    reviewed_on: date | None = None
    klass_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MaterialInfo:
    material_id: str
    course_id: str
    title: str
    kind: MaterialKind
    version_label: str
    author: str | None
    reviewer: str | None
    reviewed_on: date | None
    klass_ids: tuple[str, ...]
    sha256: str
    size_bytes: int
    file_name: str


@dataclass(frozen=True)
class SpotAnswerResult:
    request_id: str
    items: tuple[dict[str, str], ...]
    state: str


def materials_root(db: Database) -> Path:
    """The store folder: ``materials`` beside the database (the user data folder for one in memory)."""
    if db.path is not None:
        return db.path.resolve().parent / "materials"
    return data_dir() / "materials"


def _info(row: Material) -> MaterialInfo:
    return MaterialInfo(
        row.id,
        row.course_id,
        row.title,
        row.kind,
        row.version_label,
        row.author,
        row.reviewer,
        row.reviewed_on,
        tuple(json.loads(row.klass_ids or "[]")),
        row.sha256,
        row.size_bytes,
        row.file_name,
    )


def _text(field: str, value: str | None) -> str | None:
    cleaned = (value or "").strip() or None
    label, limit = _TEXT_LIMITS[field]
    if cleaned is not None and len(cleaned) > limit:
        raise ValidationError("material.text_too_long", field=label, limit=limit)
    return cleaned


def _klass_ids(session: Session, course_id: str, klass_ids: tuple[str, ...]) -> str:
    """The JSON list of ``klass_ids`` after checking each is a live class of the course."""
    wanted = list(dict.fromkeys(klass_ids))
    if wanted:
        found = set(
            session.scalars(
                select(Klass.id).where(
                    Klass.id.in_(wanted), Klass.course_id == course_id, Klass.deleted_at.is_(None)
                )
            )
        )
        for klass_id in wanted:
            if klass_id not in found:
                raise ValidationError("material.bad_klass", klass_id=klass_id)
    return json.dumps(wanted)


def _fields(session: Session, data: MaterialInput) -> dict[str, object]:
    get_live(session, Course, data.course_id)
    return {
        "course_id": data.course_id,
        "title": validate_name(data.title, "材料名称"),
        "kind": require_choice("kind", data.kind, codes.MATERIAL_KINDS),
        "version_label": _text("version_label", data.version_label) or "1",
        "author": _text("author", data.author),
        "reviewer": _text("reviewer", data.reviewer),
        "reviewed_on": data.reviewed_on,
        "klass_ids": _klass_ids(session, data.course_id, data.klass_ids),
    }


def _remember_file(session: Session, stored: StoredFile) -> None:
    if session.get(MaterialFile, stored.sha256) is None:
        session.add(MaterialFile(sha256=stored.sha256, size_bytes=stored.size_bytes))


def add_material(db: Database, actor: Actor, data: MaterialInput, source: Path) -> MaterialInfo:
    """Store ``source`` in the material store and record the material of a course (filed by the next
    sync). The file is refused when empty, unreadable or over ``MAX_FILE_BYTES``."""
    require(actor, Permission.MANAGE_COURSES)
    with db.reading() as session:
        _fields(session, data)  # bad metadata is refused before a byte is copied
    stored = store_file(materials_root(db), source, MAX_FILE_BYTES)
    with db.transaction() as session:
        row = Material(
            **_fields(session, data),
            sha256=stored.sha256,
            size_bytes=stored.size_bytes,
            file_name=display_name(source),
        )
        session.add(row)
        _remember_file(session, stored)
        session.flush()
        audit(session, actor, "material.add", "material", row.id, title=row.title, sha256=stored.sha256)
        return _info(row)


_EDITABLE = ("title", "kind", "author", "reviewer", "reviewed_on", "klass_ids")


def update_material(db: Database, actor: Actor, material_id: str, **changes: object) -> MaterialInfo:
    """Change a material's metadata (not its file or version: that is ``new_version``)."""
    require(actor, Permission.MANAGE_COURSES)
    for name in changes:
        if name not in _EDITABLE:
            raise ValidationError("material.bad_field", field=name)
    with db.transaction() as session:
        row = get_live(session, Material, material_id)
        current = _info(row)
        data = MaterialInput(
            course_id=row.course_id,
            title=str(changes.get("title", current.title)),
            kind=str(changes.get("kind", current.kind)),
            version_label=current.version_label,
            author=changes.get("author", current.author),  # type: ignore[arg-type]
            reviewer=changes.get("reviewer", current.reviewer),  # type: ignore[arg-type]
            reviewed_on=changes.get("reviewed_on", current.reviewed_on),  # type: ignore[arg-type]
            klass_ids=tuple(changes.get("klass_ids", current.klass_ids)),  # type: ignore[arg-type]
        )
        for key, value in _fields(session, data).items():
            setattr(row, key, value)
        audit(session, actor, "material.update", "material", row.id, fields=sorted(changes))
        session.flush()
        return _info(row)


def new_version(
    db: Database,
    actor: Actor,
    material_id: str,
    source: Path,
    version_label: str,
    reviewer: str | None = None,
    reviewed_on: date | None = None,
) -> MaterialInfo:
    """Replace a material's file with a new version (a new version label; reviewed anew)."""
    require(actor, Permission.MANAGE_COURSES)
    label = _text("version_label", version_label)
    if label is None:
        raise ValidationError("material.version_required")
    with db.reading() as session:
        current = _info(get_live(session, Material, material_id))
    if label == current.version_label:
        raise ValidationError("material.same_version", version_label=current.version_label)
    stored = store_file(materials_root(db), source, MAX_FILE_BYTES)
    with db.transaction() as session:
        row = get_live(session, Material, material_id)
        row.version_label = label
        row.sha256, row.size_bytes, row.file_name = stored.sha256, stored.size_bytes, display_name(source)
        row.reviewer, row.reviewed_on = _text("reviewer", reviewer), reviewed_on
        _remember_file(session, stored)
        audit(session, actor, "material.new_version", "material", row.id, version=label, sha256=stored.sha256)
        session.flush()
        return _info(row)


def delete_material(db: Database, actor: Actor, material_id: str) -> None:
    """Tombstone a material (its file stays in the store and on the platform for past spot checks)."""
    require(actor, Permission.MANAGE_COURSES)
    with db.transaction() as session:
        row = get_live(session, Material, material_id)
        row.deleted_at = now_utc()
        audit(session, actor, "material.delete", "material", material_id)


def get_material(db: Database, material_id: str) -> MaterialInfo:
    with db.reading() as session:
        return _info(get_live(session, Material, material_id))


# --- spot checks ------------------------------------------------------------------------------------


def _spot_check(session: Session, request_id: str) -> PlatformInbox:
    row = session.scalars(
        select(PlatformInbox).where(
            PlatformInbox.entity == "spot_check", PlatformInbox.entity_id == request_id
        )
    ).first()
    if row is None or row.deleted:
        raise NotFound("spot_check.not_found", request_id=request_id)
    return row


def _answer_items(session: Session, course_id: str, material_ids: list[str] | None) -> list[dict[str, str]]:
    live = {
        m.id: m
        for m in session.scalars(
            select(Material)
            .where(Material.course_id == course_id, Material.deleted_at.is_(None))
            .order_by(Material.title, Material.id)
        )
    }
    chosen = list(dict.fromkeys(material_ids)) if material_ids else list(live)
    if not chosen:
        raise RuleViolation("spot_check.no_materials", course_id=course_id)
    for material_id in chosen:
        if material_id not in live:
            raise RuleViolation("spot_check.not_course_material", material_id=material_id)
    return [
        {"material_id": m.id, "sha256": m.sha256, "version_label": m.version_label}
        for m in (live[i] for i in chosen)
    ]


def _open_request_course(session: Session, request_id: str) -> str:
    """The course of an open spot check this desk knows; refused otherwise."""
    request = _spot_check(session, request_id)
    if request.status not in (None, SpotCheckStatus.OPEN):
        status = str(request.status)
        raise RuleViolation(
            "spot_check.closed", status=status, status_label=STATUS_LABELS.get(status, status)
        )
    course_id = request.related_id or ""
    course = session.get(Course, course_id)
    if course is None or course.deleted_at is not None:
        raise RuleViolation("spot_check.unknown_course", course_id=course_id)
    return course_id


def _forget_failed_answer(session: Session, request_id: str) -> None:
    """Make room for a new answer: refused while one is waiting or taken; a ``failed`` one is replaced."""
    previous = session.get(SpotCheckAnswer, request_id)
    if previous is None:
        return
    if previous.state in ANSWERED_STATES:
        label = ANSWER_LABELS[previous.state]
        raise RuleViolation("spot_check.already_answered", state=previous.state, state_label=label)
    session.delete(previous)
    session.flush()


def answer_spot_check(
    db: Database,
    actor: Actor,
    request_id: str,
    material_ids: list[str] | None = None,
    note: str | None = None,
) -> SpotAnswerResult:
    """Answer a spot check with the course's materials as they are now (all of them unless chosen).

    Offline-first: the answer is stored with its audit entry and sent by the next sync (after the files
    and metadata it names). Refused for a request that is not open, one already answered, a course this
    desk does not know, or a course without materials.
    """
    require(actor, Permission.MANAGE_COURSES)
    with db.transaction() as session:
        course_id = _open_request_course(session, request_id)
        _forget_failed_answer(session, request_id)
        items = _answer_items(session, course_id, material_ids)
        session.add(
            SpotCheckAnswer(
                request_id=request_id,
                items=json.dumps(items),
                note=(note or "").strip()[:2000] or None,
                state=SpotAnswerState.PENDING,
                created_by=actor.username,
            )
        )
        audit(session, actor, "spot_check.answer", "spot_check", request_id, materials=len(items))
        return SpotAnswerResult(request_id, tuple(items), SpotAnswerState.PENDING)
