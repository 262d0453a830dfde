"""Training materials on the platform: files by hash, and regulators' spot checks (docs/materials.md).

Files. An institution uploads a file under its SHA-256 with its size declared (``PUT
/v1/material-files/{sha256}?size=N``). The body is streamed into a temporary file while it is hashed and
counted; more than the declared size or than ``Settings.max_file_bytes`` stops it (413), and a file whose
hash or size is not what was declared is refused (422) and never kept. A good file is renamed into
``<files root>/<institution id>/<2 hex>/<62 hex>`` (an existing one is never replaced) and recorded in
``material_file`` for that institution only: another institution that knows the hash gets 404 on reading
it and, by uploading, only ever writes its own copy. The material's metadata is an ordinary synced entity
(``material``, checked in ``payloads``).

Spot checks. A regulator asks for one course's materials with a deadline (``request_spot_check``); it is a
``spot_check`` row in the change feed, so it reaches the desk's inbox with the next pull. The institution
answers with materials of that course whose files it has uploaded (``answer_spot_check``). An answer after
the deadline is **taken and recorded as late** (``status = late``) rather than refused: the regulator then
has the materials and the record that they came late, which is what a follow-up needs; a second answer is
refused (409).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import platformdirs
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_server.clock import SHANGHAI, iso_utc
from platform_server.errors import ApiError, NotFound, StateConflict
from platform_server.feed import Emitter
from platform_server.ids import new_row_id
from platform_server.models import EntityRow, MaterialFile, SpotCheck
from platform_server.regulator_service import live_row
from platform_server.runtime import Runtime
from platform_server.schemas_materials import SpotAnswerIn, SpotCheckIn
from platform_server.scope import InstitutionScope, scoped
from platform_server.settings import Settings


class FileTooLarge(ApiError):
    status = 413
    code = "file_too_large"
    message = "文件超过平台的大小上限 / The file is larger than the platform accepts"


class FileMismatch(ApiError):
    status = 422
    code = "file_mismatch"
    message = "文件内容与声明的哈希或大小不符 / The file does not match its declared hash or size"


class BadAnswer(ApiError):
    status = 422
    code = "bad_answer"
    message = "抽查答复无效 / Invalid spot-check answer"


def files_root(settings: Settings) -> Path:
    """Where files are kept: ``files_dir``, else beside a SQLite database file, else the user data dir."""
    if settings.files_dir:
        return Path(settings.files_dir)
    prefix = "sqlite:///"
    if settings.db_url.startswith(prefix) and ":memory:" not in settings.db_url:
        return Path(settings.db_url[len(prefix) :]).resolve().parent / "material_files"
    return Path(platformdirs.user_data_dir("instdesk-platform", "InstDesk")) / "material_files"


def file_path(root: Path, institution_id: str, sha256: str) -> Path:
    # both parts were validated (a token's institution id; the route's 64-hex pattern): no name from a
    # request ever becomes a path on its own
    return root / institution_id / sha256[:2] / sha256[2:]


# --- files --------------------------------------------------------------------------------------------


def missing_files(session: Session, scope: InstitutionScope, hashes: list[str]) -> list[str]:
    """Those of ``hashes`` this institution has not uploaded (in the order asked)."""
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return []
    with scoped(session, scope):
        have = set(session.scalars(select(MaterialFile.sha256).where(MaterialFile.sha256.in_(wanted))))
    return [h for h in wanted if h not in have]


def check_declared_size(rt: Runtime, size: int) -> None:
    if size > rt.settings.max_file_bytes:
        raise FileTooLarge(limit_bytes=rt.settings.max_file_bytes)


async def receive_file(
    rt: Runtime, scope: InstitutionScope, sha256: str, size: int, body: AsyncIterator[bytes]
) -> Path:
    """Stream ``body`` into a temporary file of the institution's folder; returns it once its hash and
    size match what was declared (the caller records and places it: ``record_file``)."""
    check_declared_size(rt, size)
    folder = files_root(rt.settings) / scope.institution_id
    await anyio.to_thread.run_sync(lambda: folder.mkdir(parents=True, exist_ok=True))
    fd, name = tempfile.mkstemp(prefix=".incoming-", dir=folder)
    temp = Path(name)
    try:
        digest, received = await _write(fd, body, min(size, rt.settings.max_file_bytes), rt)
        if digest != sha256 or received != size:
            raise FileMismatch(declared_sha256=sha256, declared_size=size, received_size=received)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


async def _write(fd: int, body: AsyncIterator[bytes], limit: int, rt: Runtime) -> tuple[str, int]:
    hasher = hashlib.sha256()
    received = 0
    with os.fdopen(fd, "wb") as out:
        async for chunk in body:
            received += len(chunk)
            if received > limit:
                if received > rt.settings.max_file_bytes:
                    raise FileTooLarge(limit_bytes=rt.settings.max_file_bytes)
                raise FileMismatch(received_more_than_declared=True)
            hasher.update(chunk)
            await anyio.to_thread.run_sync(out.write, chunk)
        out.flush()
        await anyio.to_thread.run_sync(os.fsync, out.fileno())
    return hasher.hexdigest(), received


def record_file(rt: Runtime, scope: InstitutionScope, sha256: str, size: int, temp: Path) -> dict[str, Any]:
    """Place a received file under its hash (kept if already there) and record it for the institution."""
    final = file_path(files_root(rt.settings), scope.institution_id, sha256)
    try:
        if not final.is_file():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)
    with rt.sessionmaker() as session, scoped(session, scope):
        row = _file_row(session, sha256)
        created = row is None
        if row is None:
            row = MaterialFile(
                institution_id=scope.institution_id,
                sha256=sha256,
                size_bytes=size,
                uploaded_at=rt.clock.now(),
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # the same file arrived from another desk meanwhile: theirs is kept
                session.rollback()
                created, row = False, _file_row(session, sha256)
        assert row is not None
        uploaded = iso_utc(row.uploaded_at)
        return {"sha256": sha256, "size_bytes": row.size_bytes, "uploaded_at": uploaded, "created": created}


def _file_row(session: Session, sha256: str) -> MaterialFile | None:
    return session.scalar(select(MaterialFile).where(MaterialFile.sha256 == sha256))


def stored_file(session: Session, rt: Runtime, scope: InstitutionScope, sha256: str) -> tuple[Path, int]:
    """The path and size of a file the institution uploaded; 404 for any other (whoever else has it)."""
    with scoped(session, scope):
        row = _file_row(session, sha256)
    path = file_path(files_root(rt.settings), scope.institution_id, sha256)
    if row is None or not path.is_file():
        raise NotFound("文件不存在 / Unknown file")
    return path, row.size_bytes


# --- spot checks ------------------------------------------------------------------------------------


def spot_payload(check: SpotCheck, course_name: str | None) -> dict[str, Any]:
    items = check.answer.get("items") if check.answer else None
    return {
        "id": check.id,
        "course_id": check.course_id,
        "course_name": course_name,
        "note": check.note,
        "status": check.status,
        "requested_at": iso_utc(check.requested_at),
        "deadline_at": iso_utc(check.deadline_at),
        "deadline": check.deadline_at.astimezone(SHANGHAI).date().isoformat(),
        "answered_at": iso_utc(check.answered_at) if check.answered_at else None,
        "items": items,
    }


def _emit(emitter: Emitter, check: SpotCheck, course_name: str | None, op: str) -> None:
    state = emitter.new("spot_check", check.id) if op == "insert" else emitter.get("spot_check", check.id)
    emitter.put(state, op, spot_payload(check, course_name), None)


def request_spot_check(
    session: Session, rt: Runtime, scope: InstitutionScope, body: SpotCheckIn
) -> dict[str, Any]:
    """A regulator's spot check of a live course of the institution (404 for an unknown course)."""
    now = rt.clock.now()
    emitter = Emitter(session, scope, now, rt.clock.today())
    course = live_row(emitter, "course", body.course_id)
    deadline = now + dt.timedelta(hours=body.deadline_hours)
    check = SpotCheck(
        id=new_row_id(),
        institution_id=scope.institution_id,
        course_id=body.course_id,
        note=body.note,
        status="open",
        requested_at=now,
        deadline_at=deadline,
    )
    session.add(check)
    session.flush()
    name = course.payload.get("name")
    _emit(emitter, check, str(name) if name else None, "insert")
    emitter.flush()
    return spot_payload(check, str(name) if name else None)


def _check_of(session: Session, check_id: str) -> SpotCheck:
    """One spot check of the scoped institution (404 for another's, whoever asks)."""
    check = session.scalar(select(SpotCheck).where(SpotCheck.id == check_id))
    if check is None:
        raise NotFound("抽查请求不存在 / Unknown spot check")
    return check


def _course_name(session: Session, course_id: str) -> str | None:
    payload = session.scalar(
        select(EntityRow.payload).where(EntityRow.entity == "course", EntityRow.entity_id == course_id)
    )
    return str(payload.get("name")) if payload and payload.get("name") else None


def answer_spot_check(
    session: Session, rt: Runtime, scope: InstitutionScope, check_id: str, body: SpotAnswerIn
) -> dict[str, Any]:
    """Take the institution's answer: materials of the checked course whose files it uploaded. Late
    (after ``deadline_at``) is taken and recorded as ``late``; a second answer is refused (409)."""
    with scoped(session, scope):
        check = _check_of(session, check_id)
        if check.status != "open":
            raise StateConflict(status=check.status)
        now = rt.clock.now()
        emitter = Emitter(session, scope, now, rt.clock.today())
        for item in body.items:
            _check_item(session, emitter, scope, check.course_id, item.material_id, item.sha256)
        check.status = "late" if now > check.deadline_at else "answered"
        check.answered_at = now
        check.answer = {"items": [item.model_dump() for item in body.items], "note": body.note}
        session.flush()
        name = _course_name(session, check.course_id)
        _emit(emitter, check, name, "update")
        emitter.flush()
        return spot_payload(check, name)


def _check_item(
    session: Session, emitter: Emitter, scope: InstitutionScope, course_id: str, material_id: str, sha256: str
) -> None:
    material = emitter.get("material", material_id)
    if not material.version or material.deleted or material.payload.get("course_id") != course_id:
        raise BadAnswer(f"材料 {material_id} 不是被抽查课程的已报送材料 / not a filed material of the course")
    if missing_files(session, scope, [sha256]):
        raise BadAnswer(f"文件 {sha256} 尚未上传 / file not uploaded yet", sha256=sha256)


def list_spot_checks(session: Session, scope: InstitutionScope) -> list[dict[str, Any]]:
    with scoped(session, scope):
        checks = session.scalars(select(SpotCheck).order_by(SpotCheck.requested_at.desc()).limit(1000)).all()
        return [spot_payload(c, _course_name(session, c.course_id)) for c in checks]
