"""Training materials at the desk: the content-addressed store (size limit, empty and unreadable files,
duplicates stored once, names never used as paths), the metadata rules, and answering spot checks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.db import Database
from app.errors import InstDeskError, NotFound, PermissionDenied, RuleViolation, ValidationError
from app.material_store import MAX_FILE_BYTES, blob_path, display_name, store_file
from app.permissions import SYSTEM_ACTOR, Actor, Role
from app.services.materials import (
    MaterialInput,
    add_material,
    answer_spot_check,
    delete_material,
    materials_root,
    new_version,
    update_material,
)
from app.views.materials import course_materials, list_spot_checks
from tests.services.factory import World

FRONT_DESK = Actor("u-desk", "desk1", Role.FRONT_DESK)


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the store --------------------------------------------------------------------------------------


def test_a_file_at_the_limit_is_stored_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "store"
    at_limit = _file(tmp_path, "a.bin", b"x" * 2048)
    stored = store_file(root, at_limit, limit=2048)
    assert stored.size_bytes == 2048 and blob_path(root, stored.sha256).read_bytes() == b"x" * 2048
    with pytest.raises(ValidationError) as over:
        store_file(root, _file(tmp_path, "b.bin", b"x" * 2049), limit=2048)
    assert over.value.code == "material.too_large"
    assert sorted(p.name for p in root.rglob("*") if p.is_file()) == [stored.sha256[2:]]  # no leftovers


def test_the_default_limit_is_50_mib() -> None:
    assert MAX_FILE_BYTES == 50 * 1024 * 1024


def test_empty_missing_and_unreadable_files_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    with pytest.raises(ValidationError) as empty:
        store_file(root, _file(tmp_path, "empty.pdf", b""))
    assert empty.value.code == "material.empty"
    with pytest.raises(ValidationError) as missing:
        store_file(root, tmp_path / "nowhere.pdf")
    assert missing.value.code == "material.not_a_file"
    with pytest.raises(ValidationError) as folder:
        store_file(root, tmp_path)
    assert folder.value.code == "material.not_a_file"
    locked = _file(tmp_path, "locked.pdf", b"secret")
    real_open = Path.open

    def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied")  # what a file without read access gives
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(ValidationError) as unreadable:
        store_file(root, locked)
    assert unreadable.value.code == "material.unreadable"
    assert "Permission denied" in str(unreadable.value)


def test_the_same_content_is_stored_once_under_its_hash(tmp_path: Path) -> None:
    root = tmp_path / "store"
    a = store_file(root, _file(tmp_path, "a.pdf", b"same content"))
    b = store_file(root, _file(tmp_path, "b.pdf", b"same content"))
    assert a == b
    assert len([p for p in root.rglob("*") if p.is_file()]) == 1


def test_file_names_never_become_paths(tmp_path: Path) -> None:
    assert display_name("../../etc/passwd") == "passwd"
    assert display_name("C:\\Users\\x\\讲义.pdf") == "讲义.pdf"
    assert display_name("bad\x00name\n.pdf") == "badname.pdf"
    with pytest.raises(ValidationError):
        blob_path(tmp_path, "../" + "a" * 61)


# --- materials --------------------------------------------------------------------------------------


def test_adding_a_material_stores_its_file_and_records_its_metadata(
    world: World, db: Database, tmp_path: Path
) -> None:
    data = "第一单元".encode()
    info = add_material(
        db,
        SYSTEM_ACTOR,
        MaterialInput(
            world.math_course_id,
            " 第一单元讲义 ",
            "handout",
            "2026春",
            "教研组",
            "王主任",
            date(2026, 2, 20),
            (world.math_class_id,),
        ),
        _file(tmp_path, "unit1.pdf", data),
    )
    assert info.title == "第一单元讲义" and info.klass_ids == (world.math_class_id,)
    assert blob_path(materials_root(db), info.sha256).read_bytes() == data
    (row,) = course_materials(db, SYSTEM_ACTOR, world.math_course_id)
    assert row.klass_names and row.filing == "local" and row.file_name == "unit1.pdf"


def test_metadata_is_checked_before_a_byte_is_copied(world: World, db: Database, tmp_path: Path) -> None:
    source = _file(tmp_path, "a.pdf", b"content")
    with pytest.raises(ValidationError) as bad_class:
        add_material(
            db,
            SYSTEM_ACTOR,
            MaterialInput(world.math_course_id, "讲义", klass_ids=(world.ball_class_id,)),
            source,
        )
    assert bad_class.value.code == "material.bad_klass"
    with pytest.raises(NotFound):
        add_material(db, SYSTEM_ACTOR, MaterialInput("no-such-course", "讲义"), source)
    with pytest.raises(ValidationError):
        add_material(db, SYSTEM_ACTOR, MaterialInput(world.math_course_id, "讲义", kind="video"), source)
    with pytest.raises(PermissionDenied):
        add_material(db, FRONT_DESK, MaterialInput(world.math_course_id, "讲义"), source)
    assert not materials_root(db).exists()


def test_a_refused_file_leaves_nothing_behind(world: World, db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as empty:
        add_material(
            db, SYSTEM_ACTOR, MaterialInput(world.math_course_id, "讲义"), _file(tmp_path, "e.pdf", b"")
        )
    assert empty.value.code == "material.empty"
    assert course_materials(db, SYSTEM_ACTOR, world.math_course_id) == []


def test_editing_metadata_and_a_new_version(world: World, db: Database, tmp_path: Path) -> None:
    made = add_material(
        db, SYSTEM_ACTOR, MaterialInput(world.math_course_id, "讲义"), _file(tmp_path, "a.pdf", b"v1")
    )
    edited = update_material(
        db, SYSTEM_ACTOR, made.material_id, title="讲义(修订)", klass_ids=[world.math_class_id]
    )
    assert edited.title == "讲义(修订)" and edited.sha256 == made.sha256
    with pytest.raises(ValidationError) as bad:
        update_material(db, SYSTEM_ACTOR, made.material_id, sha256="0" * 64)
    assert bad.value.code == "material.bad_field"
    with pytest.raises(ValidationError) as same:
        new_version(db, SYSTEM_ACTOR, made.material_id, _file(tmp_path, "b.pdf", b"v2"), "1")
    assert same.value.code == "material.same_version"
    v2 = new_version(
        db, SYSTEM_ACTOR, made.material_id, _file(tmp_path, "b.pdf", b"v2"), "2", "赵老师", date(2026, 3, 1)
    )
    assert (v2.version_label, v2.reviewer, v2.file_name) == (
        "2",
        "赵老师",
        "b.pdf",
    ) and v2.sha256 != made.sha256
    assert blob_path(materials_root(db), made.sha256).is_file()  # the filed version's file is kept
    delete_material(db, SYSTEM_ACTOR, made.material_id)
    assert course_materials(db, SYSTEM_ACTOR, world.math_course_id) == []


# --- spot checks ------------------------------------------------------------------------------------


def _spot_check(db: Database, course_id: str, status: str = "open", check_id: str = "chk-1") -> str:
    payload = {
        "id": check_id,
        "course_id": course_id,
        "status": status,
        "note": "抽查",
        "requested_at": "2026-03-01T02:00:00Z",
        "deadline_at": "2026-03-04T02:00:00Z",
    }
    with db.transaction() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, deadline, payload)"
            " VALUES ('spot_check', ?, 1, ?, ?, '2026-03-04', ?)",
            (check_id, status, course_id, json.dumps(payload)),
        )
    return check_id


def test_answering_a_spot_check_records_the_materials_as_they_are(
    world: World, db: Database, tmp_path: Path
) -> None:
    one = add_material(
        db, SYSTEM_ACTOR, MaterialInput(world.math_course_id, "A讲义"), _file(tmp_path, "a.pdf", b"a")
    )
    two = add_material(
        db,
        SYSTEM_ACTOR,
        MaterialInput(world.math_course_id, "B课件", "slides"),
        _file(tmp_path, "b.pdf", b"b"),
    )
    check = _spot_check(db, world.math_course_id)
    (item,) = list_spot_checks(db, SYSTEM_ACTOR)
    assert item.course_name and item.needs_answer and item.deadline_at is not None
    with pytest.raises(RuleViolation) as foreign:
        answer_spot_check(db, SYSTEM_ACTOR, check, ["not-a-material"])
    assert foreign.value.code == "spot_check.not_course_material"
    chosen = answer_spot_check(db, SYSTEM_ACTOR, check, [two.material_id])
    assert [i["material_id"] for i in chosen.items] == [two.material_id]
    assert chosen.items[0]["sha256"] == two.sha256
    assert one.material_id not in {i["material_id"] for i in chosen.items}
    with pytest.raises(RuleViolation) as again:
        answer_spot_check(db, SYSTEM_ACTOR, check)
    assert again.value.code == "spot_check.already_answered"
    assert list_spot_checks(db, SYSTEM_ACTOR)[0].answer_state == "pending"


def test_a_failed_answer_may_be_made_again(world: World, db: Database, tmp_path: Path) -> None:
    add_material(
        db, SYSTEM_ACTOR, MaterialInput(world.math_course_id, "讲义"), _file(tmp_path, "a.pdf", b"a")
    )
    check = _spot_check(db, world.math_course_id)
    answer_spot_check(db, SYSTEM_ACTOR, check)
    with db.transaction() as session:
        session.connection().exec_driver_sql("UPDATE spot_check_answer SET state = 'failed'")
    assert answer_spot_check(db, SYSTEM_ACTOR, check).state == "pending"


def test_spot_checks_that_cannot_be_answered(world: World, db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        answer_spot_check(db, SYSTEM_ACTOR, "unknown")
    empty = _spot_check(db, world.ball_course_id, check_id="chk-empty")
    with pytest.raises(RuleViolation) as none:
        answer_spot_check(db, SYSTEM_ACTOR, empty)
    assert none.value.code == "spot_check.no_materials"
    unknown = _spot_check(db, "course-not-here", check_id="chk-unknown")
    with pytest.raises(RuleViolation) as not_here:
        answer_spot_check(db, SYSTEM_ACTOR, unknown)
    assert not_here.value.code == "spot_check.unknown_course"
    closed = _spot_check(db, world.math_course_id, status="answered", check_id="chk-closed")
    with pytest.raises(RuleViolation) as done:
        answer_spot_check(db, SYSTEM_ACTOR, closed)
    assert done.value.code == "spot_check.closed"
    with pytest.raises(PermissionDenied):
        answer_spot_check(db, FRONT_DESK, closed)


def test_every_error_code_has_a_message() -> None:
    for code in ("material.too_large", "material.empty", "spot_check.no_materials", "material.hash_mismatch"):
        assert code in InstDeskError.messages
