"""Undo sets ``attendance.undone`` (the note is only kept for older desks); a re-mark clears it; readers
ask the column, so a note that happens to read 已撤销点名 undoes nothing."""

from __future__ import annotations

import json

import pytest

from app.services import rollcall
from localdb.codes import LEGACY_UNDONE_NOTE, AttendanceStatus, SessionStatus
from localdb.ids import attendance_id
from localdb.models import Attendance, LessonSession, SyncOutbox
from tests.services.factory import DESK, World, enroll, math_sessions


@pytest.fixture
def lessons(world: World) -> tuple[str, ...]:
    return math_sessions(world, weeks=2).session_ids


def _row(world: World, session_id: str, student: str) -> Attendance:
    with world.db.reading() as session:
        row = session.get(Attendance, attendance_id(session_id, student))
        assert row is not None
        session.expunge(row)
        return row


def _last_payload(world: World) -> dict[str, object]:
    with world.db.reading() as session:
        op = (
            session.query(SyncOutbox)
            .filter(SyncOutbox.entity == "attendance")
            .order_by(SyncOutbox.seq.desc())
        )
        first = op.first()
        assert first is not None
        return dict(json.loads(first.payload))


def test_undo_sets_the_column_and_a_re_mark_clears_it(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    enroll(world, a)
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "late"})
    assert _row(world, lessons[0], a).undone is False
    rollcall.undo_roll_call(world.db, DESK, lessons[0], [a])
    row = _row(world, lessons[0], a)
    assert row.undone is True and not row.charged and row.status == AttendanceStatus.LATE
    assert row.note == LEGACY_UNDONE_NOTE  # what desks older than the column read
    assert _last_payload(world)["undone"] == 1
    result = rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"})
    assert result.changes == 1
    row = _row(world, lessons[0], a)
    assert row.undone is False and row.charged and row.note is None
    assert _last_payload(world)["undone"] == 0


def test_a_note_reading_like_an_undo_undoes_nothing(world: World, lessons: tuple[str, ...]) -> None:
    a = world.students[0]
    enroll(world, a)
    rollcall.roll_call(world.db, DESK, lessons[0], {a: "present"}, note=LEGACY_UNDONE_NOTE)
    row = _row(world, lessons[0], a)
    assert row.undone is False and row.charged
    undone = rollcall.undo_roll_call(world.db, DESK, lessons[0])  # it is a live mark, so it is undone
    assert undone.student_ids == (a,) and _row(world, lessons[0], a).undone is True
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.status == SessionStatus.SCHEDULED
