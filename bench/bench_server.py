"""Platform server throughput: push 100k ops in batches of 500, pull 100k changes, each beside a baseline.

    python -m bench.bench_server [--pg URL] [--ops 100000]

Targets (issue 3): push >= 20,000 ops/s on SQLite over loopback (and the same on PostgreSQL);
pull >= 30,000 rows/s. Baselines: the same batches posted to an endpoint that only parses them, and the
same pages served from memory. The baseline endpoints exist only in this benchmark's app instance.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from fastapi import APIRouter
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.responses import Response

from platform_server.accounts import create_institution
from platform_server.app import create_app
from platform_server.clock import Clock
from platform_server.db import make_engine, make_sessionmaker
from platform_server.errors import JsonResponse
from platform_server.migrate import upgrade
from platform_server.schemas import PushIn
from platform_server.security import USCC_ALPHABET, Passwords, uscc_check_char
from platform_server.settings import Settings

BATCH = 500
PAGE = 5000
PUSH_TARGET, PULL_TARGET = 20_000, 30_000
PASSWORD = "bench-password"


def baseline_router() -> APIRouter:
    """Parse-only push and serve-from-memory pull, same shapes as the real endpoints."""
    router = APIRouter()
    changes = [
        {
            "server_seq": i + 1,
            "entity": op["entity"],
            "entity_id": op["entity_id"],
            "op": "insert",
            "version": 1,
            "payload": op["payload"],
            "origin_device_id": "bench",
        }
        for i, op in enumerate(op for batch in make_ops("bench", PAGE) for op in batch)
    ]
    pages = [{"changes": changes, "next_cursor": PAGE, "has_more": True}]

    @router.post("/bench/parse-only")
    def parse_only(body: PushIn) -> Response:
        return JsonResponse({"parsed": len(body.ops)})

    @router.get("/bench/pull-baseline")
    def pull_baseline(page: int = 0) -> Response:
        return JsonResponse(pages[page % len(pages)])

    return router


def make_ops(device_id: str, n: int) -> Iterator[list[dict[str, Any]]]:
    """Deterministic mix: students, roll-call rows, ledger entries (one-third each)."""
    students = [str(uuid.UUID(int=i + 1)) for i in range(max(1, n // 3))]
    batch: list[dict[str, Any]] = []
    for seq in range(1, n + 1):
        kind = seq % 3
        eid = str(uuid.uuid5(uuid.NAMESPACE_OID, f"{device_id}-{seq}"))
        if kind == 0:
            payload = {
                "name": f"学生{seq}",
                "gender": "F",
                "birth_date": "2015-05-01",
                "phone": "13800000000",
                "school": "实验小学",
                "grade": "三年级",
                "version": 1,
                "updated_at": "2026-03-01T08:00:00Z",
            }
            entity = "student"
        elif kind == 1:
            payload = {
                "session_id": str(uuid.UUID(int=seq // 40)),
                "student_id": students[seq % len(students)],
                "status": "present",
                "charged": False,
                "units": "1",
                "amount_fen": 0,
                "recorded_at": "2026-03-01T10:00:00Z",
            }
            entity = "attendance"
        else:
            payload = {
                "contract_id": str(uuid.UUID(int=seq % 97)),
                "kind": "sale",
                "units": "20",
                "amount_fen": 200000,
                "occurred_at": "2026-03-01T09:00:00Z",
            }
            entity = "ledger_entry"
        payload["id"] = eid
        batch.append(
            {
                "seq": seq,
                "op_id": str(uuid.uuid4()),
                "entity": entity,
                "entity_id": eid,
                "op": "insert",
                "base_version": None,
                "payload": payload,
            }
        )
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Result:
    label: str
    rate: float
    baseline: float
    target: int | None

    def row(self) -> str:
        verdict = "" if self.target is None else ("ok" if self.rate >= self.target else "MISSED")
        target = "" if self.target is None else f"{self.target:,}"
        ratio = self.rate / self.baseline if self.baseline else 0.0
        return (
            f"{self.label:<28}{self.rate:>12,.0f}{self.baseline:>14,.0f}{ratio:>8.0%}{target:>10}  {verdict}"
        )


def child(url: str, port: int) -> None:
    """The server under test, in its own process (as in production; an in-process thread adds ~45 ms
    per request from the client and server sharing one interpreter)."""
    engine = make_engine(url)
    app = create_app(Settings(db_url=url, token_secret="bench"), Clock(), engine)
    app.include_router(baseline_router())
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_child(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.bench_server", "--child", url, str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("bench server did not start")


def nodelay_transport() -> httpx.HTTPTransport:
    """Without TCP_NODELAY on the client, httpx's separate header and body writes meet the server's
    delayed ACK and every request stalls ~40 ms."""
    return httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])


def random_uscc() -> str:
    body = (
        "9135"
        + uuid.uuid4().hex[:6].translate(str.maketrans("abcdef", "123456"))
        + "".join(USCC_ALPHABET[b % 31] for b in os.urandom(7))
    )
    return body + uscc_check_char(body)


@contextmanager
def fresh_pg_database(admin_url: str) -> Iterator[str]:
    """A new database for one run, dropped afterwards: runs start equal (like SQLite's temporary file)
    instead of each adding 100k rows to the previous runs' tables."""
    name = f"instdesk_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_backend(label: str, url: str, n: int) -> list[Result]:
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(db_url=url)
    uscc = random_uscc()
    with make_sessionmaker(engine)() as session:
        passwords = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib)
        create_institution(session, passwords, Clock(), uscc, "压测机构", PASSWORD)
        session.commit()
    engine.dispose()
    proc, base = start_child(url)
    try:
        with httpx.Client(base_url=base, timeout=120, transport=nodelay_transport()) as client:
            return _measure(client, label, uscc, n)
    finally:
        proc.terminate()
        proc.wait(10)


def _post(client: httpx.Client, path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post(path, content=body, headers={**headers, "Content-Type": "application/json"})
    response.raise_for_status()
    result: dict[str, Any] = orjson.loads(response.content)
    return result


def _measure(client: httpx.Client, label: str, uscc: str, n: int) -> list[Result]:
    tokens = client.post(
        "/v1/auth/login", json={"uscc": uscc, "password": PASSWORD, "device_name": "bench"}
    ).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "X-InstDesk-Protocol": "1"}
    bodies = [
        orjson.dumps({"device_id": tokens["device_id"], "ops": ops})
        for ops in make_ops(tokens["device_id"], n)
    ]
    start = time.perf_counter()
    for body in bodies:
        _post(client, "/bench/parse-only", body, headers)
    parse_rate = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for body in bodies:
        result = _post(client, "/v1/sync/push", body, headers)
        assert all(r["status"] == "applied" for r in result["results"]), result["results"][:3]
    push_rate = n / (time.perf_counter() - start)
    cursor, rows = 0, 0
    start = time.perf_counter()
    while True:
        response = client.get("/v1/sync/changes", params={"cursor": cursor, "limit": PAGE}, headers=headers)
        page = orjson.loads(response.content)
        rows += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    pull_rate = rows / (time.perf_counter() - start)
    assert rows >= n, rows
    start = time.perf_counter()
    for i in range(-(-rows // PAGE)):
        orjson.loads(client.get("/bench/pull-baseline", params={"page": i}).content)
    serve_rate = rows / (time.perf_counter() - start)
    return [
        Result(f"push ops/s ({label})", push_rate, parse_rate, PUSH_TARGET),
        Result(f"pull rows/s ({label})", pull_rate, serve_rate, PULL_TARGET),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pg", default=os.environ.get("INSTDESK_TEST_PG_URL"), help="PostgreSQL URL")
    parser.add_argument("--ops", type=int, default=100_000)
    parser.add_argument("--child", nargs=2, metavar=("URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += run_backend("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.ops)
    if args.pg:
        with fresh_pg_database(args.pg) as url:
            results += run_backend("PostgreSQL", url, args.ops)
    print(f"{'measure':<28}{'rate':>12}{'baseline':>14}{'ratio':>8}{'target':>10}")
    for result in results:
        print(result.row())
    return 0 if all(r.target is None or r.rate >= r.target for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
