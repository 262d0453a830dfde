"""Broken, foreign and misplaced database files and failing exports: one Chinese line, exit status 1.

Issue 12 items 11 and 12 (docs/file-safety.md). Each case used to print a Python traceback, or worse,
to work on a file it should have refused.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import dbkey
from app.io import sinks
from tests.cli.runner import Result, run
from tests.io.test_file_safety import _FullDisk

USCC = "91350100M000100Y43"
INIT = ("init", "--name", "示例培训学校", "--uscc", USCC, "--desk", "A1")
ROOT = Path(__file__).resolve().parents[2]


def _refused(result: Result, *words: str) -> str:
    """Exit 1, nothing on stdout, one line on stderr starting with 错误 and holding every word."""
    assert result.code == 1, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def made(capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised plain database with one student (admin's password is in the environment).

    Plain (as without an OS keyring), so the tests can damage and edit the file with ``sqlite3``.
    """
    monkeypatch.setattr(dbkey, "load_or_create_key", lambda: None)
    assert run(capsys, db_path, *INIT).code == 0
    added = run(capsys, db_path, "--user", "admin", "student", "add", "--name", "张三")
    assert added.code == 0, added.err
    return db_path


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()


def test_a_newer_schema_revision_is_refused(capsys: pytest.CaptureFixture[str], made: Path) -> None:
    _set_revision(made, "0099_from_the_future")
    _refused(run(capsys, made, "check"), "更新版本", "0099_from_the_future")


def test_db_pointing_at_a_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _refused(run(capsys, tmp_path, "check"), "文件夹")
    _refused(run(capsys, tmp_path, *INIT), "文件夹")


def test_db_in_a_missing_directory_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only ``init`` makes a new database (and its folder); any other command says what is missing."""
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    target = tmp_path / "no" / "such" / "x.sqlite3"
    _refused(run(capsys, target, "check"), "不存在", str(target))
    _refused(
        run(capsys, target, "--user", "admin", "export", "students", "--out", str(tmp_path / "s.csv")),
        "不存在",
    )
    assert not (tmp_path / "no").exists()


def _unwritable_directory(tmp_path: Path) -> Path:
    """A folder this user cannot create files in: a mode-555 folder, or for root (whom modes do not
    stop) the kernel's /proc, where nobody can create a file."""
    if os.geteuid() == 0:
        return Path("/proc")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def test_db_in_a_read_only_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    target = _unwritable_directory(tmp_path) / "instdesk-test.sqlite3"
    _refused(run(capsys, target, *INIT), "无法打开数据库文件", "权限")
    assert not target.exists()


def test_writes_to_a_read_only_database_are_refused_plainly(
    capsys: pytest.CaptureFixture[str], made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's own read-only answer (a read-only file or mount) becomes the read-only message."""
    from localdb import engine

    pragmas = (*engine.PRAGMAS, "PRAGMA query_only=ON")
    monkeypatch.setattr(engine, "PRAGMAS", pragmas)
    _refused(run(capsys, made, "--user", "admin", "student", "add", "--name", "李四"), "只读")


def test_an_empty_file_is_not_a_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    db_path.write_bytes(b"")
    _refused(run(capsys, db_path, "check"), "空文件")
    _refused(run(capsys, db_path, *INIT), "空文件")
    assert db_path.stat().st_size == 0  # nothing was created in it


def test_a_file_of_another_kind_is_refused(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    db_path.write_text("姓名,手机号\n张三,13800138000\n", encoding="utf-8")
    _refused(run(capsys, db_path, "check"), "不是 InstDesk 数据库")
    other = db_path.with_name("other.sqlite3")
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    _refused(run(capsys, other, *INIT), "不是 InstDesk 数据库")


def _damage_the_middle(path: Path) -> None:
    """Overwrite pages in the middle of the file with garbage (what a failing disk does)."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    pages = path.stat().st_size // page
    with path.open("r+b") as f:
        f.seek(page * (pages // 2))
        f.write(bytes(range(256)) * (page * 3 // 256))


def _many_students(path: Path, n: int) -> None:
    """``n`` students written straight into the file (fast; the CLI adds one per run)."""
    with sqlite3.connect(path) as conn:
        rows = [(f"id-{k:05d}", f"学员{k}", f"xueyuan{k}", "xy") for k in range(n)]
        conn.executemany(
            "INSERT INTO student (id, name, name_pinyin, name_initials, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 0, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
            rows,
        )
    conn.close()


@pytest.fixture
def damaged(made: Path) -> Path:
    _many_students(made, 2000)  # a file of many pages
    _damage_the_middle(made)
    return made


def test_a_damaged_file_refuses_writes_and_says_how_to_restore(
    capsys: pytest.CaptureFixture[str], damaged: Path
) -> None:
    before = damaged.read_bytes()
    line = _refused(run(capsys, damaged, "--user", "admin", "student", "add", "--name", "王五"), "已损坏")
    assert "备份" in line and "instdesk restore" in line
    assert damaged.read_bytes() == before


def test_exporting_from_a_damaged_database(
    capsys: pytest.CaptureFixture[str], damaged: Path, tmp_path: Path
) -> None:
    out = tmp_path / "students.csv"
    _refused(run(capsys, damaged, "--user", "admin", "export", "students", "--out", str(out)), "已损坏")
    assert not out.exists()


def test_exporting_onto_a_full_disk(
    capsys: pytest.CaptureFixture[str], made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sinks.create_file
    monkeypatch.setattr(sinks, "create_file", lambda path: _FullDisk(real(path), 100))
    folder = tmp_path / "exports"
    folder.mkdir()
    for name in ("s.csv", "s.xlsx"):
        _refused(
            run(capsys, made, "--user", "admin", "export", "students", "--out", str(folder / name)),
            "磁盘空间已满",
        )
    assert list(folder.iterdir()) == []


_LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
from instdesk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_operating_system_refusing_the_export_leaves_nothing(
    capsys: pytest.CaptureFixture[str], made: Path, tmp_path: Path
) -> None:
    """A real write failure from the kernel (file size limit) in the middle of a large CSV."""
    _many_students(made, 3000)
    out = tmp_path / "exports" / "students.csv"
    out.parent.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _LIMITED,
            "--db",
            str(made),
            "--user",
            "admin",
            "export",
            "students",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    _refused(Result(done.returncode, done.stdout, done.stderr), "磁盘空间已满")
    assert list(out.parent.iterdir()) == []
    shutil.rmtree(out.parent)


def test_check_reports_the_damage_and_how_to_restore(
    capsys: pytest.CaptureFixture[str], damaged: Path
) -> None:
    result = run(capsys, damaged, "check")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.out.startswith("检查未通过：数据库文件已损坏")
    assert "instdesk restore" in result.out


def test_a_file_system_refusal_anywhere_is_one_line(
    capsys: pytest.CaptureFixture[str], made: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's last net: an ``OSError`` no layer translated is still a plain line, not a traceback."""
    import instdesk.cli_data

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "学员.xlsx")

    monkeypatch.setattr(instdesk.cli_data, "import_students", refuse)
    _refused(
        run(capsys, made, "--user", "admin", "import", "students", "学员.xlsx"),
        "学员.xlsx",
        "Permission denied",
    )
