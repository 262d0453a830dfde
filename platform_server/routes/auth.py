"""Meta (handshake) and authentication endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select

from platform_server.auth import (
    CurrentInstitution,
    RuntimeDep,
    Throttle,
    client_address,
    issue_access,
    issue_pair,
    login_keys,
    new_device,
    revoke_device,
    rotate_refresh,
)
from platform_server.clock import iso_utc
from platform_server.db import SessionDep
from platform_server.errors import InvalidCredentials
from platform_server.models import Institution, Regulator
from platform_server.openapi_docs import errors
from platform_server.schemas import (
    AccessOut,
    LoginIn,
    MetaOut,
    RefreshIn,
    RegulatorLoginIn,
    StatusOut,
    TokenOut,
)
from platform_server.scope import InstitutionScope
from platform_server.settings import PROTOCOL_MAX, PROTOCOL_MIN, SCHEMA_VERSION

router = APIRouter(prefix="/v1")


@router.get("/meta", response_model=MetaOut, responses=errors())
def meta(rt: RuntimeDep) -> MetaOut:
    return MetaOut(
        protocol_min=PROTOCOL_MIN,
        protocol_max=PROTOCOL_MAX,
        schema_version=SCHEMA_VERSION,
        server_time=iso_utc(rt.clock.now()),
        retention_days=rt.settings.retention_days,
        epoch=rt.epoch,
    )


@router.post("/auth/login", response_model=TokenOut, responses=errors(401, 429))
def login(body: LoginIn, request: Request, session: SessionDep, rt: RuntimeDep) -> TokenOut:
    uscc = body.uscc.strip().upper()
    throttle = Throttle(session, rt)
    keys = login_keys(rt, "acct", uscc, client_address(request, rt.settings.trusted_proxies))
    throttle.check(keys)
    inst = session.scalar(select(Institution).where(Institution.uscc == uscc))
    if not rt.passwords.verify(inst.password_hash if inst else None, body.password) or inst is None:
        throttle.fail(keys)
        raise InvalidCredentials()
    throttle.clear([keys[0][0]])  # the pair's count; the account's and the address's ceilings keep theirs
    if rt.passwords.needs_rehash(inst.password_hash):
        inst.password_hash = rt.passwords.hash(body.password)
    device = new_device(session, rt, InstitutionScope(inst.id), body.device_name)
    pair, _ = issue_pair(session, rt, device, family=device.id)
    return TokenOut(**pair.__dict__)


@router.post("/auth/refresh", response_model=TokenOut, responses=errors(401))
def refresh(body: RefreshIn, session: SessionDep, rt: RuntimeDep) -> TokenOut:
    pair = rotate_refresh(session, rt, body.refresh_token)
    return TokenOut(**pair.__dict__)


@router.post("/auth/logout", response_model=StatusOut, responses=errors(401, 403))
def logout(scope: CurrentInstitution, session: SessionDep, rt: RuntimeDep) -> StatusOut:
    if scope.device_id is not None:
        revoke_device(session, scope.device_id, rt.clock.now())
    return StatusOut(status="logged_out")


@router.post("/auth/regulator/login", response_model=AccessOut, responses=errors(401, 429))
def regulator_login(
    body: RegulatorLoginIn, request: Request, session: SessionDep, rt: RuntimeDep
) -> AccessOut:
    throttle = Throttle(session, rt)
    keys = login_keys(rt, "reg", body.name, client_address(request, rt.settings.trusted_proxies))
    throttle.check(keys)
    reg = session.scalar(select(Regulator).where(Regulator.name == body.name))
    if not rt.passwords.verify(reg.password_hash if reg else None, body.password) or reg is None:
        throttle.fail(keys)
        raise InvalidCredentials("账号或密码错误 / Wrong credentials")
    throttle.clear([keys[0][0]])
    token = issue_access(session, rt, "regulator", reg.id, None)
    return AccessOut(access_token=token, expires_in=rt.settings.access_ttl_seconds)
