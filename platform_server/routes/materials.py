"""Training materials: the institution's file upload/download by hash and spot-check answers, and the
regulator's spot checks (docs/materials.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse

from platform_server import materials
from platform_server import regulator_service as regulators
from platform_server.auth import (
    BearerDep,
    CurrentInstitution,
    CurrentRegulator,
    RuntimeDep,
    current_institution,
)
from platform_server.db import SessionDep
from platform_server.openapi_docs import errors
from platform_server.schemas_materials import (
    MaterialFileOut,
    MissingFilesIn,
    MissingFilesOut,
    SpotAnswerIn,
    SpotCheckIn,
    SpotCheckOut,
)
from platform_server.scope import InstitutionScope


def institution_before_upload(rt: RuntimeDep, creds: BearerDep) -> InstitutionScope:
    """The caller's institution, looked up in a session closed before the body is read: an upload may
    take minutes, and the request session would hold SQLite's write lock all that time."""
    with rt.sessionmaker() as session:
        scope = current_institution(session, rt, creds)
        session.commit()
    return scope


UploadingInstitution = Annotated[InstitutionScope, Depends(institution_before_upload)]
institution = APIRouter(prefix="/v1", tags=["institution"])
regulator = APIRouter(prefix="/v1/regulator", tags=["regulator"])
HashPath = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="文件的 SHA-256 / the file's SHA-256")]
OCTET_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@institution.post("/material-files/missing", response_model=MissingFilesOut, responses=errors(401, 403, 422))
def missing_files(body: MissingFilesIn, scope: CurrentInstitution, session: SessionDep) -> MissingFilesOut:
    """Which of these files this institution has not uploaded yet (upload only those)."""
    return MissingFilesOut(missing=materials.missing_files(session, scope, body.sha256))


@institution.put(
    "/material-files/{sha256}",
    response_model=MaterialFileOut,
    responses=errors(401, 403, 413, 422),
    openapi_extra=OCTET_BODY,
)
async def upload_file(
    sha256: HashPath,
    request: Request,
    scope: UploadingInstitution,
    rt: RuntimeDep,
    size: Annotated[int, Query(ge=1, le=2**53, description="文件字节数 / the file's size in bytes")],
) -> MaterialFileOut:
    """The file's bytes as the body (streamed; at most the platform's limit, 50 MiB by default). The hash
    and size are checked against what was declared; an existing file is kept as it is."""
    temp = await materials.receive_file(rt, scope, sha256, size, request.stream())
    stored = await run_in_threadpool(materials.record_file, rt, scope, sha256, size, temp)
    return MaterialFileOut(**stored)


@institution.get(
    "/material-files/{sha256}",
    responses={**errors(401, 403, 404), 200: {"content": {"application/octet-stream": {}}}},
    response_class=FileResponse,
)
def download_file(
    sha256: HashPath, scope: CurrentInstitution, session: SessionDep, rt: RuntimeDep
) -> FileResponse:
    """A file this institution uploaded (404 for any other, whoever uploaded it)."""
    path, _ = materials.stored_file(session, rt, scope, sha256)
    return FileResponse(path, media_type="application/octet-stream")


@institution.post(
    "/spot-checks/{check_id}/answer", response_model=SpotCheckOut, responses=errors(401, 403, 404, 409, 422)
)
def answer_spot_check(
    check_id: str, body: SpotAnswerIn, scope: CurrentInstitution, session: SessionDep, rt: RuntimeDep
) -> SpotCheckOut:
    """Answer a spot check with filed materials of its course; after the deadline it is recorded late."""
    return SpotCheckOut(**materials.answer_spot_check(session, rt, scope, check_id, body))


@regulator.post(
    "/institutions/{institution_id}/spot-checks",
    response_model=SpotCheckOut,
    responses=errors(401, 403, 404, 422),
)
def request_spot_check(
    institution_id: str, body: SpotCheckIn, _: CurrentRegulator, session: SessionDep, rt: RuntimeDep
) -> SpotCheckOut:
    """Ask an institution for one course's training materials within ``deadline_hours``."""
    scope = regulators.institution_scope(session, institution_id)
    return SpotCheckOut(**materials.request_spot_check(session, rt, scope, body))


@regulator.get(
    "/institutions/{institution_id}/spot-checks",
    response_model=list[SpotCheckOut],
    responses=errors(401, 403, 404),
)
def spot_checks(institution_id: str, _: CurrentRegulator, session: SessionDep) -> list[SpotCheckOut]:
    scope = regulators.institution_scope(session, institution_id)
    return [SpotCheckOut(**item) for item in materials.list_spot_checks(session, scope)]


@regulator.get(
    "/institutions/{institution_id}/material-files/{sha256}",
    responses={**errors(401, 403, 404), 200: {"content": {"application/octet-stream": {}}}},
    response_class=FileResponse,
)
def regulator_file(
    institution_id: str, sha256: HashPath, _: CurrentRegulator, session: SessionDep, rt: RuntimeDep
) -> FileResponse:
    """A file an institution filed (to read the materials of a spot-check answer)."""
    path, _size = materials.stored_file(
        session, rt, regulators.institution_scope(session, institution_id), sha256
    )
    return FileResponse(path, media_type="application/octet-stream")
