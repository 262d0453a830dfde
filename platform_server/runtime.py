"""Per-app runtime objects kept in ``app.state.rt`` (settings, clock, hashers, sessions)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from platform_server.clock import Clock
from platform_server.security import Passwords, TokenHasher
from platform_server.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    clock: Clock
    engine: Engine
    sessionmaker: sessionmaker[Session]
    passwords: Passwords
    tokens: TokenHasher
    epoch: str = ""


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.rt
    return rt
