"""Logins, token rotation, the login throttle, and the dependencies that scope every request."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, NoReturn

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from platform_server.db import SessionDep
from platform_server.errors import Forbidden, TooManyAttempts, Unauthorized
from platform_server.models import AccessToken, Device, LoginAttempt, RefreshToken
from platform_server.runtime import Runtime, runtime
from platform_server.scope import InstitutionScope, bind, unscoped
from platform_server.security import new_token

bearer = HTTPBearer(auto_error=False, description="Access token from /v1/auth/login")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
RuntimeDep = Annotated[Runtime, Depends(runtime)]


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
    scope = InstitutionScope(institution_id=row.principal_id, device_id=row.device_id)
    bind(session, scope)  # the request's session now sees this institution's rows only
    return scope


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


def client_address(request: Request, trusted_proxies: tuple[str, ...] = ()) -> str:
    """The address a login is throttled by: the TCP peer, unless the peer is a configured reverse proxy;
    then the right-most X-Forwarded-For entry that is not itself a trusted proxy (entries to its left were
    written by whoever sent the request, so they prove nothing)."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted_proxies:
            return hop[:64]
    return peer


def login_keys(rt: Runtime, kind: str, account: str, address: str) -> list[tuple[str, int]]:
    """Throttle keys of a login: the (account, address) pair locks first; the account from every address
    and the address over every account have higher ceilings (see ``Settings``)."""
    s = rt.settings
    account, address = account[:60], address[:50]  # keys fit login_attempt.key (120)
    return [
        (f"{kind}@addr:{account}|{address}", s.login_max_failures),
        (f"{kind}:{account}", s.login_account_max_failures),
        (f"addr:{address}", s.login_addr_max_failures),
    ]


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

    def clear(self, keys: list[str]) -> None:
        self.session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))


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


def issue_pair(session: Session, rt: Runtime, device: Device, family: str) -> tuple[TokenPair, str]:
    """A new access and refresh token of ``device``; returns the pair and the refresh token's stored hash."""
    device_id = device.id
    access = issue_access(session, rt, "institution", device.institution_id, device_id)
    refresh = new_token()
    refresh_hash = rt.tokens.hash(refresh)
    now = rt.clock.now()
    session.add(
        RefreshToken(
            token_hash=refresh_hash,
            family_id=family,
            device_id=device_id,
            created_at=now,
            expires_at=now + dt.timedelta(days=rt.settings.refresh_ttl_days),
            used_at=None,
            revoked=False,
            replaced_by=None,
        )
    )
    return TokenPair(access, refresh, rt.settings.access_ttl_seconds, device_id), refresh_hash


def new_device(session: Session, rt: Runtime, scope: InstitutionScope, name: str) -> Device:
    device = Device(
        id=str(uuid.uuid4()),
        institution_id=scope.institution_id,
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
    """Use a refresh token once; a used token coming back revokes its whole family, except a lost answer.

    A desk whose refresh answer was lost (Wi-Fi dropped after the server rotated) still holds the old
    token. If that token comes back within ``refresh_grace_seconds`` of its rotation and the token it was
    rotated into was never used, the desk never got that answer: the unused successor is revoked and a
    new pair is issued in its place. Once the successor has been used, the old token coming back is reuse
    (a copy of it is in someone else's hands) and revokes the family, as before; so does a superseded
    successor coming back (docs/sync.md, "Authentication and token rotation").
    """
    row = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == rt.tokens.hash(token)).with_for_update()
    )
    now = rt.clock.now()
    if row is None or row.expires_at <= now:
        raise Unauthorized()
    with unscoped(session, "token rotation: the device names the institution"):
        device = session.scalar(select(Device).where(Device.id == row.device_id))
    if device is None or device.revoked_at is not None:
        raise Unauthorized()
    if row.revoked:
        # Revoked while its device is live: it was superseded after its predecessor came back within the
        # grace window. Its holder did get it, so that predecessor was a copy: the family is compromised.
        _revoke_family(session, row)
    if row.used_at is not None and not _answer_was_lost(session, rt, row, now):
        _revoke_family(session, row)
    row.used_at = now
    pair, row.replaced_by = issue_pair(session, rt, device, row.family_id)
    return pair


def _revoke_family(session: Session, row: RefreshToken) -> NoReturn:
    session.execute(update(RefreshToken).where(RefreshToken.family_id == row.family_id).values(revoked=True))
    session.execute(delete(AccessToken).where(AccessToken.device_id == row.device_id))
    session.commit()
    raise Unauthorized("刷新令牌已被使用,请重新登录 / Refresh token reused, log in again", reason="reused")


def _answer_was_lost(session: Session, rt: Runtime, row: RefreshToken, now: dt.datetime) -> bool:
    """True (and the unused successor revoked) when ``row``'s rotation answer never reached the desk."""
    assert row.used_at is not None
    if row.replaced_by is None or now - row.used_at > dt.timedelta(seconds=rt.settings.refresh_grace_seconds):
        return False
    successor = session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == row.replaced_by).with_for_update()
    )
    if successor is None or successor.used_at is not None or successor.revoked:
        return False
    successor.revoked = True
    return True
