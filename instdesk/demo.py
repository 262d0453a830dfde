"""``instdesk gui --demo`` (``make run``): a newcomer sees a working institution at once.

Creates (once) a demo database with generated data and a ``demo`` manager, adds today's lessons (any day
of the year: ``app.demo.today``), starts the bundled reference platform server on a free loopback port
with its simulated regulator and parents (``serve --simulate``) when no server is configured, registers
the demo institution and a regulator account there, prints how to reach it, and opens the app signed in
and logging in to the platform in the background.

The server runs in its own process group and is stopped when the app ends, however it ends: the window
closed, 退出, Ctrl+C or SIGTERM (``ui.shutdown``) stop it in ``run_gui``'s shutdown or in the ``finally``
here; if the app is killed outright, the server notices by itself (``--exit-with-parent``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from app.clock import local_today
from app.db import Database
from app.demo.materials import add_demo_materials
from app.demo.today import plan_todays_lessons
from app.errors import InstDeskError
from app.paths import data_dir
from app.permissions import Actor
from app.services.catalog import CourseInput, add_course, publish_course
from app.services.institution import get_institution
from app.services.users import authenticate, bootstrap_admin

log = logging.getLogger("instdesk.demo")
DEMO_USER, DEMO_PASSWORD = "demo", "demo1234"
REGULATOR_USER, REGULATOR_PASSWORD = "regulator", "regulator1234"
DEMO_STUDENTS = 500
#: submitted for review when the demo is created: the simulated regulator rejects it with a reason
#: (its name advertises competition training), so a rejection can be seen without typing anything
REJECTED_COURSE = CourseInput(
    name="小学数学竞赛冲刺班",
    category="subject",
    subject="数学",
    stage="compulsory",
    minutes_per_lesson=90,
    lessons_per_package=Decimal(24),
    price_fen=24 * 15000,
    units_per_lesson=Decimal(2),
)
SERVER_STOP_SECONDS = 5.0


def ensure_demo_database(path: Path, students: int = DEMO_STUDENTS) -> Actor:
    """The demo database at ``path`` (generated on first use) and the signed-in demo manager."""
    if not path.exists():
        create_demo_database(path, students)
    db = Database.open(path)
    try:
        actor = authenticate(db, DEMO_USER, DEMO_PASSWORD)
        add_todays_lessons(db, actor)
    finally:
        db.close()
    return actor


def create_demo_database(path: Path, students: int) -> None:
    """Generated in a side file and renamed when complete: an interrupted first start leaves no half demo."""
    from app.demo.generator import generate

    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, *(partial.with_name(partial.name + end) for end in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    generate(partial, students, seed=2026)
    db = Database.open(partial)
    try:
        bootstrap_admin(db, DEMO_USER, DEMO_PASSWORD, "演示管理员")
        manager = authenticate(db, DEMO_USER, DEMO_PASSWORD)
        submit_course_for_review(db, manager)
        add_learn_first_course(db, manager)
        add_demo_materials(db, manager)
    finally:
        db.close()
    os.replace(partial, path)


def submit_course_for_review(db: Database, actor: Actor) -> None:
    try:
        course = add_course(db, actor, REJECTED_COURSE)
        publish_course(db, actor, course.course_id)
    except InstDeskError as exc:  # the demo still works without it
        log.warning("demo: the course for review was not added (%s)", exc.code)


def add_learn_first_course(db: Database, actor: Actor) -> None:
    """A 先学后付 course with families owing (app.demo.pay_after)."""
    from app.demo.pay_after import add_learn_first

    try:
        add_learn_first(db, actor, local_today())
    except InstDeskError as exc:  # the demo still works without it
        log.warning("demo: the 先学后付 course was not added (%s)", exc.code)


def add_todays_lessons(db: Database, actor: Actor) -> int:
    """Lessons today so the front desk has something to call (none added when there are)."""
    return len(plan_todays_lessons(db, actor, local_today()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _platform(*args: str) -> list[str]:
    return [sys.executable, "-m", "platform_server.cli", *args]


def _wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"platform server exited with {server.returncode} (see platform.log)")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"platform server did not start on port {port}")


def _account(url: str, password: str, *args: str) -> None:
    """``add-institution`` / ``add-regulator``; fails harmlessly when the account already exists."""
    subprocess.run(
        _platform(*args, "--db", url),
        input=password + "\n",
        text=True,
        capture_output=True,
        check=False,
        start_new_session=True,  # a Ctrl+C in the terminal is the app's to handle
    )


@dataclass
class ServerProcess:
    """The demo's platform server: its own process group, stopped (once) with ``stop``."""

    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("platform server did not stop in %.0f s: killed", SERVER_STOP_SECONDS)
            self._signal_group(getattr(signal, "SIGKILL", signal.SIGTERM))
            self.process.wait(timeout=SERVER_STOP_SECONDS)

    def _signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, sig)  # the server and anything it started
            else:
                self.process.send_signal(sig)


def start_server(url: str, port: int, log_file: IO[bytes]) -> ServerProcess:
    args = ["serve", "--db", url, "--port", str(port), "--simulate", "--exit-with-parent", str(os.getpid())]
    process = subprocess.Popen(
        _platform(*args),
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: stopped by us, not by the terminal's Ctrl+C
    )
    return ServerProcess(process)


@contextlib.contextmanager
def platform_server(folder: Path, uscc: str, name: str) -> Iterator[tuple[str, ServerProcess]]:
    """The reference server on a free loopback port with the demo institution; yields its URL."""
    url = f"sqlite:///{folder / 'platform.sqlite3'}"
    _account(url, DEMO_PASSWORD, "add-institution", "--uscc", uscc, "--name", name)
    _account(url, REGULATOR_PASSWORD, "add-regulator", "--name", REGULATOR_USER)
    port = free_port()
    with open(folder / "platform.log", "ab") as log_file:
        server = start_server(url, port, log_file)
        try:
            _wait_for(port, server.process)
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.stop()


def _keyring_for_demo() -> None:
    """Without a usable OS keyring the demo keeps its token in memory for this run.

    The demo server is local and its password is documented, so nothing secret is at stake; a real
    server still requires the OS keyring (sync.credentials refuses to store tokens anywhere else).
    """
    import keyring

    from sync.credentials import usable_keyring
    from sync.errors import SyncError
    from ui.smoke_keyring import MemoryKeyring

    try:
        usable_keyring()
    except SyncError:
        log.info("demo: no usable OS keyring; the demo's platform token is kept in memory")
        keyring.set_keyring(MemoryKeyring())


def welcome(url: str | None, uscc: str) -> str:
    """What the terminal shows when the demo starts (Chinese / English)."""
    lines = [
        "InstDesk 演示 / demo",
        f"  机构工作台登录 / desk login : {DEMO_USER} / {DEMO_PASSWORD}",
    ]
    if url:
        lines += [
            f"  演示平台 / demo platform    : {url}  (API: {url}/docs)",
            f"  机构 / institution          : {uscc} / {DEMO_PASSWORD}",
            f"  监管账号 / regulator login  : {REGULATOR_USER} / {REGULATOR_PASSWORD}",
        ]
    lines.append("  关闭窗口或按 Ctrl+C 退出 / close the window or press Ctrl+C to quit")
    return "\n".join(lines)


def run_demo(students: int = DEMO_STUDENTS) -> int:
    from ui.app import Launch, run_gui
    from ui.settings import Settings
    from ui.sync_adapter import EngineSync

    folder = data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "instdesk-demo.sqlite3"
    actor = ensure_demo_database(db_path, students)
    probe = Database.open(db_path)
    institution = get_institution(probe)
    probe.close()
    configured = Settings().server_url
    if not configured:
        _keyring_for_demo()
    with contextlib.ExitStack() as stack:
        server: ServerProcess | None = None
        url = configured
        if not url:
            url, server = stack.enter_context(platform_server(folder, institution.uscc, institution.name))
        print(welcome(None if configured else url, institution.uscc), flush=True)

        def sync_factory(db: Database, _settings: Settings) -> EngineSync:
            # every few seconds: the simulated regulator's decisions show up soon after they are made
            return EngineSync(db, url, interval=5.0 if server else 30.0)

        def log_in(sync: object) -> None:
            if isinstance(sync, EngineSync):
                sync.login(url, institution.uscc, DEMO_PASSWORD)

        launch = Launch(
            db_path=db_path,
            actor=actor,
            sync_factory=sync_factory,
            after_start=log_in,
            before_shutdown=server.stop if server else None,
        )
        return run_gui(launch)
