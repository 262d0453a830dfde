"""消课 disputes end to end: a lesson called at the desk is charged on the platform, a parent disputes it,
the desk sees it with the platform's deadline, answers with the roll-call record (the parent and the
regulator read it, the parent escalates) or reverses the charge (a reversing ledger entry here, the
lesson's money kept in escrow there), and an answer the platform no longer takes comes back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.rules.confirmation_window import window_end
from app.services import rollcall
from app.services.disputes import answer_with_roll_call, reverse_charge
from app.views.confirmations import confirmation, count_confirmations, list_confirmations
from app.views.inbox import count_inbox
from localdb.balances import contract_balance
from localdb.ids import attendance_id
from localdb.models_platform import DisputeAnswer
from sync.engine import SyncEngine
from tests.services.factory import DESK, MANAGER, build_world, enroll, math_sessions
from tests.sync.helpers import engine_for, problems
from tests.sync.server import LiveServer


def _charged_desk(server: LiveServer, db: Database) -> tuple[SyncEngine, list[str], str]:
    """A desk whose lesson was called for two students and synced: (engine, attendance ids, contract)."""
    world = build_world(db)
    lesson = math_sessions(world, weeks=1).session_ids[0]
    a, b = world.students[0], world.students[1]
    contract = enroll(world, a).contract_id
    enroll(world, b)
    rollcall.roll_call(db, DESK, lesson, {a: "present", b: "late"})
    engine = engine_for(db, server, "a")
    engine.sync_once()
    assert problems(db) == []
    return engine, [attendance_id(lesson, a), attendance_id(lesson, b)], contract


def _parent(server: LiveServer, method: str, attendance: str, **body: Any) -> Any:
    path = f"/v1/parent/institutions/{server.institution_id}/consumptions/{attendance}"
    return server.call(method, f"{path}/decision" if body else path, **({"json": body} if body else {}))


def _server_conf(server: LiveServer, attendance: str) -> dict[str, Any]:
    with server.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT id, status, answer_kind, answer_record FROM consumption_confirmation"
            " WHERE attendance_id = ?",
            (attendance,),
        ).one()
    return {"id": row[0], "status": row[1], "answer_kind": row[2], "answer_record": row[3]}


def test_roll_call_answer_reaches_the_parent_and_the_regulator(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    db = make_db("a")
    engine, (att, _other), _contract = _charged_desk(server, db)
    assert count_confirmations(db, SYSTEM_ACTOR, "pending") == 2  # both lessons await the parents
    _parent(server, "POST", att, decision="dispute", reason="孩子那天请假没有去上课")
    engine.sync_once()
    [item] = list_confirmations(db, SYSTEM_ACTOR, "dispute", 0, 10)
    assert item.status == "disputed" and item.reason == "孩子那天请假没有去上课"
    assert item.deadline is not None and item.student_name == "张三"
    conf_id = item.confirmation_id
    answer_with_roll_call(db, DESK, conf_id, "点名记录显示孩子到课")
    assert count_inbox(db, SYSTEM_ACTOR, "dispute") == 0
    engine.sync_once()
    assert problems(db) == []
    with db.reading() as session:
        answer = session.get(DisputeAnswer, conf_id)
        assert answer is not None and (answer.state, answer.server_status) == ("sent", "answered")
    seen = _parent(server, "GET", att)
    assert seen["status"] == "answered" and seen["answer_text"] == "点名记录显示孩子到课"
    record = seen["answer_record"]
    assert record["student_status"] == "present" and record["course_name"] == "初一数学"
    assert sorted(line["name"] for line in record["class_list"]) == ["张三", "李*"]
    regulator = server.call("GET", f"/v1/regulator/institutions/{server.institution_id}/disputes")
    assert [d["answer_kind"] for d in regulator] == ["roll_call"]
    local = confirmation(db, SYSTEM_ACTOR, conf_id)
    assert local is not None and local.status == "answered"  # the same cycle pulled the new status
    _parent(server, "POST", att, decision="escalate", reason="记录不符")
    engine.sync_once()
    escalated = confirmation(db, SYSTEM_ACTOR, conf_id)
    assert escalated is not None and escalated.status == "escalated" and escalated.parent_reply == "记录不符"


def test_reversal_gives_the_units_back_and_the_escrow_keeps_the_money(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    db = make_db("a")
    engine, (att, other), contract = _charged_desk(server, db)
    _parent(server, "POST", att, decision="dispute", reason="没来上课")
    engine.sync_once()
    [item] = list_confirmations(db, SYSTEM_ACTOR, "dispute", 0, 10)
    with db.reading() as session:
        before = contract_balance(session, contract)
    released_before = server.stats()["escrow_released_fen"]
    result = reverse_charge(db, MANAGER, item.confirmation_id, "核实后确实请假")
    with db.reading() as session:
        after = contract_balance(session, contract)
    assert after.units_left == before.units_left + 1 and after.fen_left > before.fen_left
    engine.sync_once()
    assert problems(db) == []
    assert _server_conf(server, att)["status"] == "reversed"
    with server.engine.connect() as conn:
        pushed = conn.exec_driver_sql(
            "SELECT count(*) FROM entity_row WHERE entity = 'ledger_entry' AND entity_id = ?",
            (result.ledger_entry_id,),
        ).scalar()
    assert pushed == 1  # the reversing entry is on the platform too
    server.advance(40)  # far past the window: the reversed lesson is never released
    assert server.run_deadlines()["auto_confirmed"] == 1  # only the other student's lesson
    assert _released(server, att) == 0 and _released(server, other) > 0
    assert server.stats()["escrow_released_fen"] == released_before + _released(server, other)
    engine.sync_once()
    assert count_confirmations(db, SYSTEM_ACTOR, "dispute") == 0  # reversed: settled


def test_an_answer_the_platform_no_longer_takes_comes_back_as_an_outcome(
    server: LiveServer, make_db: Callable[[str], Database]
) -> None:
    db = make_db("a")
    engine, (att, _other), _contract = _charged_desk(server, db)
    _parent(server, "POST", att, decision="dispute", reason="没来上课")
    engine.sync_once()
    [item] = list_confirmations(db, SYSTEM_ACTOR, "dispute", 0, 10)
    # typed offline while the desk still saw the window open; the platform's window ended meanwhile
    answer_with_roll_call(db, DESK, item.confirmation_id, now=_before(item.deadline))
    server.advance(40)
    assert server.run_deadlines()["escalated"] == 1
    engine.sync_once()
    with db.reading() as session:
        answer = session.get(DisputeAnswer, item.confirmation_id)
        assert answer is not None and (answer.state, answer.server_status) == ("conflict", "escalated")
    late = confirmation(db, SYSTEM_ACTOR, item.confirmation_id)
    assert late is not None and late.status == "escalated" and late.answer_state == "conflict"
    engine.sync_once()  # never resent
    with db.reading() as session:
        again = session.get(DisputeAnswer, item.confirmation_id)
        assert again is not None and again.attempts == 1


def _before(deadline: date | None) -> datetime:
    assert deadline is not None
    return window_end(deadline) - timedelta(hours=1)


def _released(server: LiveServer, attendance: str) -> int:
    with server.engine.connect() as conn:
        sql = "SELECT coalesce(sum(amount_fen), 0) FROM escrow_entry WHERE kind = 'release' AND ref_id = ?"
        return int(conn.exec_driver_sql(sql, (attendance,)).scalar() or 0)
