"""Scheduling: every timetable rule and double booking is refused with its date, nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services import catalog, lesson_changes, rollcall, schedule
from localdb.balances import contract_balance
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
    ok = schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 10, 10), "18:00", "18:45")
    assert ok.sessions_created == 1
    with pytest.raises(RuleViolation) as exc:
        schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 10, 17), "18:00", "18:45")
    assert problem_codes(exc) == {"timetable.subject_on_rest_day"}
    assert exc.value.params["problems"][0].day == date(2026, 10, 17)
    assert "2026-10-17" in str(exc.value)


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


def test_cancel_session_gives_charges_back_and_needs_a_reason(world: World) -> None:
    result = math_sessions(world, weeks=2)
    with pytest.raises(PermissionDenied):
        schedule.add_session(world.db, DESK, world.math_class_id, date(2026, 3, 3), "18:00", "18:45")
    contract = enroll(world, world.students[0]).contract_id
    rollcall.roll_call(world.db, DESK, result.session_ids[0], {world.students[0]: "present"})
    with pytest.raises(ValidationError) as no_reason:
        lesson_changes.cancel_session(world.db, MANAGER, result.session_ids[0], "  ")
    assert no_reason.value.code == "session.reason_required"
    with pytest.raises(PermissionDenied):
        lesson_changes.cancel_session(world.db, DESK, result.session_ids[0], "老师请假")
    cancelled = lesson_changes.cancel_session(world.db, MANAGER, result.session_ids[0], "老师请假")
    assert cancelled.given_back == (world.students[0],)
    assert (cancelled.klass_id, cancelled.day, cancelled.start) == (
        world.math_class_id,
        date(2026, 3, 2),
        "18:00",
    )
    with world.db.reading() as session:
        assert contract_balance(session, contract).units_left == Decimal(20)
        lesson = session.get(LessonSession, result.session_ids[0])
        assert lesson is not None and lesson.status == "cancelled"
    with pytest.raises(RuleViolation) as again:
        lesson_changes.cancel_session(world.db, MANAGER, result.session_ids[0], "再取消")
    assert again.value.code == "session.not_scheduled"
    with pytest.raises(RuleViolation):
        rollcall.roll_call(world.db, DESK, result.session_ids[0], {world.students[0]: "present"})
    # a cancelled lesson frees the slot for the make-up
    schedule.add_session(world.db, MANAGER, world.math_class_id, date(2026, 3, 2), "18:00", "18:45")


def test_move_a_lesson_under_the_same_rules(world: World) -> None:
    lessons = math_sessions(world, weeks=2).session_ids
    with pytest.raises(RuleViolation) as holiday:  # a Saturday: 学科类 not on rest days
        lesson_changes.move_session(world.db, MANAGER, lessons[0], date(2026, 3, 7), "18:00", "18:45")
    assert problem_codes(holiday) == {"timetable.subject_on_rest_day"}
    with pytest.raises(RuleViolation) as clash:  # onto the class's own next lesson
        lesson_changes.move_session(world.db, MANAGER, lessons[0], date(2026, 3, 9), "18:30", "19:15")
    assert problem_codes(clash) == {"schedule.class_busy", "schedule.teacher_busy", "schedule.room_busy"}
    # a lesson is not its own double booking: 15 minutes later on the same day is fine
    moved = lesson_changes.move_session(world.db, MANAGER, lessons[0], date(2026, 3, 2), "18:15", "19:00")
    assert moved.session_ids == (lessons[0],)
    lesson_changes.move_session(
        world.db, MANAGER, lessons[0], date(2026, 3, 3), "18:00", "18:45", world.room2_id
    )
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None
        assert (lesson.date, lesson.start_time, lesson.room_id) == (date(2026, 3, 3), "18:00", world.room2_id)
    enroll(world, world.students[0])
    rollcall.roll_call(world.db, DESK, lessons[1], {world.students[0]: "present"})
    with pytest.raises(RuleViolation) as held:
        lesson_changes.move_session(world.db, MANAGER, lessons[1], date(2026, 3, 10), "18:00", "18:45")
    assert held.value.code == "session.not_movable"
    with pytest.raises(PermissionDenied):
        lesson_changes.move_session(world.db, DESK, lessons[0], date(2026, 3, 4), "18:00", "18:45")


def test_substitute_teacher_must_be_allowed_and_free(world: World) -> None:
    lessons = math_sessions(world, weeks=1).session_ids
    with pytest.raises(RuleViolation) as no_cert:  # the coach has no 教师资格证 for 数学
        lesson_changes.substitute_teacher(world.db, MANAGER, lessons[0], world.art_teacher_id)
    assert problem_codes(no_cert) == {"staff.no_teacher_certificate"}
    with pytest.raises(RuleViolation) as same:
        lesson_changes.substitute_teacher(world.db, MANAGER, lessons[0], world.math_teacher_id)
    assert same.value.code == "session.same_teacher"
    other = catalog.add_staff(
        world.db, MANAGER, catalog.StaffInput("陈老师", teacher_cert_no="T2", teacher_cert_subject="高中数学")
    )
    catalog.set_background_check(world.db, MANAGER, other.staff_id, "passed")
    busy = catalog.add_class(
        world.db,
        MANAGER,
        catalog.KlassInput(world.math_course_id, "数学2班", 20, 0, other.staff_id, world.room2_id),
    )
    schedule.add_session(world.db, MANAGER, busy.klass_id, date(2026, 3, 2), "18:00", "18:45")
    with pytest.raises(RuleViolation) as taken:
        lesson_changes.substitute_teacher(world.db, MANAGER, lessons[0], other.staff_id)
    assert problem_codes(taken) == {"schedule.teacher_busy"}
    third = catalog.add_staff(
        world.db, MANAGER, catalog.StaffInput("林老师", teacher_cert_no="T3", teacher_cert_subject="数学")
    )
    catalog.set_background_check(world.db, MANAGER, third.staff_id, "passed")
    lesson_changes.substitute_teacher(world.db, MANAGER, lessons[0], third.staff_id)
    with world.db.reading() as session:
        lesson = session.get(LessonSession, lessons[0])
        assert lesson is not None and lesson.teacher_id == third.staff_id


def test_rule_over_a_holiday_skips_it_when_confirmed(world: World) -> None:
    before = count(world.db, LessonSession)
    args = (world.db, MANAGER, world.math_class_id, 0, "18:00", "18:45", date(2026, 4, 27), date(2026, 5, 11))
    preview = schedule.preview_schedule_rule(*args)
    assert preview.dates == (date(2026, 4, 27), date(2026, 5, 11)) and preview.problems == ()
    assert [s.day for s in preview.skipped] == [date(2026, 5, 4)]
    assert "法定节假日" in preview.skipped[0].reason
    assert count(world.db, LessonSession) == before  # the preview writes nothing
    result = schedule.add_schedule_rule(*args, skip_closed_days=True)
    assert result.dates == preview.dates and result.skipped == preview.skipped
    assert count(world.db, LessonSession) == before + 2
    # other problems still refuse the whole rule, skipped dates or not
    with pytest.raises(RuleViolation) as clash:
        schedule.add_schedule_rule(*args, skip_closed_days=True)
    assert "schedule.class_busy" in problem_codes(clash)
    assert count(world.db, LessonSession) == before + 2


def test_rule_with_only_closed_dates_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation) as exc:  # Saturdays only: 学科类 never on weekends
        schedule.add_schedule_rule(
            world.db,
            MANAGER,
            world.math_class_id,
            5,
            "10:00",
            "10:45",
            date(2026, 3, 2),
            date(2026, 3, 31),
            skip_closed_days=True,
        )
    assert exc.value.code == "schedule.all_closed"
