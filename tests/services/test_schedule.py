"""Scheduling: every timetable rule and double booking is refused with its date, nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import PermissionDenied, RuleViolation
from app.services import catalog, rollcall, schedule
from localdb.ids import session_id
from localdb.models import LessonSession
from tests.services.factory import DESK, MANAGER, World, count, enroll, math_sessions, outbox


def problem_codes(exc: pytest.ExceptionInfo[RuleViolation]) -> set[str]:
    assert exc.value.code == "schedule.rejected"
    return {p.code for p in exc.value.params["problems"]}


def test_rule_generates_sessions_with_deterministic_ids(world: World) -> None:
    result = math_sessions(world, weeks=4)
    assert result.sessions_created == 4
    assert result.dates == (date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23))
    assert result.rule_id is not None
    assert result.session_ids == tuple(session_id(result.rule_id, d) for d in result.dates)
    assert outbox(world.db, "lesson_session") == 4 and outbox(world.db, "schedule_rule") == 1
    with world.db.reading() as session:
        lesson = session.get(LessonSession, result.session_ids[0])
        assert lesson is not None
        assert (lesson.teacher_id, lesson.room_id, lesson.units) == (
            world.math_teacher_id,
            world.room_id,
            Decimal(1),
        )


def test_adjusted_working_saturday_allowed_plain_saturday_refused(world: World) -> None:
    ok = schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 2, 14), "18:00", "18:45")
    assert ok.sessions_created == 1
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 2, 7), "18:00", "18:45")
    assert problem_codes(exc) == {"timetable.subject_on_rest_day"}
    assert exc.value.params["problems"][0].day == date(2026, 2, 7)
    assert "2026-02-07" in str(exc.value)


def test_holiday_in_a_rule_is_named_and_nothing_is_written(world: World) -> None:
    before = count(world.db, LessonSession)
    with pytest.raises(RuleViolation) as exc:  # Mondays 2026-04-27 .. 2026-05-11: 05-04 is 劳动节
        schedule.add_schedule_rule(
            world.db, MANAGER, world.math_class_id, 0, "18:00", "18:45", date(2026, 4, 27), date(2026, 5, 11)
        )
    assert [p.day for p in exc.value.params["problems"]] == [date(2026, 5, 4)]
    assert count(world.db, LessonSession) == before


def test_offline_end_2030_vs_2031(world: World) -> None:
    day = date(2026, 3, 7)  # a Saturday: non-subject lessons may be on weekends
    schedule.add_session(world.db, MANAGER, world.ball_class_id, day, "19:30", "20:30")
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(world.db, MANAGER, world.ball_class_id, date(2026, 3, 14), "19:31", "20:31")
    assert problem_codes(exc) == {"timetable.offline_too_late"}


def test_school_hours_refused_on_school_days(world: World) -> None:
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(world.db, MANAGER, world.ball_class_id, date(2026, 3, 4), "15:00", "16:00")
    assert problem_codes(exc) == {"timetable.during_school_hours"}


def test_teacher_room_and_class_double_booking(world: World) -> None:
    day = date(2026, 3, 2)
    math_sessions(world, weeks=1)  # 18:00-18:45 in room 101 with the math teacher
    with pytest.raises(RuleViolation) as same_class:
        schedule.add_session(
            world.db, MANAGER, world.math_class_id, day, "18:30", "19:00", room_id=world.room2_id
        )
    assert "schedule.class_busy" in problem_codes(same_class)
    second = catalog.add_class(
        world.db,
        MANAGER,
        catalog.KlassInput(world.math_course_id, "数学2班", 20, 0, world.math_teacher_id, world.room2_id),
    )
    with pytest.raises(RuleViolation) as teacher:
        schedule.add_session(world.db, MANAGER, second.klass_id, day, "18:40", "19:20")
    assert problem_codes(teacher) == {"schedule.teacher_busy"}
    schedule.add_session(world.db, MANAGER, second.klass_id, day, "18:45", "19:30")  # touching is fine
    with pytest.raises(RuleViolation) as room:
        schedule.add_session(
            world.db, MANAGER, world.ball_class_id, day, "18:00", "19:00", room_id=world.room_id
        )
    assert problem_codes(room) == {"schedule.room_busy"}


def test_student_double_booking(world: World) -> None:
    student = world.students[0]
    enroll(world, student)  # joins the math class
    catalog.add_class_member(world.db, MANAGER, world.ball_class_id, student)
    math_sessions(world, weeks=1)
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(world.db, MANAGER, world.ball_class_id, date(2026, 3, 2), "18:30", "19:30")
    assert problem_codes(exc) == {"schedule.student_busy"}
    assert "张三" in exc.value.params["problems"][0].message
    schedule.add_session(world.db, MANAGER, world.ball_class_id, date(2026, 3, 2), "19:00", "20:00")


def test_teacher_without_background_check_cannot_be_scheduled(world: World) -> None:
    fresh = catalog.add_staff(world.db, MANAGER, catalog.StaffInput("新人", ability_cert_no="X1"))
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(
            world.db,
            MANAGER,
            world.ball_class_id,
            date(2026, 3, 7),
            "10:00",
            "11:00",
            teacher_id=fresh.staff_id,
        )
    assert problem_codes(exc) == {"staff.background_check_not_passed"}
    assert exc.value.params["problems"][0].day is None


def test_online_rules(world: World) -> None:
    course = catalog.add_course(
        world.db,
        MANAGER,
        catalog.CourseInput("线上编程", "non_subject", "编程", "other", 30, Decimal(20), 100_000, "online"),
    )
    klass = catalog.add_class(
        world.db, MANAGER, catalog.KlassInput(course.course_id, "编程1班", 20, 0, world.art_teacher_id)
    )
    day = date(2026, 3, 7)
    schedule.add_session(world.db, MANAGER, klass.klass_id, day, "20:00", "20:30")
    with pytest.raises(RuleViolation) as gap:
        schedule.add_session(world.db, MANAGER, klass.klass_id, day, "20:35", "21:00")
    assert problem_codes(gap) == {"timetable.online_gap_too_short"}
    with pytest.raises(RuleViolation) as late:
        schedule.add_session(world.db, MANAGER, klass.klass_id, date(2026, 3, 8), "20:40", "21:01")
    assert problem_codes(late) == {"timetable.online_too_late"}
    with pytest.raises(RuleViolation) as long:
        schedule.add_session(world.db, MANAGER, klass.klass_id, date(2026, 3, 8), "19:00", "19:31")
    assert problem_codes(long) == {"timetable.online_too_long"}
    schedule.add_session(world.db, MANAGER, klass.klass_id, day, "20:40", "21:00")


def test_cancel_session_and_permissions(world: World) -> None:
    result = math_sessions(world, weeks=2)
    with pytest.raises(PermissionDenied):
        schedule.add_session(world.db, DESK, world.math_class_id, date(2026, 3, 3), "18:00", "18:45")
    enroll(world, world.students[0])
    rollcall.roll_call(world.db, DESK, result.session_ids[0], {world.students[0]: "present"})
    with pytest.raises(RuleViolation) as held:
        schedule.cancel_session(world.db, MANAGER, result.session_ids[0])
    assert held.value.code == "session.has_attendance"
    schedule.cancel_session(world.db, MANAGER, result.session_ids[1], "老师请假")
    with pytest.raises(RuleViolation):
        rollcall.roll_call(world.db, DESK, result.session_ids[1], {world.students[0]: "present"})
    # a cancelled lesson frees the slot
    schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 3, 9), "18:00", "18:45")
