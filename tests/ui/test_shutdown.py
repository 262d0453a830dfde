"""``instdesk gui --demo`` ends cleanly on Ctrl+C and SIGTERM, and its platform server never outlives it.

The real command runs as a subprocess (offscreen, a small demo in a private data directory). Its processes
are found through ``/proc`` by the private data directory in their environment, so a server that was left
behind (re-parented to init) is found too. Linux only, like the CI.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.display import display_problem

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
ROOT = Path(__file__).resolve().parents[2]
STUDENTS = "60"


def processes_of(data_dir: Path) -> list[int]:
    """Pids of the live processes started with ``INSTDESK_DATA_DIR=data_dir`` (the app and its children)."""
    marker = f"INSTDESK_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_until(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the cases: the first one generates the demo, the others reuse it."""
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture
def demo_app(data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "INSTDESK_DATA_DIR": str(data_dir),
        "INSTDESK_LOG_DIR": str(data_dir / "log"),
        "PYTHONPATH": str(ROOT),
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "instdesk", "gui", "--demo", "--students", STUDENTS],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    yield app, data_dir
    for pid in processes_of(data_dir):  # never leave anything behind, whatever the test saw
        os.kill(pid, signal.SIGKILL)
    app.communicate(timeout=10)


def _wait_for_first_sync(data_dir: Path, app: subprocess.Popen[str]) -> None:
    """Until the platform server of this run answered a pull (a snapshot first, the change feed later)."""
    log = data_dir / "demo" / "platform.log"
    earlier = log.stat().st_size if log.exists() else 0  # the log is appended to by every run

    def synced() -> bool:
        assert app.poll() is None, app.communicate()
        if not log.exists():
            return False
        with log.open("rb") as f:
            f.seek(earlier)
            text = f.read().decode(errors="replace")
        return "/v1/sync/snapshot" in text or "/v1/sync/changes" in text

    assert wait_until(synced, 120), "the demo never synced with its platform server"
    assert len(processes_of(data_dir)) >= 2  # the app and its platform server


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_ends_the_app_and_its_platform_server(
    demo_app: tuple[subprocess.Popen[str], Path], sig: signal.Signals
) -> None:
    app, data_dir = demo_app
    _wait_for_first_sync(data_dir, app)
    app.send_signal(sig)
    out, err = app.communicate(timeout=15)
    assert app.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert "regulator / regulator1234" in out and "http://127.0.0.1:" in out
    assert wait_until(lambda: not processes_of(data_dir), 5), "left running: " + repr(processes_of(data_dir))
    wal = data_dir / "demo" / "instdesk-demo.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0  # closed, WAL checkpointed
    assert "signal" in (data_dir / "log" / "instdesk.log").read_text(errors="replace")


def test_a_killed_app_takes_its_platform_server_along(demo_app: tuple[subprocess.Popen[str], Path]) -> None:
    app, data_dir = demo_app
    _wait_for_first_sync(data_dir, app)
    app.kill()  # no finally of ours runs: the server has to notice by itself
    app.communicate(timeout=10)
    # SIGTERM from the kernel at once; the server's graceful shutdown may wait up to 3 s for a request
    assert wait_until(lambda: not processes_of(data_dir), 10), "orphaned: " + repr(processes_of(data_dir))


def test_without_a_display_the_app_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(INSTDESK_DATA_DIR=str(tmp_path), INSTDESK_LOG_DIR=str(tmp_path / "log"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "instdesk", "gui", "--demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3
    assert done.stderr.strip().count("\n") == 0 and "DISPLAY" in done.stderr and "显示" in done.stderr
    assert not (tmp_path / "demo").exists()  # nothing was generated or started


def test_display_problem() -> None:
    loads_all, loads_none = (lambda _name: True), (lambda _name: False)
    assert display_problem({}, "linux", loads_all) is not None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", loads_none) is None
    assert display_problem({"DISPLAY": ":0"}, "linux", loads_all) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", loads_none) is None
    missing = display_problem({"DISPLAY": ":0"}, "linux", loads_none)
    assert missing is not None and "libxcb-cursor0" in missing and "\n" not in missing
    assert display_problem({}, "win32", loads_none) is None
    assert display_problem({}, "darwin", loads_none) is None
