"""One write primitive, one error translation, one audit writer (``app.db``).

Every path that used to translate storage failures on its own — roll call and the lesson cancel on the
driver's connection, the ORM transaction — now reports a full disk or a locked file as the same coded
``StorageError``, and what was committed before is still there.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.db import Database, audit
from app.errors import StorageError
from app.permissions import Actor
from app.services import lesson_changes, rollcall
from localdb.cipher import driver_connection
from localdb.ids import attendance_id
from localdb.models import Attendance, AuditLog, LessonSession
from tests.services.factory import DESK, MANAGER, World, count, enroll, math_sessions, outbox
from tests.storage_faults import failing, write_lock_held


@pytest.fixture
def lessons(world: World) -> tuple[str, ...]:
    return math_sessions(world, weeks=2).session_ids


def _saved(world: World) -> tuple[int, int, int]:
    """Attendance rows, outbox ops and audit rows on file."""
    return count(world.db, Attendance), outbox(world.db), count(world.db, AuditLog)


def _first_roll_call(world: World, lessons: tuple[str, ...]) -> str:
    student = world.students[0]
    enroll(world, student)
    rollcall.roll_call(world.db, DESK, lessons[0], {student: "present"})
    return student


def test_a_full_disk_during_a_roll_call_is_a_coded_error_and_keeps_the_last_one(
    world: World, lessons: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    student = _first_roll_call(world, lessons)
    before = _saved(world)
    with failing(monkeypatch, world.db, "INSERT INTO attendance"), pytest.raises(StorageError) as err:
        rollcall.roll_call(world.db, DESK, lessons[1], {student: "present"})
    assert err.value.code == "storage.full"
    assert _saved(world) == before
    with world.db.reading() as session:
        assert session.get(Attendance, attendance_id(lessons[0], student)) is not None
        assert session.get(Attendance, attendance_id(lessons[1], student)) is None
    rollcall.roll_call(world.db, DESK, lessons[1], {student: "present"})  # the disk has room again
    assert count(world.db, Attendance) == before[0] + 1


def test_a_locked_file_during_a_roll_call_is_a_coded_error(world: World, lessons: tuple[str, ...]) -> None:
    student = _first_roll_call(world, lessons)
    before = _saved(world)
    with write_lock_held(world.db), pytest.raises(StorageError) as err:
        rollcall.undo_roll_call(world.db, DESK, lessons[0])
    assert err.value.code == "storage.locked"
    assert _saved(world) == before
    assert rollcall.undo_roll_call(world.db, DESK, lessons[0]).student_ids == (student,)


def test_cancelling_a_lesson_on_a_full_disk_changes_nothing(
    world: World, lessons: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    _first_roll_call(world, lessons)
    before = _saved(world)
    with failing(monkeypatch, world.db, "UPDATE lesson_session"), pytest.raises(StorageError) as err:
        lesson_changes.cancel_session(world.db, MANAGER, lessons[0], "停电")
    assert err.value.code == "storage.full"
    assert _saved(world) == before
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == "held"


def test_a_driver_statement_inside_an_orm_transaction_is_translated_too(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _saved(world)
    with failing(monkeypatch, world.db, "DELETE FROM local_setting"), pytest.raises(StorageError) as err:
        with world.db.transaction() as session:
            audit(session, MANAGER, "test.full_disk")
            driver_connection(session.connection()).execute("DELETE FROM local_setting WHERE key = 'x'")
    assert err.value.code == "storage.full"
    assert _saved(world) == before  # the audit row went with the failed transaction


def test_a_locked_file_refuses_an_orm_transaction_and_an_immediate_one_alike(world: World) -> None:
    codes = []
    with write_lock_held(world.db):
        for attempt in (_orm_write, _immediate_write):
            with pytest.raises(StorageError) as err:
                attempt(world.db, MANAGER)
            codes.append(err.value.code)
    assert codes == ["storage.locked", "storage.locked"]


def _orm_write(db: Database, actor: Actor) -> None:
    with db.transaction() as session:
        audit(session, actor, "test.locked")


def _immediate_write(db: Database, actor: Actor) -> None:
    with db.write_transaction() as conn:
        audit(conn, actor, "test.locked")


def test_one_audit_writer_for_the_session_and_the_driver_connection(world: World) -> None:
    with world.db.transaction() as session:
        audit(session, DESK, "test.same", "lesson_session", "L1", b=2, a="一")
    with world.db.write_transaction() as conn:
        audit(conn, DESK, "test.same", "lesson_session", "L1", at="2026-03-02 01:02:03.000000", b=2, a="一")
    with world.db.reading() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "test.same").order_by(AuditLog.id))
        found = [(r.user_id, r.username, r.entity, r.entity_id, json.loads(r.detail or "")) for r in rows]
        last = session.scalars(
            select(AuditLog.at).where(AuditLog.action == "test.same").order_by(AuditLog.id.desc())
        ).first()
    expected = (DESK.user_id, DESK.username, "lesson_session", "L1", {"a": "一", "b": 2})
    assert found == [expected, expected]
    assert last is not None and last.isoformat(sep=" ", timespec="seconds") == "2026-03-02 01:02:03+00:00"
