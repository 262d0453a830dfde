"""先学后付 end to end with the reference platform: the desk's owed lessons go up, the lessons hold no
escrow, a parent pays the oldest on the platform, and the payment comes down to the desk."""

from __future__ import annotations

from collections.abc import Callable

from app.db import Database
from app.services import rollcall
from app.views import pay_after as owed_view
from localdb.models import OwedPayment
from tests.services.factory import DESK, build_world
from tests.services.pay_after_world import PRICE_FEN, join, learn_first_course
from tests.sync.helpers import engine_for, problems
from tests.sync.server import LiveServer


def test_owed_lessons_sync_hold_no_escrow_and_a_platform_payment_comes_down(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    db = make_db("a")
    world = build_world(db)
    art = learn_first_course(world)
    student = world.students[0]
    join(world, art, student)
    for lesson in art.lessons[:2]:
        rollcall.roll_call(db, DESK, lesson, {student: "present"})
    engine = engine_for(db, server, "a")
    engine.sync_once()
    assert problems(db) == []
    with server.engine.connect() as conn:
        flags = [bool(r[0]) for r in conn.exec_driver_sql("SELECT pay_after FROM consumption_confirmation")]
    assert flags == [True, True]
    assert [line.owed_fen for line in owed_view.owed_lessons(db, DESK, student)] == [PRICE_FEN, PRICE_FEN]
    oldest = owed_view.owed_lessons(db, DESK, student)[0]

    path = f"/v1/parent/institutions/{server.institution_id}/students/{student}"
    owed = server.call("GET", f"{path}/owed-lessons")
    assert [o["lesson_entry_id"] for o in owed][0] == oldest.entry_id
    server.call("POST", f"{path}/owed-payments", json={"amount_fen": PRICE_FEN})
    assert [o["owed_fen"] for o in server.call("GET", f"{path}/owed-lessons")] == [PRICE_FEN]
    server.advance(25)  # past the 15 working days: both lessons are confirmed without the parent
    assert server.run_deadlines()["auto_confirmed"] == 2
    assert server.stats()["escrow_released_fen"] == 0

    engine.sync_once()
    assert problems(db) == []
    left = owed_view.owed_lessons(db, DESK, student)
    assert [line.entry_id for line in left] == [owed[1]["lesson_entry_id"]]
    with db.reading() as session:
        [payment] = session.query(OwedPayment).all()
        assert (payment.source, payment.method, payment.amount_fen) == ("platform", "platform", PRICE_FEN)
    [family] = owed_view.owing_families(db, DESK)
    assert family.owed_fen == PRICE_FEN
