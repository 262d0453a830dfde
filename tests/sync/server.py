"""A real reference platform server on a loopback port, in a thread, with a fresh SQLite database.

Used by the sync tests and the sync benchmark; the sync client never imports ``platform_server``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select, update

from platform_server import migrate
from platform_server.accounts import create_institution, create_regulator
from platform_server.app import create_app
from platform_server.clock import Clock
from platform_server.db import make_engine, make_sessionmaker
from platform_server.models import Change, Institution, InstitutionCounter
from platform_server.runtime import Runtime
from platform_server.security import Passwords
from platform_server.settings import Settings

USCC = "91350100M000100Y43"
PASSWORD = "secret-password-1"
REGULATOR = "regulator"


class LiveServer:
    """Start with ``start()``; ``url``, ``institution_id`` and ``regulator_token`` for the tests."""

    def __init__(self, directory: Path, *, port: int = 0, **settings: Any) -> None:
        """A new server on ``directory``'s database (accounts made when it has none) on ``port`` (0: any)."""
        defaults: dict[str, Any] = {
            "db_url": f"sqlite:///{directory / 'platform.sqlite3'}",
            "argon2_time_cost": 1,
            "argon2_memory_kib": 8,
            "parent_sim_open": True,
            "login_max_failures": 1000,
            "login_addr_max_failures": 10000,
            "token_secret": "test-secret",
        }
        self.settings = Settings(**{**defaults, **settings})
        self.clock = Clock()
        self.engine = make_engine(self.settings.db_url)
        migrate.upgrade(self.engine)
        passwords = Passwords(1, 8)
        with make_sessionmaker(self.engine)() as session:
            existing = session.scalar(select(Institution.id).where(Institution.uscc == USCC))
            if existing is None:
                inst = create_institution(session, passwords, self.clock, USCC, "测试培训学校", PASSWORD)
                create_regulator(session, passwords, self.clock, REGULATOR, PASSWORD)
                session.commit()
                existing = inst.id
            self.institution_id = existing
        self.app = create_app(self.settings, self.clock, self.engine)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # accepted connections inherit it: without it every response waits ~40 ms for a delayed ACK
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", proxy_headers=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self._regulator_token: str | None = None

    @property
    def rt(self) -> Runtime:
        rt: Runtime = self.app.state.rt
        return rt

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
        self.engine.dispose()

    def set_access_ttl(self, seconds: int) -> None:
        self.rt.settings = dataclasses.replace(self.rt.settings, access_ttl_seconds=seconds)

    # ------------------------------------------------------------ platform-side actions

    def regulator_token(self) -> str:
        if self._regulator_token is None:
            r = httpx.post(
                f"{self.url}/v1/auth/regulator/login", json={"name": REGULATOR, "password": PASSWORD}
            )
            r.raise_for_status()
            self._regulator_token = str(r.json()["access_token"])
        return self._regulator_token

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.regulator_token()}"}
        r = httpx.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)
        r.raise_for_status()
        return r.json()

    def prune_all(self) -> None:
        """Forget the whole change feed, as retention would: every cursor now needs a reset (410)."""
        with make_sessionmaker(self.engine)() as session:
            last = (
                session.query(InstitutionCounter).filter_by(institution_id=self.institution_id).one().last_seq
            )
            session.query(Change).filter(Change.institution_id == self.institution_id).delete()
            session.execute(
                update(InstitutionCounter)
                .where(InstitutionCounter.institution_id == self.institution_id)
                .values(pruned_seq=last)
            )
            session.commit()

    def stats(self) -> dict[str, Any]:
        """The server's totals through its own stats code (no HTTP, no institution login needed)."""
        from platform_server.scope import InstitutionScope
        from platform_server.stats import compute_stats

        with make_sessionmaker(self.engine)() as session:
            return dict(compute_stats(session, InstitutionScope(self.institution_id, None), None, None))

    def advance(self, days: int) -> None:
        self.clock.advance(dt.timedelta(days=days))

    def run_deadlines(self) -> dict[str, Any]:
        """``POST /v1/admin/run-deadlines`` as of the server clock (a fresh regulator login: moving the
        clock expires the old token)."""
        self._regulator_token = None
        result: dict[str, Any] = self.call("POST", "/v1/admin/run-deadlines")
        return result

    def advance_seconds(self, seconds: float) -> None:
        self.clock.advance(dt.timedelta(seconds=seconds))
