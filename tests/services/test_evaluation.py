"""机构内部管理评价 (``app.views.evaluation``): each figure on both sides of its rule (docs/domain.md).

The world: 数学1班 (王老师) has weekly Monday lessons from 2026-03-02; three students enrolled in it.
March's roll calls: 03-02 a present, b late, c leave; 03-09 a present, b absent, c present then undone;
03-16 a present then undone (no lesson left); 03-23 a leave, b present; 03-30 nobody called. a's leave of
03-23 is made up on 04-08 in 补课班 (陈老师).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.db import Database
from app.errors import PermissionDenied, ValidationError
from app.services import catalog, rollcall, schedule
from app.views.evaluation import (
    EvalFigures,
    compare,
    evaluate,
    evaluate_compared,
    per_lesson_fen,
    ratio,
)
from app.views.evaluation_export import export_evaluation
from localdb.ids import attendance_id
from tests.services.factory import DESK, MANAGER, STATS, World, enroll, math_sessions

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
SPRING = (date(2026, 3, 1), date(2026, 4, 30))


class School:
    def __init__(self, world: World) -> None:
        self.world = world
        self.a, self.b, self.c = world.students
        self.contracts = {s: enroll(world, s).contract_id for s in world.students}
        self.lessons = math_sessions(world, weeks=5).session_ids
        self.chen = catalog.add_staff(
            world.db,
            MANAGER,
            catalog.StaffInput("陈老师", teacher_cert_no="T2", teacher_cert_subject="初中数学"),
        ).staff_id
        catalog.set_background_check(world.db, MANAGER, self.chen, "passed")
        self.makeup_class = catalog.add_class(
            world.db, MANAGER, catalog.KlassInput(world.math_course_id, "补课班", 10, 0, self.chen)
        ).klass_id

    def call(self, week: int, marks: dict[str, str]) -> str:
        lesson = self.lessons[week]
        rollcall.roll_call(self.world.db, DESK, lesson, marks)
        return lesson

    def march(self) -> None:
        a, b, c = self.a, self.b, self.c
        self.call(0, {a: "present", b: "late", c: "leave"})
        second = self.call(1, {a: "present", b: "absent", c: "present"})
        rollcall.undo_roll_call(self.world.db, DESK, second, [c])
        third = self.call(2, {a: "present"})
        rollcall.undo_roll_call(self.world.db, DESK, third)
        self.call(3, {a: "leave", b: "present"})

    def make_up_in_april(self) -> str:
        lesson = schedule.add_session(
            self.world.db, MANAGER, self.makeup_class, date(2026, 4, 8), "19:00", "19:45"
        ).session_ids[0]
        rollcall.roll_call(self.world.db, DESK, lesson, {self.a: "makeup"})
        return lesson


@pytest.fixture
def school(world: World) -> School:
    return School(world)


def by_label(db: Database, by: str, period: tuple[date, date]) -> dict[str, EvalFigures]:
    return {row.label: row.figures for row in evaluate(db, STATS, by, *period).rows}


def inbox(db: Database, entity: str, payload: dict[str, object], **columns: object) -> None:
    """A row as sync stores what the platform sends (``platform_inbox``)."""
    entity_id = f"{entity}-{len(json.dumps(payload))}-{hash(json.dumps(payload, sort_keys=True))}"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, deleted, payload)"
            " VALUES (?, ?, 1, ?, ?, ?, ?)",
            (
                entity,
                entity_id,
                columns.get("status"),
                columns.get("related_id"),
                int(bool(columns.get("deleted"))),
                json.dumps(payload, ensure_ascii=False),
            ),
        )


def refund_at(db: Database, contract_id: str, student_id: str, created_at: str, fen: int) -> None:
    """A refund booked at a chosen instant (stored UTC text), as a pulled row would arrive."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO refund (id, version, created_at, updated_at, contract_id, student_id, units_x100,"
            " amount_fen, reason, source) VALUES (?, 1, ?, ?, ?, ?, 100, ?, '测试', 'desk')",
            (f"refund-{created_at}", created_at, created_at, contract_id, student_id, fen),
        )


# --- lessons, attendance, 课消 -------------------------------------------------------------------------


def test_lessons_held_expected_and_attended_leave_undone_roll_calls_out(school: School) -> None:
    school.march()
    math = by_label(school.world.db, "klass", MARCH)["初一数学 · 数学1班"]
    # 03-02, 03-09, 03-23 held; 03-16 (every row undone) and 03-30 (not called) are not
    assert math.lessons_held == 3
    assert (math.expected, math.attended) == (3 + 2 + 2, 2 + 1 + 1)
    assert math.attendance_rate == Decimal("0.5714")
    # a, b on 03-02, a and b (absent, charged) on 03-09, b on 03-23: 5 × 10,000 fen over 3 lessons
    assert math.consumed_fen == 50_000 and math.fen_per_lesson == 16_667


def test_one_day_periods_are_inclusive_local_dates(school: School) -> None:
    school.march()
    db = school.world.db
    first = by_label(db, "teacher", (date(2026, 3, 2), date(2026, 3, 2)))["王老师"]
    assert (first.lessons_held, first.expected) == (1, 3)
    assert by_label(db, "teacher", (date(2026, 3, 3), date(2026, 3, 8))) == {}
    before = by_label(db, "teacher", (date(2026, 3, 1), date(2026, 3, 1)))
    assert before == {}


def test_no_lessons_means_no_rate_and_no_division_by_zero(school: School) -> None:
    empty = evaluate(school.world.db, STATS, "teacher", *MARCH)
    assert empty.rows == () and empty.total.lessons_held == 0
    total = empty.total
    assert (total.attendance_rate, total.fen_per_lesson, total.makeup_rate, total.average_rating) == (
        None,
        None,
        None,
        None,
    )
    assert ratio(0, 0) is None and per_lesson_fen(100, 0) is None
    assert ratio(1, 3) == Decimal("0.3333") and ratio(2, 3) == Decimal("0.6667")
    assert per_lesson_fen(5, 2) == 3 and per_lesson_fen(-5, 2) == -3  # half up, away from zero


def test_lessons_count_for_their_own_teacher_before_the_class_teacher(school: School) -> None:
    world = school.world
    lesson = schedule.add_session(
        world.db,
        MANAGER,
        world.math_class_id,
        date(2026, 3, 4),
        "18:00",
        "18:45",
        teacher_id=school.chen,
    ).session_ids[0]
    rollcall.roll_call(world.db, DESK, lesson, {school.a: "present"})
    school.call(0, {school.a: "present"})
    teachers = by_label(world.db, "teacher", MARCH)
    assert teachers["陈老师"].lessons_held == 1 and teachers["王老师"].lessons_held == 1
    assert by_label(world.db, "klass", MARCH)["初一数学 · 数学1班"].lessons_held == 2


# --- make-ups ------------------------------------------------------------------------------------------


def test_make_up_rate_counts_leaves_made_up_by_the_periods_last_day(school: School) -> None:
    school.march()
    db = school.world.db
    march = by_label(db, "klass", MARCH)["初一数学 · 数学1班"]
    assert (march.leaves, march.made_up, march.makeup_rate) == (2, 0, Decimal(0))
    makeup = school.make_up_in_april()
    assert by_label(db, "klass", MARCH)["初一数学 · 数学1班"].made_up == 0  # made up after March
    spring = by_label(db, "klass", SPRING)
    assert spring["初一数学 · 数学1班"].makeup_rate == Decimal("0.5000")
    # the make-up lesson is a lesson of 补课班 (charged), not a leave of it
    assert (spring["初一数学 · 补课班"].lessons_held, spring["初一数学 · 补课班"].leaves) == (1, 0)
    assert spring["初一数学 · 补课班"].expected == 0  # a make-up guest is not on the class list
    rollcall.undo_roll_call(db, DESK, makeup)
    assert by_label(db, "klass", SPRING)["初一数学 · 数学1班"].made_up == 0


def test_an_undone_leave_is_no_longer_a_leave(school: School) -> None:
    lesson = school.call(0, {school.c: "leave"})
    rollcall.undo_roll_call(school.world.db, DESK, lesson)
    assert by_label(school.world.db, "klass", MARCH) == {}


# --- reviews, complaints, disputes ---------------------------------------------------------------------


def test_reviews_count_on_their_local_day_for_the_lesson_or_contract_they_name(school: School) -> None:
    school.march()
    db = school.world.db
    lesson = attendance_id(school.lessons[0], school.a)
    inbox(
        db,
        "review",
        {"rating": 5, "text": "很好", "created_at": "2026-02-28T16:00:00Z", "attendance_id": lesson},
    )  # local 03-01 00:00
    inbox(
        db,
        "review",
        {
            "rating": 2,
            "text": "一般",
            "created_at": "2026-03-31T15:59:59Z",
            "contract_id": school.contracts[school.b],
        },
    )  # local 03-31 23:59
    inbox(
        db,
        "review",
        {"rating": 4, "created_at": "2026-03-31T16:00:00Z", "contract_id": school.contracts[school.b]},
    )  # local 04-01: April
    inbox(db, "review", {"rating": 1, "created_at": "2026-02-28T15:59:59Z", "attendance_id": lesson})
    inbox(db, "review", {"rating": 3, "text": "只有课程", "created_at": "2026-03-10T02:00:00Z"})
    inbox(
        db,
        "review",
        {"rating": 5, "created_at": "2026-03-10T02:00:00Z", "attendance_id": lesson},
        deleted=True,
    )
    march = evaluate(db, STATS, "teacher", *MARCH)
    wang = next(r.figures for r in march.rows if r.label == "王老师")
    assert (wang.reviews, wang.average_rating) == (2, Decimal("3.50"))
    assert [(c.day, c.rating, c.text) for c in wang.comments] == [
        (date(2026, 3, 31), 2, "一般"),
        (date(2026, 3, 1), 5, "很好"),
    ]
    # a review of the course alone counts for the institution only
    assert (march.total.reviews, march.total.average_rating) == (3, Decimal("3.33"))
    april = by_label(db, "teacher", APRIL)
    assert april["王老师"].reviews == 1 and april["王老师"].average_rating == Decimal("4.00")


def test_complaints_and_disputes_are_attributed_to_the_class_and_lesson(school: School) -> None:
    school.march()
    db = school.world.db
    inbox(
        db,
        "complaint",
        {
            "subject": "换老师",
            "text": "未通知",
            "filed_at": "2026-03-05T03:00:00Z",
            "contract_id": school.contracts[school.a],
        },
        status="open",
    )
    inbox(
        db,
        "complaint",
        {
            "subject": "其他",
            "text": "x",
            "filed_at": "2026-04-05T03:00:00Z",
            "contract_id": school.contracts[school.a],
        },
        status="open",
    )
    disputed = attendance_id(school.lessons[1], school.b)
    inbox(
        db,
        "consumption_confirmation",
        {"attendance_id": disputed, "status": "disputed"},
        status="disputed",
        related_id=disputed,
    )
    confirmed = attendance_id(school.lessons[1], school.a)
    inbox(
        db,
        "consumption_confirmation",
        {"attendance_id": confirmed, "status": "confirmed"},
        status="confirmed",
        related_id=confirmed,
    )
    wang = by_label(db, "teacher", MARCH)["王老师"]
    assert (wang.complaints, wang.disputes) == (1, 1)
    april = by_label(db, "teacher", APRIL)
    assert april["王老师"].complaints == 1 and april["王老师"].disputes == 0


# --- refunds -------------------------------------------------------------------------------------------


def test_refunds_count_for_the_class_of_the_contract_on_their_local_day(school: School) -> None:
    world = school.world
    ball = enroll(world, school.c, course=world.ball_course_id).contract_id  # no class
    refund_at(world.db, school.contracts[school.a], school.a, "2026-03-31 15:59:59.000000", 30_000)
    refund_at(world.db, school.contracts[school.b], school.b, "2026-03-31 16:00:00.000000", 20_000)
    refund_at(world.db, ball, school.c, "2026-03-10 02:00:00.000000", 5_000)
    march = by_label(world.db, "teacher", MARCH)
    assert (march["王老师"].refunds, march["王老师"].refund_fen) == (1, 30_000)
    assert (march["未指定"].refunds, march["未指定"].refund_fen) == (1, 5_000)
    april = by_label(world.db, "klass", APRIL)
    assert (april["初一数学 · 数学1班"].refunds, april["初一数学 · 数学1班"].refund_fen) == (1, 20_000)
    total = evaluate(world.db, STATS, "klass", *MARCH).total
    assert (total.refunds, total.refund_fen) == (2, 35_000)


# --- comparing, rules of use, export -------------------------------------------------------------------


def test_two_periods_compare_row_by_row_with_deltas(school: School) -> None:
    school.march()
    school.make_up_in_april()
    school.call(4, {school.a: "present", school.b: "present", school.c: "present"})  # 03-30
    db = school.world.db
    inbox(
        db,
        "review",
        {"rating": 5, "created_at": "2026-04-07T02:00:00Z", "contract_id": school.contracts[school.a]},
    )
    result = evaluate_compared(db, STATS, "teacher", APRIL, MARCH)
    assert result.compared
    rows = {row.label: row for row in result.rows}
    wang, li = rows["王老师"], rows["陈老师"]
    assert wang.current is not None and wang.current.reviews == 1 and wang.current.lessons_held == 0
    assert wang.previous is not None and wang.previous.lessons_held == 4
    assert wang.delta("lessons_held") == -4 and wang.delta("attendance_rate") is None
    assert wang.delta("reviews") == 1
    assert li.previous is None and li.delta("lessons_held") is None  # 陈老师 taught only in April
    march = evaluate(db, STATS, "teacher", *MARCH)
    alone = compare(march)
    assert not alone.compared and alone.total.previous is None


def test_a_period_or_grouping_that_makes_no_sense_is_refused(school: School) -> None:
    db = school.world.db
    with pytest.raises(ValidationError) as backwards:
        evaluate(db, STATS, "teacher", date(2026, 4, 1), date(2026, 3, 31))
    assert backwards.value.code == "evaluation.bad_range"
    with pytest.raises(ValidationError) as grouping:
        evaluate(db, STATS, "course", *MARCH)
    assert grouping.value.code == "evaluation.bad_by"
    with pytest.raises(PermissionDenied):
        evaluate(db, DESK, "teacher", *MARCH)


def test_export_writes_the_table_with_compared_columns(school: School, tmp_path: Path) -> None:
    school.march()
    db = school.world.db
    inbox(
        db,
        "review",
        {
            "rating": 4,
            "text": "耐心",
            "created_at": "2026-03-10T02:00:00Z",
            "contract_id": school.contracts[school.a],
        },
    )
    comparison = evaluate_compared(db, STATS, "teacher", MARCH, APRIL)
    path = tmp_path / "评价.csv"
    assert export_evaluation(db, MANAGER, comparison, path) == 2  # 王老师 and the total
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["教师", "上课次数·本期", "上课次数·对比期", "上课次数·变化"]
    assert header[-1] == "家长评语"
    wang = lines[1].split(",")
    assert wang[:4] == ["王老师", "3", "", ""]
    assert wang[header.index("出勤率·本期")] == "57.1%"
    assert wang[header.index("每节课消(元)·本期")] == "166.67"
    assert "★★★★ 耐心" in wang[-1]
    xlsx = tmp_path / "评价.xlsx"
    assert export_evaluation(db, MANAGER, comparison, xlsx) == 2 and xlsx.stat().st_size > 0
    with pytest.raises(PermissionDenied):
        export_evaluation(db, DESK, comparison, tmp_path / "no.csv")
