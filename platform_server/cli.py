"""``instdesk-platform``: serve the reference platform API and manage its accounts."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import signal
import socket
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from platform_server.accounts import AccountError, create_institution, create_regulator
from platform_server.clock import Clock
from platform_server.db import make_engine, make_sessionmaker
from platform_server.migrate import upgrade
from platform_server.models import Institution, Regulator
from platform_server.security import Passwords, new_epoch
from platform_server.settings import Settings, default_db_url

DEMO_USCC = "91350100M000100Y43"
DEMO_NAME = "示例培训学校"
DEMO_PASSWORD = "demo1234"
DEMO_REGULATOR = "regulator"
DEMO_REGULATOR_PASSWORD = "regulator1234"
log = logging.getLogger("platform_server.cli")


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("密码 / password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _settings(args: argparse.Namespace) -> Settings:
    proxies = tuple(getattr(args, "trusted_proxy", None) or ())
    return Settings(db_url=args.db or default_db_url(), trusted_proxies=proxies)


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from platform_server.app import create_app

    settings = _settings(args)
    if getattr(args, "exit_with_parent", None):
        from platform_server.lifeline import exit_with_parent

        exit_with_parent(args.exit_with_parent)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    app = create_app(settings, engine=engine)
    simulator = None
    if getattr(args, "simulate", False):
        from platform_server.simulator import Simulator, install

        simulator = Simulator(app.state.rt).start()
        install(app, simulator)
        log.info("simulated regulator and parents are on (demo only)")
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from any local peer as the client;
    # the app reads it itself, only from --trusted-proxy addresses (platform_server.auth.client_address).
    # A short grace period: a desktop demo stopping its server should not wait for idle keep-alives.
    config = uvicorn.Config(app, log_level="info", proxy_headers=False, timeout_graceful_shutdown=3)
    # uvicorn turns SIGINT/SIGTERM into a graceful shutdown and then raises the signal again for the
    # handler it found: with Python's defaults that ends the process before the cleanup below runs.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _already_handled)
    try:
        uvicorn.Server(config).run(sockets=[listening_socket(args.host, args.port)])
    finally:
        if simulator is not None:
            simulator.stop()
        engine.dispose()
        checkpoint_sqlite(settings.db_url)
    return 0


def _already_handled(_signum: int, _frame: object) -> None:
    """The signal's work (shutting the server down) is done by then; the cleanup after it follows."""


def checkpoint_sqlite(db_url: str) -> None:
    """Copy the WAL into a SQLite database file on shutdown, so the file alone is complete (backups)."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    try:
        with contextlib.closing(sqlite3.connect(url.database)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.Error as exc:
        log.info("final checkpoint skipped (%s)", exc)


def _cmd_new_epoch(args: argparse.Namespace) -> int:
    """After restoring the database from a backup: a new data generation, so desks re-send what it lost."""
    engine = make_engine(_settings(args).db_url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        print(json.dumps({"epoch": new_epoch(session)}))
    engine.dispose()
    return 0


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, with TCP_NODELAY (accepted connections inherit it on Linux): otherwise a
    response's body can wait ~40 ms for the client's delayed ACK. Made with proto IPPROTO_TCP, since asyncio
    sets TCP_NODELAY itself only on sockets whose proto says TCP."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _with_session(args: argparse.Namespace) -> tuple[Settings, Passwords, Clock]:
    settings = _settings(args)
    return settings, Passwords(settings.argon2_time_cost, settings.argon2_memory_kib), Clock()


def _cmd_add_institution(args: argparse.Namespace) -> int:
    settings, passwords, clock = _with_session(args)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        inst = create_institution(session, passwords, clock, args.uscc, args.name, _read_password())
        session.commit()
        print(json.dumps({"id": inst.id, "uscc": inst.uscc, "name": inst.name}, ensure_ascii=False))
    return 0


def _cmd_add_regulator(args: argparse.Namespace) -> int:
    settings, passwords, clock = _with_session(args)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        reg = create_regulator(session, passwords, clock, args.name, _read_password())
        session.commit()
        print(json.dumps({"id": reg.id, "name": reg.name}, ensure_ascii=False))
    return 0


def _cmd_spot_check(args: argparse.Namespace) -> int:
    """A regulator's spot check of one course's materials (what ``POST .../spot-checks`` does)."""
    from platform_server.errors import ApiError
    from platform_server.materials import request_spot_check
    from platform_server.runtime import Runtime
    from platform_server.schemas_materials import SpotCheckIn
    from platform_server.scope import InstitutionScope
    from platform_server.security import TokenHasher

    settings, passwords, clock = _with_session(args)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    rt = Runtime(settings, clock, engine, factory, passwords, TokenHasher(b"cli"))
    body = SpotCheckIn(course_id=args.course, deadline_hours=args.hours, note=args.note)
    with factory() as session:
        institution_id = session.scalar(select(Institution.id).where(Institution.uscc == args.uscc))
        try:
            if institution_id is None:
                raise ApiError("机构不存在 / Unknown institution")
            made = request_spot_check(session, rt, InstitutionScope(institution_id), body)
        except ApiError as exc:
            print(exc.text, file=sys.stderr)
            return 1
        session.commit()
    print(json.dumps(made, ensure_ascii=False))
    engine.dispose()
    return 0


def seed_demo(settings: Settings) -> None:
    """Idempotent: the demo institution and regulator exist afterwards."""
    engine = make_engine(settings.db_url)
    upgrade(engine)
    passwords, clock = Passwords(settings.argon2_time_cost, settings.argon2_memory_kib), Clock()
    with make_sessionmaker(engine)() as session:
        if session.scalar(select(Institution.id).where(Institution.uscc == DEMO_USCC)) is None:
            create_institution(session, passwords, clock, DEMO_USCC, DEMO_NAME, DEMO_PASSWORD)
        if session.scalar(select(Regulator.id).where(Regulator.name == DEMO_REGULATOR)) is None:
            create_regulator(session, passwords, clock, DEMO_REGULATOR, DEMO_REGULATOR_PASSWORD)
        session.commit()
    engine.dispose()


def _cmd_demo(args: argparse.Namespace) -> int:
    seed_demo(_settings(args))
    print(f"demo institution {DEMO_USCC} / {DEMO_PASSWORD}")
    print(f"demo regulator {DEMO_REGULATOR} / {DEMO_REGULATOR_PASSWORD}")
    return _cmd_serve(args) if args.serve else 0


def _cmd_openapi(args: argparse.Namespace) -> int:
    from platform_server.openapi_export import openapi_document

    text = json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="instdesk-platform", description="InstDesk reference platform server"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="SQLAlchemy URL (default: SQLite file in the user data directory)")
        return p

    serve = with_db(sub.add_parser("serve", help="run the API (applies migrations first)"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="a reverse proxy whose X-Forwarded-For is believed (repeatable; default: none)",
    )
    serve.add_argument(
        "--simulate",
        action="store_true",
        help="demo only: a simulated regulator decides reviews and checks, simulated parents act",
    )
    serve.add_argument(
        "--exit-with-parent",
        type=int,
        metavar="PID",
        help="shut down when process PID ends (the desktop demo)",
    )
    serve.set_defaults(func=_cmd_serve)
    epoch = with_db(
        sub.add_parser("new-epoch", help="start a new data generation (run after restoring a backup)")
    )
    epoch.set_defaults(func=_cmd_new_epoch)
    inst = with_db(sub.add_parser("add-institution", help="create an institution (password on stdin)"))
    inst.add_argument("--uscc", required=True)
    inst.add_argument("--name", required=True)
    inst.set_defaults(func=_cmd_add_institution)
    reg = with_db(sub.add_parser("add-regulator", help="create a regulator account (password on stdin)"))
    reg.add_argument("--name", required=True)
    reg.set_defaults(func=_cmd_add_regulator)
    spot = with_db(sub.add_parser("spot-check", help="regulator: ask for a course's training materials"))
    spot.add_argument("--uscc", required=True, help="the institution's 统一社会信用代码")
    spot.add_argument("--course", required=True, help="the course id")
    spot.add_argument("--hours", type=int, default=72, help="hours to answer (default 72)")
    spot.add_argument("--note", default=None)
    spot.set_defaults(func=_cmd_spot_check)
    demo = with_db(sub.add_parser("demo", help="seed the demo accounts (and serve with --serve)"))
    demo.add_argument("--serve", action="store_true")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8765)
    demo.add_argument(
        "--simulate", action="store_true", help="with --serve: the simulated regulator and parents"
    )
    demo.set_defaults(func=_cmd_demo)
    api = sub.add_parser("openapi", help="print the OpenAPI document")
    api.add_argument("--output", help="write to this file instead of stdout")
    api.set_defaults(func=_cmd_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except AccountError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
