"""``.ci/run``'s steps (issue 11 items 19 and 20), run by bash with stand-in commands on the PATH.

PostgreSQL that cannot start must stop CI with the failed step and the cluster's log, and never export
``INSTDESK_TEST_PG_URL``; a system Python without its shared library (Debian's ``libpythonX.Y``) must get
that package installed before the frozen build.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG_LINE = "FATAL:  could not create lock file: Permission denied"


def _tool(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def sandbox(tmp_path: Path) -> Path:
    """Stand-ins for the PostgreSQL cluster tools, a log with the reason, and an instant sleep."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib" / "15").mkdir(parents=True)
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "postgresql-15-main.log").write_text(LOG_LINE + "\n", encoding="utf-8")
    _tool(tmp_path / "bin", "pg_lsclusters", "echo '15 main 5432 down postgres /x /y'")
    _tool(tmp_path / "bin", "sleep", "exit 0")
    return tmp_path


def _start(sandbox: Path) -> subprocess.CompletedProcess[str]:
    script = 'source .ci/lib.sh; start_postgres; echo "rc=$? url=${INSTDESK_TEST_PG_URL:-none}"'
    env = {
        **os.environ,
        "PATH": f"{sandbox / 'bin'}:{os.environ['PATH']}",
        "PG_LIB_DIR": str(sandbox / "lib"),
        "PG_LOG_DIR": str(sandbox / "log"),
    }
    env.pop("INSTDESK_TEST_PG_URL", None)
    return subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_a_cluster_that_does_not_start_stops_with_its_log(sandbox: Path) -> None:
    _tool(sandbox / "bin", "pg_ctlcluster", "echo 'Error: could not start server' >&2; exit 1")
    _tool(sandbox / "bin", "su", "exit 1")
    done = _start(sandbox)
    assert "rc=1 url=none" in done.stdout
    assert "pg_ctlcluster 15 main start" in done.stderr and LOG_LINE in done.stderr


def test_a_server_that_never_answers_is_not_exported(sandbox: Path) -> None:
    _tool(sandbox / "bin", "pg_ctlcluster", "exit 0")
    _tool(sandbox / "bin", "su", "exit 2")  # pg_isready: no response
    done = _start(sandbox)
    assert "rc=1 url=none" in done.stdout
    assert "pg_isready" in done.stderr and LOG_LINE in done.stderr


def test_a_server_that_answers_is_exported(sandbox: Path) -> None:
    _tool(sandbox / "bin", "pg_ctlcluster", "exit 0")
    _tool(sandbox / "bin", "su", 'case "$3" in *pg_roles*|*pg_database*) echo 1;; esac; exit 0')
    _tool(sandbox / "bin", "psql", "exit 0")
    done = _start(sandbox)
    assert "rc=0 url=postgresql+psycopg://instdesk:instdesk@127.0.0.1:5432/instdesk_test" in done.stdout


def test_a_system_python_without_its_shared_library_gets_libpython(tmp_path: Path) -> None:
    fake = tmp_path / "python3"
    fake.write_text(
        "#!/bin/bash\n"
        'case "$2" in\n'
        "  *version_info*) echo 3.11;;\n"
        "  *INSTSONAME*) echo libpython3.11.so.1.0;;\n"
        f"  *LIBDIR*) echo {tmp_path}/usr/lib;;\n"
        "  *ensurepip*) exit 1;;\n"
        "esac\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    (tmp_path / "bin").mkdir()
    _tool(tmp_path / "bin", "ldconfig", "echo 'libc.so.6 (libc6,x86-64) => /lib/libc.so.6'")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", f"source .ci/lib.sh; frozen_build_packages {fake}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["libpython3.11", "python3.11-venv"]


def test_run_installs_the_frozen_build_packages_and_stops_without_postgres() -> None:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "frozen_build_packages" in text and "exit 1" in text
