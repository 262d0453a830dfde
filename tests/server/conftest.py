"""Fixtures: a real server on a loopback port per backend (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from platform_server.accounts import create_institution, create_regulator
from platform_server.app import create_app
from platform_server.clock import Clock
from platform_server.db import make_engine
from platform_server.migrate import upgrade
from platform_server.runtime import Runtime
from platform_server.settings import Settings
from tests.server.helpers import PASSWORD, Device, login, nodelay_transport, random_uscc

PG_ENV = "INSTDESK_TEST_PG_URL"


def server_settings(db_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "db_url": db_url,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 1024,
        "login_addr_max_failures": 100_000,
        "token_secret": "test-secret",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set")
    name = f"instdesk_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class LiveServer:
    backend: str
    app: FastAPI
    rt: Runtime
    base_url: str
    server: uvicorn.Server

    @property
    def clock(self) -> Clock:
        return self.rt.clock

    @property
    def engine(self) -> Engine:
        return self.rt.engine


def start_server(app: FastAPI) -> tuple[uvicorn.Server, threading.Thread, str]:
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on accepted sockets whose proto says TCP, and a
    # socket made with proto 0 left Nagle on, so each response's body waited ~40 ms for the client's
    # delayed ACK. The option is also set on the listener, which accepted sockets inherit on Linux.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(256)
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, proxy_headers=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    ready = threading.Event()
    while not server.started and time.monotonic() < deadline:
        ready.wait(0.01)
    assert server.started, "uvicorn did not start"
    return server, thread, f"http://127.0.0.1:{port}"


def _db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return f"sqlite:///{Path(tmp_path_factory.mktemp('platform')) / 'platform.sqlite3'}"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = _db_url(request, tmp_path_factory)
    engine = make_engine(url)
    upgrade(engine)
    app = create_app(server_settings(url, max_body_bytes=2 * 1024 * 1024), clock=Clock(), engine=engine)
    server, thread, base = start_server(app)
    yield LiveServer(request.param, app, app.state.rt, base, server)
    server.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.fixture
def server(live: LiveServer) -> Iterator[LiveServer]:
    live.clock.reset()
    yield live
    live.clock.reset()


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=30, transport=nodelay_transport()) as c:
        yield c


@dataclass
class Tenant:
    id: str
    uscc: str
    name: str


@pytest.fixture
def make_tenant(server: LiveServer) -> Callable[[], Tenant]:
    def make() -> Tenant:
        with server.rt.sessionmaker() as session:
            inst = create_institution(
                session, server.rt.passwords, server.clock, random_uscc(), "测试机构", PASSWORD
            )
            session.commit()
            return Tenant(inst.id, inst.uscc, inst.name)

    return make


@pytest.fixture
def make_device(client: httpx.Client) -> Callable[[Tenant], Device]:
    def make(tenant: Tenant) -> Device:
        response = login(client, tenant.uscc)
        assert response.status_code == 200, response.text
        body = response.json()
        return Device(
            client, tenant.id, tenant.uscc, body["access_token"], body["refresh_token"], body["device_id"]
        )

    return make


@pytest.fixture
def tenant(make_tenant: Callable[[], Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def device(tenant: Tenant, make_device: Callable[[Tenant], Device]) -> Device:
    return make_device(tenant)


@pytest.fixture
def regulator_login(server: LiveServer, client: httpx.Client) -> Callable[[], dict[str, str]]:
    """Creates a regulator account; each call logs in afresh (tokens expire when the clock moves)."""
    name = f"reg-{uuid.uuid4().hex[:8]}"
    with server.rt.sessionmaker() as session:
        create_regulator(session, server.rt.passwords, server.clock, name, PASSWORD)
        session.commit()

    def headers() -> dict[str, str]:
        response = client.post("/v1/auth/regulator/login", json={"name": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return headers


@pytest.fixture
def regulator(regulator_login: Callable[[], dict[str, str]]) -> dict[str, str]:
    return regulator_login()


@pytest.fixture
def sibling(tenant: Tenant, device: Device, make_device: Callable[[Tenant], Device]) -> Device:
    """A second desk of the same institution."""
    return make_device(tenant)
