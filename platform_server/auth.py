"""Logins, token rotation, the login throttle, and the dependencies that scope every request."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from platform_server.db import SessionDep
from platform_server.errors import Forbidden, TooManyAttempts, Unauthorized
from platform_server.models import AccessToken, Device, LoginAttempt, RefreshToken
from platform_server.runtime import Runtime, runtime
from platform_server.security import new_token

bearer = HTTPBearer(auto_error=False, description="Access token from /v1/auth/login")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
RuntimeDep = Annotated[Runtime, Depends(runtime)]


@dataclass(frozen=True)
class InstitutionScope:
    """The caller's institution; repositories accept only this, so every query is scoped."""

    institution_id: str
    device_id: str | None


@dataclass(frozen=True)
class RegulatorPrincipal:
    regulator_id: str


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    device_id: str


def _lookup(session: Session, rt: Runtime, creds: HTTPAuthorizationCredentials | None) -> AccessToken:
    if creds is None or creds.scheme.lower() != "bearer" or not creds.credentials:
        raise Unauthorized()
    row = session.scalar(
        select(AccessToken).where(AccessToken.token_hash == rt.tokens.hash(creds.credentials))
    )
    if row is None or row.expires_at <= rt.clock.now():
        raise Unauthorized()
    return row


def current_institution(session: SessionDep, rt: RuntimeDep, creds: BearerDep) -> InstitutionScope:
    row = _lookup(session, rt, creds)
    if row.kind != "institution":
        raise Forbidden("需要机构账号 / Institution account required")
    return InstitutionScope(institution_id=row.principal_id, device_id=row.device_id)


def current_regulator(session: SessionDep, rt: RuntimeDep, creds: BearerDep) -> RegulatorPrincipal:
    row = _lookup(session, rt, creds)
    if row.kind != "regulator":
        raise Forbidden("需要监管账号 / Regulator account required")
    return RegulatorPrincipal(regulator_id=row.principal_id)


def parent_access(session: SessionDep, rt: RuntimeDep, creds: BearerDep) -> None:
    """Parent simulation: a regulator token, or the test-only open switch."""
    if rt.settings.parent_sim_open and creds is None:
        return
    current_regulator(session, rt, creds)


CurrentInstitution = Annotated[InstitutionScope, Depends(current_institution)]
CurrentRegulator = Annotated[RegulatorPrincipal, Depends(current_regulator)]
ParentAccess = Annotated[None, Depends(parent_access)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Throttle:
    """Failed logins per key ("acct:…", "addr:…"): after N failures, a lock that doubles up to a cap."""

    def __init__(self, session: Session, rt: Runtime) -> None:
        self.session = session
        self.rt = rt

    def check(self, keys: list[tuple[str, int]]) -> None:
        now = self.rt.clock.now()
        rows = self.session.scalars(select(LoginAttempt).where(LoginAttempt.key.in_([k for k, _ in keys])))
        for row in rows:
            if row.locked_until is not None and row.locked_until > now:
                wait = int((row.locked_until - now).total_seconds()) + 1
                raise TooManyAttempts(retry_after=wait)

    def fail(self, keys: list[tuple[str, int]]) -> None:
        s = self.rt.settings
        now = self.rt.clock.now()
        for key, limit in keys:
            row = self.session.scalar(select(LoginAttempt).where(LoginAttempt.key == key).with_for_update())
            if row is None:
                row = LoginAttempt(key=key, failures=0, window_start=now, locked_until=None)
                self.session.add(row)
            elif row.window_start + dt.timedelta(seconds=s.login_window_seconds) < now:
                row.failures, row.window_start, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= limit:
                lock = min(30 * 2 ** (row.failures - limit), s.login_lock_max_seconds)
                row.locked_until = now + dt.timedelta(seconds=lock)
        self.session.commit()  # the failure must survive the error response

    def clear(self, key: str) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


def issue_access(session: Session, rt: Runtime, kind: str, principal_id: str, device_id: str | None) -> str:
    token = new_token()
    expires = rt.clock.now() + dt.timedelta(seconds=rt.settings.access_ttl_seconds)
    session.add(
        AccessToken(
            token_hash=rt.tokens.hash(token),
            kind=kind,
            principal_id=principal_id,
            device_id=device_id,
            expires_at=expires,
        )
    )
    return token


def issue_pair(session: Session, rt: Runtime, institution_id: str, device_id: str, family: str) -> TokenPair:
    access = issue_access(session, rt, "institution", institution_id, device_id)
    refresh = new_token()
    now = rt.clock.now()
    session.add(
        RefreshToken(
            token_hash=rt.tokens.hash(refresh),
            family_id=family,
            device_id=device_id,
            created_at=now,
            expires_at=now + dt.timedelta(days=rt.settings.refresh_ttl_days),
            used_at=None,
            revoked=False,
        )
    )
    return TokenPair(access, refresh, rt.settings.access_ttl_seconds, device_id)


def new_device(session: Session, rt: Runtime, institution_id: str, name: str) -> Device:
    device = Device(
        id=str(uuid.uuid4()),
        institution_id=institution_id,
        name=name,
        created_at=rt.clock.now(),
        revoked_at=None,
        last_seq=0,
    )
    session.add(device)
    return device


def revoke_device(session: Session, device_id: str, now: dt.datetime) -> None:
    session.execute(update(Device).where(Device.id == device_id).values(revoked_at=now))
    session.execute(delete(AccessToken).where(AccessToken.device_id == device_id))
    session.execute(update(RefreshToken).where(RefreshToken.device_id == device_id).values(revoked=True))


def rotate_refresh(session: Session, rt: Runtime, token: str) -> TokenPair:
    """Use a refresh token once; a used token coming back revokes its whole family."""
    row = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == rt.tokens.hash(token)).with_for_update()
    )
    now = rt.clock.now()
    if row is None or row.revoked or row.expires_at <= now:
        raise Unauthorized()
    device = session.scalar(select(Device).where(Device.id == row.device_id))
    if device is None or device.revoked_at is not None:
        raise Unauthorized()
    if row.used_at is not None:
        session.execute(
            update(RefreshToken).where(RefreshToken.family_id == row.family_id).values(revoked=True)
        )
        session.execute(delete(AccessToken).where(AccessToken.device_id == row.device_id))
        session.commit()
        raise Unauthorized(
            "刷新令牌已被使用,请重新登录 / Refresh token reused, log in again", reason="reused"
        )
    row.used_at = now
    return issue_pair(session, rt, device.institution_id, device.id, row.family_id)
