"""The demo generator: deterministic, lawful by the same rules, consistent by ``check``."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.demo.generator import GenerationSummary, checksums, generate, window_for
from app.demo.lessons import AttendanceIds
from app.errors import InstDeskError
from app.policy import PolicyParams
from app.rules.timetable import LessonSlot, check_slot
from app.validators import validate_id_number, validate_mobile, validate_uscc
from app.workcal import is_working_day
from localdb.codes import CourseCategory, Delivery, Stage
from localdb.ids import attendance_id
from localdb.invariants import check_all
from tests.demo.conftest import SEED, STUDENTS, UNTIL
from tests.rawdb import file_engine


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    engine = file_engine(path)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_same_seed_same_data(generated: tuple[Path, GenerationSummary], tmp_path: Path) -> None:
    path, summary = generated
    again = generate(tmp_path / "again.sqlite3", STUDENTS, SEED, until=UNTIL)
    assert again.counts == summary.counts and again.outbox_ops == summary.outbox_ops
    assert checksums(tmp_path / "again.sqlite3") == checksums(path)
    other = generate(tmp_path / "other.sqlite3", STUDENTS, SEED + 1, until=UNTIL)
    assert checksums(tmp_path / "other.sqlite3")["student"] != checksums(path)["student"]
    assert other.counts["student"] == STUDENTS


def test_shape_and_every_row_captured(generated: tuple[Path, GenerationSummary]) -> None:
    _, summary = generated
    counts = summary.counts
    assert counts["student"] == counts["guardian"] == STUDENTS
    assert counts["attendance"] > STUDENTS * 10
    assert counts["contract"] == counts["payment"] and counts["klass"] == counts["schedule_rule"]
    assert summary.outbox_ops == sum(counts.values())
    assert (summary.date_from, summary.date_to) == window_for(UNTIL) == (date(2026, 5, 1), date(2026, 10, 31))


def test_invariants_hold(generated: tuple[Path, GenerationSummary]) -> None:
    engine = file_engine(generated[0])
    try:
        with engine.connect() as conn:
            report = check_all(conn)
    finally:
        engine.dispose()
    assert report.ok and not report.overdrawn


def test_identities_are_valid(generated: tuple[Path, GenerationSummary]) -> None:
    path = generated[0]
    for number, phone in _rows(path, "SELECT id_number, phone FROM student"):
        validate_id_number(str(number), today=UNTIL)
        validate_mobile(str(phone))
    (uscc,) = _rows(path, "SELECT uscc FROM institution")[0]
    assert validate_uscc(str(uscc)) == uscc


def test_lessons_obey_the_timetable_rules(generated: tuple[Path, GenerationSummary]) -> None:
    rows = _rows(
        generated[0],
        "SELECT s.date, s.start_time, s.end_time, c.category FROM lesson_session s "
        "JOIN klass k ON k.id = s.klass_id JOIN course c ON c.id = k.course_id",
    )
    for day, start, end, category in rows:
        d = date.fromisoformat(str(day))
        kind = CourseCategory(str(category))
        slot = LessonSlot(
            d,
            time.fromisoformat(str(start)),
            time.fromisoformat(str(end)),
            kind,
            Delivery.OFFLINE,
            Stage.COMPULSORY,
        )
        assert check_slot(slot, PolicyParams()) == []
        if category == "subject":
            assert is_working_day(d) and d.weekday() < 5 and start == "18:00"
        else:
            assert d.weekday() >= 5


def test_attendance_ids_are_the_shared_deterministic_ones(generated: tuple[Path, GenerationSummary]) -> None:
    for att_id, session_id, student_id in _rows(
        generated[0], "SELECT id, session_id, student_id FROM attendance LIMIT 50"
    ):
        assert att_id == attendance_id(str(session_id), str(student_id))
    assert AttendanceIds("A-b").id("C-d") == attendance_id("A-b", "C-d")


def test_refuses_a_database_with_data(generated: tuple[Path, GenerationSummary]) -> None:
    with pytest.raises(InstDeskError):
        generate(generated[0], 10, 1, until=UNTIL)
