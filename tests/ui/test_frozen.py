"""The frozen (PyInstaller) app starts offscreen with ``gui --smoke`` and exits 0.

Builds with ``build.spec`` unless ``INSTDESK_FROZEN_APP`` points at an already built executable (the CI
step after ``make build`` sets it). About a minute: marked slow.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from localdb.cipher import is_encrypted_file

ROOT = Path(__file__).resolve().parents[2]


def _frozen_app(tmp_path: Path) -> Path:
    given = os.environ.get("INSTDESK_FROZEN_APP")
    if given:
        return Path(given)
    dist, work = tmp_path / "dist", tmp_path / "build"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "build.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    return next(dist.glob("instdesk-*")) / "instdesk"


@pytest.mark.slow
def test_frozen_app_smoke(tmp_path: Path) -> None:
    app = _frozen_app(tmp_path)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "INSTDESK_DATA_DIR": str(tmp_path / "data"),
        "INSTDESK_LOG_DIR": str(tmp_path / "log"),
        "PYTHON_KEYRING_BACKEND": "ui.smoke_keyring.MemoryKeyring",
    }
    done = subprocess.run([str(app), "gui", "--smoke"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] and "frontdesk" in report["panels"]
    assert (tmp_path / "data" / "instdesk.sqlite3").exists()
    # the smoke keyring can keep a key: the frozen app's bundled SQLCipher encrypted the new database
    assert is_encrypted_file(tmp_path / "data" / "instdesk.sqlite3")
