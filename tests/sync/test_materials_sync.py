"""Training materials end to end with the real platform: files uploaded incrementally by hash, metadata
filed, spot checks coming down to the inbox and answered (in time, late, with a new version), another desk
getting the files (docs/materials.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.db import Database
from app.errors import RuleViolation
from app.material_store import blob_path
from app.permissions import SYSTEM_ACTOR
from app.services.materials import (
    MaterialInput,
    add_material,
    answer_spot_check,
    materials_root,
    new_version,
)
from app.views.materials import course_materials, list_spot_checks
from sync.engine import SyncEngine
from tests.sync.faults import FaultTransport
from tests.sync.helpers import engine_for, scalar, seed_rows
from tests.sync.server import LiveServer

FILES = "/v1/material-files/"


class Recorder(FaultTransport):
    """The real transport, remembering each request's method and path."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []
        self.on_request = lambda request: self.calls.append((request.method, request.url.path))

    def count(self, method: str, prefix: str) -> int:
        return sum(1 for m, p in self.calls if m == method and p.startswith(prefix))


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _desk(
    make_db: Callable[[str], Database],
    server: LiveServer,
    name: str = "desk",
    transport: httpx.BaseTransport | None = None,
) -> tuple[Database, SyncEngine, str]:
    db = make_db(name)
    ctx = seed_rows(db)
    with db.transaction() as session:  # the sample material names a file no desk has
        conn = session.connection()
        conn.exec_driver_sql("DELETE FROM sync_outbox WHERE entity = 'material'")
        conn.exec_driver_sql("DELETE FROM material")
    engine = engine_for(db, server, name, transport=transport)
    return db, engine, ctx["course"]


def _server_files(server: LiveServer) -> int:
    with server.rt.sessionmaker() as session:
        return int(session.execute(text("SELECT count(*) FROM material_file")).scalar() or 0)


def test_files_are_uploaded_once_by_hash_and_the_second_sync_uploads_nothing(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    recorder = Recorder()
    db, engine, course = _desk(make_db, server, transport=recorder)
    data = "第一单元讲义".encode() * 500
    one = add_material(
        db, SYSTEM_ACTOR, MaterialInput(course, "第一单元讲义"), _file(tmp_path, "u1.pdf", data)
    )
    twin = add_material(
        db, SYSTEM_ACTOR, MaterialInput(course, "讲义副本", kind="other"), _file(tmp_path, "copy.pdf", data)
    )
    assert one.sha256 == twin.sha256
    assert blob_path(materials_root(db), one.sha256).read_bytes() == data  # stored once, by its hash
    assert scalar(db, "SELECT count(*) FROM material_file") == 1
    assert {m.filing for m in course_materials(db, SYSTEM_ACTOR, course)} == {"local"}
    engine.sync_once()
    assert recorder.count("PUT", FILES) == 1  # the same content uploaded once
    assert _server_files(server) == 1
    assert {m.filing for m in course_materials(db, SYSTEM_ACTOR, course)} == {"filed"}
    recorder.calls.clear()
    engine.sync_once()
    assert recorder.count("PUT", FILES) == 0 and recorder.count("POST", FILES) == 0  # nothing asked again
    engine.close()


def test_a_file_the_platform_already_has_is_not_uploaded_again(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    recorder = Recorder()
    db, engine, course = _desk(make_db, server, transport=recorder)
    data = b"shared slides" * 100
    add_material(db, SYSTEM_ACTOR, MaterialInput(course, "课件"), _file(tmp_path, "s.pptx", data))
    engine.sync_once()
    with db.transaction() as session:  # as after a restore of an older backup: the mark is gone
        session.connection().exec_driver_sql("UPDATE material_file SET uploaded_at = NULL")
    recorder.calls.clear()
    engine.sync_once()
    assert recorder.count("POST", FILES + "missing") == 1 and recorder.count("PUT", FILES) == 0
    assert scalar(db, "SELECT count(*) FROM material_file WHERE uploaded_at IS NOT NULL") == 1
    engine.close()


def _request(server: LiveServer, course: str, hours: int = 72) -> str:
    made = server.call(
        "POST",
        f"/v1/regulator/institutions/{server.institution_id}/spot-checks",
        json={"course_id": course, "deadline_hours": hours, "note": "请报送本课程讲义"},
    )
    return str(made["id"])


def _platform_status(server: LiveServer, check_id: str) -> str:
    server._regulator_token = None  # a moved clock may have expired the old one
    checks = server.call("GET", f"/v1/regulator/institutions/{server.institution_id}/spot-checks")
    return str(next(c["status"] for c in checks if c["id"] == check_id))


def test_a_spot_check_comes_down_with_its_deadline_and_is_answered_in_time(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    db, engine, course = _desk(make_db, server)
    add_material(
        db, SYSTEM_ACTOR, MaterialInput(course, "讲义", reviewer="王主任"), _file(tmp_path, "a.pdf", b"v1")
    )
    engine.sync_once()
    check_id = _request(server, course, hours=48)
    engine.sync_once()
    (item,) = list_spot_checks(db, SYSTEM_ACTOR)
    assert item.request_id == check_id and item.status == "open" and item.needs_answer
    left = item.time_left(dt.datetime.now(dt.UTC))
    assert left is not None and dt.timedelta(hours=47) < left <= dt.timedelta(hours=48)
    answer_spot_check(db, SYSTEM_ACTOR, check_id)
    with pytest.raises(RuleViolation) as twice:
        answer_spot_check(db, SYSTEM_ACTOR, check_id)
    assert twice.value.code == "spot_check.already_answered"
    engine.sync_once()
    assert scalar(db, f"SELECT state FROM spot_check_answer WHERE request_id = '{check_id}'") == "sent"
    assert _platform_status(server, check_id) == "answered"
    (item,) = list_spot_checks(db, SYSTEM_ACTOR)
    assert item.status == "answered" and not item.needs_answer
    engine.close()


def test_an_answer_after_the_deadline_is_recorded_late(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    db, engine, course = _desk(make_db, server)
    add_material(db, SYSTEM_ACTOR, MaterialInput(course, "讲义"), _file(tmp_path, "a.pdf", b"v1 late"))
    engine.sync_once()
    check_id = _request(server, course, hours=1)
    engine.sync_once()
    answer_spot_check(db, SYSTEM_ACTOR, check_id)
    server.advance_seconds(3601)
    engine.sync_once()
    assert scalar(db, f"SELECT state FROM spot_check_answer WHERE request_id = '{check_id}'") == "late"
    assert _platform_status(server, check_id) == "late"
    assert list_spot_checks(db, SYSTEM_ACTOR)[0].answered_late
    engine.close()


def test_an_answer_with_a_new_version_files_the_new_file_first(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    db, engine, course = _desk(make_db, server)
    old = add_material(
        db, SYSTEM_ACTOR, MaterialInput(course, "讲义"), _file(tmp_path, "a.pdf", b"version one")
    )
    engine.sync_once()
    check_id = _request(server, course)
    engine.sync_once()
    new = new_version(db, SYSTEM_ACTOR, old.material_id, _file(tmp_path, "a2.pdf", b"version two"), "2")
    result = answer_spot_check(db, SYSTEM_ACTOR, check_id)
    assert result.items[0]["sha256"] == new.sha256 and result.items[0]["version_label"] == "2"
    engine.sync_once()
    assert _platform_status(server, check_id) == "answered"
    checks = server.call("GET", f"/v1/regulator/institutions/{server.institution_id}/spot-checks")
    assert checks[0]["items"][0]["sha256"] == new.sha256
    engine.close()


def test_another_desk_gets_the_files_of_materials_it_pulls(
    server: LiveServer, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    db, engine, course = _desk(make_db, server)
    data = b"teacher's handbook" * 50
    made = add_material(
        db, SYSTEM_ACTOR, MaterialInput(course, "教师用书", kind="textbook"), _file(tmp_path, "t.pdf", data)
    )
    engine.sync_once()
    other_dir = tmp_path / "second"
    other_dir.mkdir()
    second = Database.open(other_dir / "second.db")
    try:
        other = engine_for(second, server, "second")
        other.sync_once()
        assert blob_path(materials_root(second), made.sha256).read_bytes() == data
        rows = course_materials(second, SYSTEM_ACTOR, course)
        assert [(r.title, r.filing) for r in rows] == [("教师用书", "filed")]
        other.close()
    finally:
        second.close()
    engine.close()


def test_the_materials_file_command_files_them_with_one_sync(
    server: LiveServer,
    make_db: Callable[[str], Database],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.services.users import bootstrap_admin
    from instdesk.cli import main

    db, engine, course = _desk(make_db, server)
    engine.close()
    bootstrap_admin(db, "admin", "admin-pass-1", "管理员")
    add_material(db, SYSTEM_ACTOR, MaterialInput(course, "讲义"), _file(tmp_path, "a.pdf", b"file me"))
    assert db.path is not None
    monkeypatch.setenv("INSTDESK_PASSWORD", "admin-pass-1")
    code = main(["--db", str(db.path), "--user", "admin", "materials", "file"])
    out = capsys.readouterr().out
    assert code == 0 and "讲义" in out and out.rstrip().endswith("已报送")
    assert _server_files(server) == 1
