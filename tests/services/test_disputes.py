"""Answering a 消课 dispute at the desk: the roll-call record assembled from local data, the platform's
window (refused exactly at its end and after auto-confirmation), reversing the charge with a reversing
ledger entry (once), permissions, and the lists with their countdown (the sending is in tests/sync)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.db import Database
from app.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from app.services import rollcall
from app.services.disputes import answer_with_roll_call, preview_roll_call, reverse_charge
from app.views.confirmations import (
    confirmation_key,
    count_confirmations,
    disputes_due_today,
    list_confirmations,
)
from app.views.inbox import count_inbox
from app.views.today import today_overview
from localdb.balances import contract_balance
from localdb.codes import AnswerState, Billing
from localdb.ids import attendance_id, dispute_reversal_id
from localdb.models import Attendance, Contract, LedgerEntry, SyncOutbox
from localdb.models_platform import DisputeAnswer, PlatformInbox
from tests.services.factory import DESK, MANAGER, STATS, World, audits, count, enroll, math_sessions

DEADLINE = date(2026, 3, 24)
END = datetime(2026, 3, 23, 16, 0, tzinfo=UTC)  # the window's end: 2026-03-24 00:00 Shanghai


def _confirmation(db: Database, conf_id: str, att_id: str, status: str = "disputed", **extra: object) -> None:
    payload = {"id": conf_id, "attendance_id": att_id, "status": status, "reason": "孩子请假没来", **extra}
    with db.transaction() as session:
        row = session.get(PlatformInbox, ("consumption_confirmation", conf_id))
        if row is None:
            row = PlatformInbox(entity="consumption_confirmation", entity_id=conf_id, version=0)
            session.add(row)
        row.version += 1
        row.status, row.related_id, row.amount_fen, row.deadline = status, att_id, 10_000, DEADLINE
        row.payload = json.dumps(payload, ensure_ascii=False)


@pytest.fixture
def charged(world: World) -> tuple[str, str, str]:
    """A math lesson called with two students; returns (attendance id of the first, its contract, lesson)."""
    lesson = math_sessions(world, weeks=1).session_ids[0]
    a, b = world.students[0], world.students[1]
    contract = enroll(world, a).contract_id
    enroll(world, b)
    rollcall.roll_call(world.db, DESK, lesson, {a: "present", b: "late"})
    return attendance_id(lesson, a), contract, lesson


def _balance(db: Database, contract_id: str) -> tuple[Decimal, int]:
    with db.reading() as session:
        left = contract_balance(session, contract_id)
        return left.units_left, left.fen_left


def test_roll_call_record_is_assembled_from_local_data_and_masks_the_others(
    world: World, charged: tuple[str, str, str]
) -> None:
    att, _contract, _lesson = charged
    _confirmation(world.db, "cc-1", att)
    record = preview_roll_call(world.db, DESK, "cc-1")
    assert record["lesson_date"] == "2026-03-02" and record["lesson_time"] == "18:00-18:45"
    assert (record["course_name"], record["class_name"], record["teacher_name"]) == (
        "初一数学",
        "数学1班",
        "王老师",
    )
    assert record["called_by"] == "desk" and record["called_at"].endswith("Z")
    assert record["student_status"] == "present" and record["units"] == "1"
    assert sorted((line["name"], line["status"], line["disputed"]) for line in record["class_list"]) == [
        ("张三", "present", True),
        ("李*", "late", False),
    ]


def test_answer_is_stored_audited_never_captured_and_once(
    world: World, charged: tuple[str, str, str]
) -> None:
    db = world.db
    att, _contract, _lesson = charged
    _confirmation(db, "cc-1", att)
    before = count(db, SyncOutbox)
    with pytest.raises(PermissionDenied):
        answer_with_roll_call(db, STATS, "cc-1", now=END - timedelta(days=3))
    with pytest.raises(ValidationError):
        answer_with_roll_call(db, DESK, "cc-1", "长" * 2001, now=END - timedelta(days=3))
    with pytest.raises(NotFound):
        answer_with_roll_call(db, DESK, "nope", now=END - timedelta(days=3))
    assert count_inbox(db, DESK, "dispute") == 1
    result = answer_with_roll_call(db, DESK, "cc-1", "孩子当天到课", now=END - timedelta(days=3))
    assert result.state == "pending" and result.record is not None
    assert count_inbox(db, DESK, "dispute") == 0  # answered: nothing left for the desk
    with db.reading() as session:
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None and answer.decision == "roll_call" and answer.text == "孩子当天到课"
        assert json.loads(answer.record or "{}")["class_list"][0]["disputed"] in (True, False)
    assert audits(db, "disputes.answer") == 1 and count(db, SyncOutbox) == before
    with pytest.raises(RuleViolation) as twice:
        answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=3))
    assert twice.value.code == "disputes.already_answered" and "待同步" in str(twice.value)


def test_answer_is_taken_until_the_last_second_and_refused_exactly_at_the_window_end(
    world: World, charged: tuple[str, str, str]
) -> None:
    att, _contract, _lesson = charged
    _confirmation(world.db, "cc-1", att)
    with pytest.raises(RuleViolation) as late:
        answer_with_roll_call(world.db, DESK, "cc-1", now=END)
    assert late.value.code == "disputes.window_closed" and "已转监管部门" in str(late.value)
    answer_with_roll_call(world.db, DESK, "cc-1", now=END - timedelta(seconds=1))


def test_answer_after_auto_confirmation_is_refused(world: World, charged: tuple[str, str, str]) -> None:
    att, _contract, _lesson = charged
    _confirmation(world.db, "cc-1", att, status="auto_confirmed")
    with pytest.raises(RuleViolation) as closed:
        answer_with_roll_call(world.db, DESK, "cc-1", now=END - timedelta(days=5))
    assert closed.value.code == "disputes.not_disputed" and "逾期自动确认" in str(closed.value)
    _confirmation(world.db, "cc-2", att, status="pending")
    with pytest.raises(RuleViolation):
        answer_with_roll_call(world.db, DESK, "cc-2", now=END - timedelta(days=5))


def test_a_refused_answer_comes_back_and_a_failed_one_may_be_made_again(
    world: World, charged: tuple[str, str, str]
) -> None:
    db = world.db
    att, _contract, _lesson = charged
    _confirmation(db, "cc-1", att)
    answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=2))
    with db.transaction() as session:
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None
        answer.state, answer.last_error = AnswerState.FAILED, "平台拒绝"
    [item] = list_confirmations(db, DESK, "dispute", 0, 10)
    assert item.needs_answer and item.answer_state == "failed"
    answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=2))
    with db.transaction() as session:
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None and answer.state == "pending" and answer.attempts == 0
        answer.state, answer.server_status = AnswerState.CONFLICT, "escalated"
    with pytest.raises(RuleViolation) as late:
        answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=2))
    assert late.value.code == "disputes.answer_too_late" and "已转监管部门" in str(late.value)


def test_reversal_books_a_reversing_entry_once_and_only_for_a_manager(
    world: World, charged: tuple[str, str, str]
) -> None:
    db = world.db
    att, contract, _lesson = charged
    _confirmation(db, "cc-1", att)
    assert _balance(db, contract) == (Decimal(19), 190_000)
    with pytest.raises(PermissionDenied):
        reverse_charge(db, DESK, "cc-1")
    result = reverse_charge(db, MANAGER, "cc-1", "核实后当天确实请假")
    assert result.ledger_entry_id == dispute_reversal_id(att)
    assert _balance(db, contract) == (Decimal(20), 200_000)  # the lesson's 课时 and money are back
    with db.reading() as session:
        entry = session.get(LedgerEntry, result.ledger_entry_id)
        assert entry is not None and entry.kind == "adjust" and entry.units == Decimal(1)
        assert entry.amount_fen == 10_000 and "2026-03-02初一数学" in (entry.reason or "")
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None and answer.decision == "reverse" and answer.text == "核实后当天确实请假"
    assert count(db, SyncOutbox, SyncOutbox.entity == "ledger_entry") >= 1  # the entry syncs
    with pytest.raises(RuleViolation) as twice:
        reverse_charge(db, MANAGER, "cc-1")
    assert twice.value.code == "disputes.already_reversed"
    with pytest.raises(RuleViolation) as answered:
        answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=2))
    assert answered.value.code == "disputes.already_reversed"
    assert _balance(db, contract) == (Decimal(20), 200_000)
    # another desk's reversal of the same lesson arrived by sync: the derived id refuses a second one
    _confirmation(db, "cc-2", att, status="answered")
    with pytest.raises(RuleViolation) as synced:
        reverse_charge(db, MANAGER, "cc-2")
    assert synced.value.code == "disputes.already_reversed"
    _confirmation(db, "cc-1", att, status="reversed")
    with pytest.raises(RuleViolation):
        reverse_charge(db, MANAGER, "cc-1")


def test_lists_countdowns_and_todays_disputes(world: World, charged: tuple[str, str, str]) -> None:
    db = world.db
    att, _contract, lesson = charged
    other = attendance_id(lesson, world.students[1])
    _confirmation(db, "cc-1", att)
    _confirmation(db, "cc-2", other, status="pending")
    assert count_confirmations(db, DESK, "dispute") == 1 and count_confirmations(db, DESK, "pending") == 1
    [dispute] = list_confirmations(db, DESK, "dispute", 0, 10)
    assert (dispute.student_name, dispute.course_name, dispute.lesson_date) == (
        "张三",
        "初一数学",
        date(2026, 3, 2),
    )
    assert dispute.reason == "孩子请假没来" and dispute.deadline == DEADLINE
    last_day = END - timedelta(hours=10)  # 2026-03-23 14:00 Shanghai
    assert [d.confirmation_id for d in disputes_due_today(db, DESK, last_day)] == ["cc-1"]
    assert disputes_due_today(db, DESK, END - timedelta(days=1, seconds=1)) == []  # the day before
    assert disputes_due_today(db, DESK, END) == []  # closed: no longer due
    assert disputes_due_today(db, STATS, last_day) == []
    overview = today_overview(db, DESK, date(2026, 3, 23), last_day)
    assert [d.confirmation_id for d in overview.disputes_due] == ["cc-1"] and overview.waiting.disputes == 1
    answer_with_roll_call(db, DESK, "cc-1", now=last_day)
    assert disputes_due_today(db, DESK, last_day) == []


def test_a_reversed_charge_is_settled_for_the_roll_call(world: World, charged: tuple[str, str, str]) -> None:
    db = world.db
    att, contract, lesson = charged
    a, b = world.students[0], world.students[1]
    _confirmation(db, "cc-1", att)
    reverse_charge(db, MANAGER, "cc-1")
    settled = _balance(db, contract)
    with pytest.raises(RuleViolation) as undo:
        rollcall.undo_roll_call(db, DESK, lesson, [a])
    assert undo.value.code == "rollcall.charge_reversed" and "撤销" in str(undo.value)
    with pytest.raises(RuleViolation) as remark:
        rollcall.roll_call(db, DESK, lesson, {a: "leave"})
    assert remark.value.code == "rollcall.charge_reversed" and "张三" in str(remark.value)
    assert _balance(db, contract) == settled  # given back once, never twice
    rollcall.roll_call(db, DESK, lesson, {a: "present", b: "present"})  # the same status: kept as it is
    rollcall.undo_roll_call(db, DESK, lesson, [b])  # the others may still change
    assert _balance(db, contract) == settled


def test_lists_page_by_key_while_sync_brings_rows_in(world: World) -> None:
    db = world.db
    for i, day in enumerate((3, 1, 2, 5, 4)):
        _confirmation(db, f"p-{i}", f"a-{i}", status="pending")
        with db.transaction() as session:
            row = session.get(PlatformInbox, ("consumption_confirmation", f"p-{i}"))
            assert row is not None
            row.deadline = DEADLINE + timedelta(days=day)
    key = confirmation_key("pending")
    first = list_confirmations(db, DESK, "pending", 0, 2)
    assert [i.confirmation_id for i in first] == ["p-1", "p-2"]
    _confirmation(db, "p-new", "a-new", status="pending")  # sync: a nearer deadline arrives ahead of the page
    rest = list_confirmations(db, DESK, "pending", 2, 10, after=key(first[-1]))
    assert [i.confirmation_id for i in rest] == ["p-0", "p-4", "p-3"]  # nothing repeated, nothing skipped
    back = list_confirmations(db, DESK, "pending", 0, 2, before=key(rest[0]))
    assert [i.confirmation_id for i in back] == ["p-1", "p-2"]
    _confirmation(db, "d-1", "a-d1", status="escalated")
    _confirmation(db, "d-2", "a-d2", status="disputed")
    disputes = list_confirmations(db, DESK, "dispute", 0, 10)
    assert [i.confirmation_id for i in disputes] == ["d-2", "d-1"]  # the running window first
    after = list_confirmations(db, DESK, "dispute", 1, 10, after=confirmation_key("dispute")(disputes[0]))
    assert [i.confirmation_id for i in after] == ["d-1"]


def test_an_answer_to_an_earlier_dispute_of_the_lesson_does_not_count(
    world: World, charged: tuple[str, str, str]
) -> None:
    db = world.db
    att, _contract, _lesson = charged
    _confirmation(db, "cc-1", att)
    answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=3))
    with db.transaction() as session:
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None
        answer.state, answer.server_status = AnswerState.SENT, "answered"
    _confirmation(db, "cc-1", att, status="answered", answer_kind="roll_call")
    assert (
        count_inbox(db, DESK, "dispute") == 0
        and list_confirmations(db, DESK, "dispute", 0, 5)[0].status == "answered"
    )
    # withdrawn, charged and disputed again: the platform's row carries no answer any more
    _confirmation(db, "cc-1", att, status="disputed")
    [item] = list_confirmations(db, DESK, "dispute", 0, 5)
    assert item.needs_answer and count_inbox(db, DESK, "dispute") == 1
    assert [d.confirmation_id for d in disputes_due_today(db, DESK, END - timedelta(hours=2))] == ["cc-1"]
    again = answer_with_roll_call(db, DESK, "cc-1", now=END - timedelta(days=2))
    assert again.state == "pending" and count_inbox(db, DESK, "dispute") == 0


def test_a_pay_after_lesson_is_reversed_by_withdrawing_what_is_owed(
    world: World, charged: tuple[str, str, str]
) -> None:
    db = world.db
    att, contract, _lesson = charged
    _confirmation(db, "cc-1", att)
    with db.transaction() as session:
        row = session.get(Contract, contract)
        assert row is not None
        row.billing = Billing.PAY_AFTER  # what 先学后付 owes is reversed there (app.services.pay_after)
    ledger_before = count(db, LedgerEntry)
    result = reverse_charge(db, MANAGER, "cc-1", "孩子那天请假")
    assert result.decision == "reverse" and result.ledger_entry_id is None
    with db.reading() as session:
        lesson = session.get(Attendance, att)
        assert lesson is not None and not lesson.charged and lesson.undone
    assert count(db, LedgerEntry) == ledger_before  # no package was charged: nothing to give back there
