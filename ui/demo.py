"""``instdesk gui --demo`` (``make run``): a newcomer sees a working institution at once.

Creates (once) a demo database with generated data and a ``demo`` manager, adds today's lessons, starts
the bundled reference platform server on a free loopback port when no server is configured, registers the
demo institution there, and opens the app signed in and logging in to the platform in the background.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from app.db import Database
from app.errors import InstDeskError
from app.paths import data_dir
from app.permissions import Actor
from app.services._common import local_today
from app.services.institution import get_institution
from app.services.schedule import add_session
from app.services.users import authenticate, bootstrap_admin
from app.views.enroll_choices import enroll_choices

log = logging.getLogger("ui.demo")
DEMO_USER, DEMO_PASSWORD = "demo", "demo1234"
DEMO_STUDENTS = 500
TODAY_SLOTS = (("16:00", "17:00"), ("17:30", "18:30"), ("19:00", "20:00"))


def ensure_demo_database(path: Path, students: int = DEMO_STUDENTS) -> Actor:
    """The demo database at ``path`` (generated on first use) and the signed-in demo manager."""
    if not path.exists():
        from app.demo.generator import generate

        generate(path, students, seed=2026)
        db = Database.open(path)
        bootstrap_admin(db, DEMO_USER, DEMO_PASSWORD, "演示管理员")
        db.close()
    db = Database.open(path)
    try:
        actor = authenticate(db, DEMO_USER, DEMO_PASSWORD)
        add_todays_lessons(db, actor)
    finally:
        db.close()
    return actor


def add_todays_lessons(db: Database, actor: Actor) -> int:
    """A few lessons today so the front desk has something to call (skipped when they exist)."""
    from app.services.students_view import today_sessions

    today = local_today()
    if today_sessions(db, actor, today):
        return 0
    added = 0
    for klass in enroll_choices(db, actor).classes[:200]:  # the rules refuse some (e.g. subjects on weekends)
        if added == len(TODAY_SLOTS):
            break
        start, end = TODAY_SLOTS[added]
        try:
            add_session(db, actor, klass.klass_id, today, start, end)
            added += 1
        except InstDeskError as exc:
            log.info("demo: no lesson for %s today (%s)", klass.name, exc.code)
    return added


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _platform(*args: str) -> list[str]:
    return [sys.executable, "-m", "platform_server.cli", *args]


def _wait_for(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"platform server did not start on port {port}")


@contextlib.contextmanager
def platform_server(db_path: Path, uscc: str, name: str) -> Iterator[str]:
    """The reference server on a free loopback port with the demo institution; yields its URL."""
    url = f"sqlite:///{db_path}"
    subprocess.run(
        _platform("add-institution", "--db", url, "--uscc", uscc, "--name", name),
        input=DEMO_PASSWORD + "\n",
        text=True,
        capture_output=True,
        check=False,
    )  # fails harmlessly when it already exists
    port = free_port()
    server = subprocess.Popen(
        _platform("serve", "--db", url, "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
        url = configured or stack.enter_context(
            platform_server(folder / "platform.sqlite3", institution.uscc, institution.name)
        )

        def sync_factory(db: Database, _settings: Settings) -> EngineSync:
            return EngineSync(db, url)

        def log_in(sync: object) -> None:
            if isinstance(sync, EngineSync):
                sync.login(url, institution.uscc, DEMO_PASSWORD)

        launch = Launch(db_path=db_path, actor=actor, sync_factory=sync_factory, after_start=log_in)
        return run_gui(launch)
