"""Training materials in the sync cycle: files up and down by hash, and answers to spot checks.

* ``upload_files`` runs before the push. It asks the platform which of the files that live materials
  point to it lacks (``POST /v1/material-files/missing``) and streams only those (``PUT
  /v1/material-files/{sha256}``); a file the platform already has, or has just taken, is marked uploaded
  in ``material_file``, so the next cycle asks nothing at all.
* ``fetch_files`` runs after the pull: a material filed by another desk of the institution brings its file
  down (hash checked) into this desk's store.
* ``send_spot_answers`` runs after the push (the materials an answer names are filed by then): each
  pending answer is one ``POST /v1/spot-checks/{id}/answer``; the platform's ``answered`` → ``sent``,
  ``late`` → ``late``, a refusal → ``failed`` (with its reason; the manager may answer again). Offline,
  timeouts and a busy server leave it pending for the next cycle.

See docs/materials.md.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.errors import InstDeskError
from app.material_store import file_chunks, has_blob, store_stream
from app.services.materials import materials_root
from localdb.codes import SpotAnswerState, SpotCheckStatus
from localdb.models import Material, MaterialFile, SpotCheckAnswer
from localdb.types import utc_now
from sync.client import ApiClient
from sync.errors import SyncError

log = logging.getLogger("sync.materials")
#: hashes asked about per request (the platform's own cap is 1000)
ASK_BATCH = 500
#: the platform's status of a check already answered (our own answer whose reply was lost) → our state
AFTER_CONFLICT: dict[str, SpotAnswerState] = {
    SpotCheckStatus.ANSWERED: SpotAnswerState.SENT,
    SpotCheckStatus.LATE: SpotAnswerState.LATE,
}
STOP_CODES = frozenset({"sync.offline", "sync.timeout", "sync.server_error"})


@dataclass(frozen=True)
class FilesResult:
    uploaded: int = 0
    already_there: int = 0
    not_on_this_desk: int = 0
    failed: int = 0


@dataclass(frozen=True)
class SpotAnswersResult:
    sent: int = 0
    late: int = 0
    failed: int = 0
    waiting: int = 0


def _not_uploaded(db: Database) -> list[tuple[str, int]]:
    with db.reading() as session:
        rows = session.execute(
            select(Material.sha256, Material.size_bytes)
            .outerjoin(MaterialFile, MaterialFile.sha256 == Material.sha256)
            .where(Material.deleted_at.is_(None), MaterialFile.uploaded_at.is_(None))
            .distinct()
        ).all()
        return [(sha, size) for sha, size in rows]


def _mark_uploaded(db: Database, files: list[tuple[str, int]]) -> None:
    if not files:
        return
    with db.transaction() as session:
        now = utc_now()
        for sha, size in files:
            row = session.get(MaterialFile, sha)
            if row is None:
                session.add(MaterialFile(sha256=sha, size_bytes=size, uploaded_at=now))
            else:
                row.uploaded_at = now


def _ask_missing(client: ApiClient, hashes: list[str]) -> set[str]:
    missing: set[str] = set()
    for start in range(0, len(hashes), ASK_BATCH):
        missing.update(client.missing_files(hashes[start : start + ASK_BATCH]))
    return missing


def _upload_one(db: Database, client: ApiClient, root: Path, sha: str, size: int) -> bool:
    """Stream one file; False when the platform refused it (logged; tried again next cycle)."""
    try:
        client.upload_file(sha, size, partial(file_chunks, root, sha))
    except SyncError as exc:
        if exc.transient:
            raise
        log.warning("material file %s refused: %s", sha[:12], exc)
        return False
    _mark_uploaded(db, [(sha, size)])
    return True


def upload_files(db: Database, client: ApiClient) -> FilesResult:
    """Upload the files the platform lacks; mark every file it has as uploaded."""
    pending = _not_uploaded(db)
    if not pending:
        return FilesResult()
    root = materials_root(db)
    sizes = dict(pending)
    missing = _ask_missing(client, [sha for sha, _ in pending])
    there = [(sha, size) for sha, size in pending if sha not in missing]
    _mark_uploaded(db, there)
    here = [sha for sha in sorted(missing) if has_blob(root, sha)]  # others: another desk's, not yet up
    uploaded = sum(_upload_one(db, client, root, sha, sizes[sha]) for sha in here)
    result = FilesResult(uploaded, len(there), len(missing) - len(here), len(here) - uploaded)
    log.info("material files: %s", result)
    return result


def fetch_files(db: Database, client: ApiClient) -> int:
    """Download the files of live materials this desk's store lacks (filed by another desk)."""
    root = materials_root(db)
    with db.reading() as session:
        rows = session.execute(
            select(Material.sha256, Material.size_bytes).where(Material.deleted_at.is_(None)).distinct()
        ).all()
    fetched = 0
    for sha, size in rows:
        if has_blob(root, sha):
            continue
        try:
            data = client.download_file(sha)
            store_stream(root, io.BytesIO(data), sha, max(size, len(data)), expected=sha)
        except SyncError as exc:
            if exc.transient:
                raise
            continue  # not uploaded yet by the desk that filed it: next cycle
        except InstDeskError as exc:
            log.warning("material file %s not kept: %s", sha[:12], exc)
            continue
        _mark_uploaded(db, [(sha, size)])
        fetched += 1
    return fetched


def _pending_answers(db: Database) -> list[tuple[str, str, str | None]]:
    with db.reading() as session:
        rows = session.execute(
            select(SpotCheckAnswer.request_id, SpotCheckAnswer.items, SpotCheckAnswer.note)
            .where(SpotCheckAnswer.state == SpotAnswerState.PENDING)
            .order_by(SpotCheckAnswer.created_at, SpotCheckAnswer.request_id)
        ).all()
        return [(rid, items, note) for rid, items, note in rows]


def send_spot_answers(db: Database, client: ApiClient) -> SpotAnswersResult:
    """Send every pending spot-check answer once; record each outcome."""
    counts = {SpotAnswerState.SENT: 0, SpotAnswerState.LATE: 0, SpotAnswerState.FAILED: 0}
    pending = _pending_answers(db)
    waiting = 0
    for index, (request_id, items, note) in enumerate(pending):
        try:
            reply = client.answer_spot_check(request_id, json.loads(items), note)
        except SyncError as exc:
            if exc.transient:
                _settle(db, request_id, SpotAnswerState.PENDING, f"{exc.code}: {exc}")
                waiting += 1
                if exc.code in STOP_CODES:
                    waiting += len(pending) - index - 1
                    break
                continue
            if exc.code not in ("sync.state_conflict", "sync.rejected_request"):
                raise
            state = str(exc.params.get("state", ""))
            outcome = AFTER_CONFLICT.get(state, SpotAnswerState.FAILED)  # a lost reply's answer was taken
            _settle(db, request_id, outcome, None if outcome != SpotAnswerState.FAILED else str(exc))
            counts[outcome] += 1
            continue
        late = reply.get("status") == SpotCheckStatus.LATE
        outcome = SpotAnswerState.LATE if late else SpotAnswerState.SENT
        _settle(db, request_id, outcome, None)
        counts[outcome] += 1
    return SpotAnswersResult(
        counts[SpotAnswerState.SENT], counts[SpotAnswerState.LATE], counts[SpotAnswerState.FAILED], waiting
    )


def _settle(db: Database, request_id: str, state: SpotAnswerState, error: str | None) -> None:
    with db.transaction() as session:
        answer = session.get(SpotCheckAnswer, request_id)
        if answer is None or answer.state != SpotAnswerState.PENDING:
            return
        answer.attempts += 1
        answer.last_error = error
        if state != SpotAnswerState.PENDING:
            answer.state = state
            answer.settled_at = utc_now()
