"""A parent's review that names the lesson or contract, from the real platform to the desk's 管理评价."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.views.evaluation import evaluate
from tests.sync.helpers import engine_for, problems, seed_rows
from tests.sync.server import LiveServer


def test_linked_reviews_reach_the_class_and_teacher_and_course_reviews_only_the_total(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    a = make_db("a")
    engine = engine_for(a, server, "a")
    ctx = seed_rows(a)
    engine.sync_once()
    parent = f"/v1/parent/institutions/{server.institution_id}/reviews"
    server.call("POST", parent, json={"attendance_id": ctx["attendance"], "rating": 5, "text": "讲得好"})
    server.call("POST", parent, json={"contract_id": ctx["contract"], "rating": 2, "text": "太吵"})
    server.call("POST", parent, json={"course_id": ctx["course"], "rating": 4})  # an older client's review
    engine.sync_once()
    assert problems(a) == []
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    period = (today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    by_class = evaluate(a, SYSTEM_ACTOR, "klass", *period)
    klass = next(row.figures for row in by_class.rows if row.key == ctx["klass"])
    assert klass.reviews == 2 and str(klass.average_rating) == "3.50"
    assert sorted(c.text for c in klass.comments) == ["太吵", "讲得好"]
    assert by_class.total.reviews == 3
    by_teacher = evaluate(a, SYSTEM_ACTOR, "teacher", *period)
    teacher = next(row.figures for row in by_teacher.rows if row.key == ctx["staff"])
    assert teacher.reviews == 2 and str(teacher.average_rating) == "3.50"
