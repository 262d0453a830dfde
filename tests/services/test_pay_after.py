"""先学后付: enrol without prepayment, each charged lesson owed (append-only), payments after the lesson,
reversals, refunds refused, disputes reversed, reminders, and statistics apart from prepaid 课消."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.errors import RuleViolation, ValidationError
from app.reports.stats import statistics
from app.services import enrollment, pay_after, refunds, rollcall
from app.views import pay_after as owed_view
from app.views.today import today_overview
from localdb.balances import contract_balance
from localdb.ids import attendance_id
from localdb.models import Contract, OwedPayment, ReceivableEntry
from localdb.models_platform import PlatformInbox
from tests.services.factory import DESK, MANAGER, START, World, count, enroll, math_sessions, outbox, request
from tests.services.pay_after_world import PRICE_FEN, LearnFirst, join, learn_first_course


@pytest.fixture
def art(world: World) -> LearnFirst:
    return learn_first_course(world)


def entries(world: World) -> list[tuple[str, int]]:
    with world.db.reading() as session:
        rows = session.execute(
            select(ReceivableEntry.kind, ReceivableEntry.amount_fen).order_by(ReceivableEntry.created_at)
        )
        return [(str(k), int(a)) for k, a in rows]


def owed(world: World, student: str) -> int:
    with world.db.reading() as session:
        return sum(line.owed_fen for line in pay_after.owed_lines(session, student))


# ---------------------------------------------------------------- enrolment


def test_joining_a_learn_first_course_takes_no_payment_and_records_price_and_terms(
    world: World, art: LearnFirst
) -> None:
    result = join(world, art, world.students[0])
    assert result.lesson_price_fen == PRICE_FEN and "课后" in result.payment_terms
    assert result.klass_member_id is not None
    with world.db.reading() as session:
        contract = session.get(Contract, result.contract_id)
        assert contract is not None
        assert (contract.billing, contract.fee_fen, contract.total_units) == ("pay_after", 0, Decimal(0))
        assert contract.lesson_price_fen == PRICE_FEN
        assert contract_balance(session, contract.id) == (Decimal(0), 0)
    assert count(world.db, OwedPayment) == 0
    assert outbox(world.db, "contract") == 1


def test_the_agreed_price_and_terms_can_be_set(world: World, art: LearnFirst) -> None:
    result = join(world, art, world.students[0], lesson_price_fen=12_000, payment_terms="每月底结清")
    assert (result.lesson_price_fen, result.payment_terms) == (12_000, "每月底结清")


def test_a_zero_or_negative_price_is_refused(world: World, art: LearnFirst) -> None:
    for price in (0, -100):
        with pytest.raises(ValidationError):
            join(world, art, world.students[0], lesson_price_fen=price)
    assert count(world.db, Contract) == 0


def test_prepaying_a_learn_first_course_is_still_refused(world: World, art: LearnFirst) -> None:
    with pytest.raises(RuleViolation) as caught:
        enroll(world, world.students[0], course=art.course_id, klass=art.klass_id)
    assert caught.value.code == "enroll.pay_after_learning"


def test_a_prepaid_course_cannot_be_joined_learn_first(world: World) -> None:
    req = pay_after.PayAfterRequest(world.students[0], world.math_course_id, START)
    with pytest.raises(RuleViolation) as caught:
        pay_after.enroll_pay_after(world.db, DESK, req)
    assert caught.value.code == "pay_after.not_pay_after_course"


def test_joining_twice_is_refused(world: World, art: LearnFirst) -> None:
    join(world, art, world.students[0])
    with pytest.raises(RuleViolation) as caught:
        join(world, art, world.students[0])
    assert caught.value.code == "pay_after.already_enrolled"


# ---------------------------------------------------------------- lessons owed


def test_a_charged_lesson_is_owed_not_taken_from_a_package(world: World, art: LearnFirst) -> None:
    a, b = world.students[0], world.students[1]
    contract = join(world, art, a).contract_id
    join(world, art, b)
    result = rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present", b: "leave"})
    line_a = result.rows[0]
    assert (line_a.charged, line_a.amount_fen, line_a.contract_id, line_a.owing) == (
        True,
        PRICE_FEN,
        contract,
        False,
    )
    assert not result.rows[1].charged and result.warnings == []
    assert entries(world) == [("lesson", PRICE_FEN)]
    assert owed(world, a) == PRICE_FEN and owed(world, b) == 0
    with world.db.reading() as session:
        assert contract_balance(session, contract) == (Decimal(0), 0)
    assert outbox(world.db, "receivable_entry") == 1


def test_remarking_the_same_lesson_owes_it_once(world: World, art: LearnFirst) -> None:
    a = world.students[0]
    join(world, art, a)
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "late"})
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    assert entries(world) == [("lesson", PRICE_FEN)]


def test_undo_books_a_reversing_entry_and_a_new_mark_owes_again(world: World, art: LearnFirst) -> None:
    a = world.students[0]
    join(world, art, a)
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    rollcall.undo_roll_call(world.db, DESK, art.lessons[0])
    assert entries(world) == [("lesson", PRICE_FEN), ("reverse", -PRICE_FEN)]
    assert owed(world, a) == 0
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    assert owed(world, a) == PRICE_FEN
    with world.db.reading() as session:
        ids = list(session.scalars(select(ReceivableEntry.id)))
    assert len(set(ids)) == 3  # deterministic ids never collide with the earlier mark's


def test_a_status_that_is_not_charged_reverses_the_lesson(world: World, art: LearnFirst) -> None:
    a = world.students[0]
    join(world, art, a)
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "leave"})
    assert entries(world) == [("lesson", PRICE_FEN), ("reverse", -PRICE_FEN)]


def test_receivable_entries_are_append_only(world: World, art: LearnFirst) -> None:
    a = world.students[0]
    join(world, art, a)
    rollcall.roll_call(world.db, DESK, art.lessons[0], {a: "present"})
    with pytest.raises(Exception), world.db.transaction() as session:  # noqa: B017 (the capture guard)
        row = session.scalars(select(ReceivableEntry)).one()
        row.amount_fen = 1
        session.flush()


# ---------------------------------------------------------------- paying after the lesson


def three_lessons_owed(world: World, art: LearnFirst) -> str:
    a = world.students[0]
    join(world, art, a)
    for lesson in art.lessons[:3]:
        rollcall.roll_call(world.db, DESK, lesson, {a: "present"})
    return a


def test_a_payment_pays_the_oldest_lessons_first_with_a_receipt(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    paid = pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 20_000, "wechat"))
    assert paid.receipt_no.startswith("A1-")
    assert [fen for _, fen in paid.paid_lessons] == [PRICE_FEN, 5_000]
    assert paid.still_owed_fen == 3 * PRICE_FEN - 20_000
    lessons = owed_view.owed_lessons(world.db, DESK, a)
    assert [(line.owed_fen, line.paid_fen) for line in lessons] == [(10_000, 5_000), (PRICE_FEN, 0)]
    assert outbox(world.db, "owed_payment") == 1


def test_a_payment_can_pay_chosen_lessons(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    newest = owed_view.owed_lessons(world.db, DESK, a)[-1]
    pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, PRICE_FEN, "cash", (newest.entry_id,)))
    left = owed_view.owed_lessons(world.db, DESK, a)
    assert newest.entry_id not in {line.entry_id for line in left} and len(left) == 2


def test_paying_more_than_is_owed_is_refused(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    oldest = owed_view.owed_lessons(world.db, DESK, a)[0]
    with pytest.raises(RuleViolation) as caught:
        pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 3 * PRICE_FEN + 1, "cash"))
    assert caught.value.code == "owed.overpay"
    with pytest.raises(RuleViolation):
        pay_after.pay_owed(
            world.db, DESK, pay_after.OwedPaymentRequest(a, PRICE_FEN + 1, "cash", (oldest.entry_id,))
        )
    # exactly what is owed is accepted
    pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 3 * PRICE_FEN, "cash"))
    assert owed(world, a) == 0
    with pytest.raises(RuleViolation) as nothing:
        pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 1, "cash"))
    assert nothing.value.code == "owed.nothing_owed"


@pytest.mark.parametrize("amount", [0, -500])
def test_zero_and_negative_payments_are_refused(world: World, art: LearnFirst, amount: int) -> None:
    a = three_lessons_owed(world, art)
    with pytest.raises(ValidationError):
        pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, amount, "cash"))
    assert count(world.db, OwedPayment) == 0


def test_the_desk_cannot_book_a_platform_payment(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    with pytest.raises(ValidationError) as caught:
        pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 100, "platform"))
    assert caught.value.code == "owed.platform_method"


def test_a_paid_lesson_is_not_undone(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 100, "cash"))
    with pytest.raises(RuleViolation) as caught:
        rollcall.undo_roll_call(world.db, DESK, art.lessons[0])
    assert caught.value.code == "owed.lesson_paid"
    rollcall.undo_roll_call(world.db, DESK, art.lessons[1])  # an unpaid one is
    assert owed(world, a) == 2 * PRICE_FEN - 100


# ---------------------------------------------------------------- refunds, disputes


def test_refunding_a_learn_first_contract_is_refused(world: World, art: LearnFirst) -> None:
    contract = join(world, art, world.students[0]).contract_id
    with pytest.raises(RuleViolation) as caught:
        refunds.quote_refund(world.db, MANAGER, contract)
    assert caught.value.code == "refund.pay_after"
    prepaid = enroll(world, world.students[1]).contract_id
    assert refunds.quote_refund(world.db, MANAGER, prepaid).amount_fen > 0


def dispute(world: World, session_id: str, student: str, status: str = "disputed") -> str:
    att = attendance_id(session_id, student)
    with world.db.transaction() as session:
        session.add(
            PlatformInbox(
                entity="consumption_confirmation",
                entity_id=f"conf-{att}",
                status=status,
                related_id=att,
                amount_fen=PRICE_FEN,
                payload=json.dumps({"attendance_id": att, "status": status}),
            )  # fmt: skip
        )
    return att


def test_a_disputed_lesson_is_reversed(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    att = dispute(world, art.lessons[1], a)
    assert pay_after.reverse_disputed_lesson(world.db, DESK, att, "孩子那天请假") == PRICE_FEN
    assert owed(world, a) == 2 * PRICE_FEN
    assert entries(world)[-1] == ("reverse", -PRICE_FEN)


def test_a_lesson_without_a_dispute_is_not_reversed_as_one(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    att = dispute(world, art.lessons[1], a, status="pending")
    with pytest.raises(RuleViolation) as caught:
        pay_after.reverse_disputed_lesson(world.db, DESK, att, "x")
    assert caught.value.code == "owed.not_disputed"
    with pytest.raises(ValidationError):
        pay_after.reverse_disputed_lesson(world.db, DESK, att, "  ")
    assert owed(world, a) == 3 * PRICE_FEN


# ---------------------------------------------------------------- the desk's list, 今日, statistics


def test_families_list_what_they_owe_with_reminders(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    today = date(2026, 3, 31)
    [family] = owed_view.owing_families(world.db, DESK, today)
    assert (family.student_id, family.owed_fen, family.lessons) == (a, 3 * PRICE_FEN, 3)
    assert family.oldest_lesson == date(2026, 3, 3) and family.days_outstanding == 28
    assert family.reminded_on is None
    text = owed_view.reminder_text(world.db, family, today)
    assert "450.00" in text and "3节课" in text
    pay_after.record_reminder(world.db, DESK, a, text)
    assert owed_view.owing_families(world.db, DESK, today)[0].reminded_on is not None
    totals = owed_view.owed_totals(world.db)
    assert (totals.families, totals.lessons, totals.owed_fen) == (1, 3, 3 * PRICE_FEN)
    overview = today_overview(world.db, DESK, START)
    assert overview.owed == totals
    assert all(low.student_id != a for low in overview.low_balance)


def test_statistics_report_learn_first_apart_from_prepaid_consumption(world: World, art: LearnFirst) -> None:
    a = three_lessons_owed(world, art)
    b = world.students[1]
    enrollment.enroll(world.db, DESK, request(world, b))
    math = math_sessions(world, weeks=1).session_ids
    rollcall.roll_call(world.db, DESK, math[0], {b: "present"})
    pay_after.pay_owed(world.db, DESK, pay_after.OwedPaymentRequest(a, 20_000, "wechat"))
    today = date.today()
    stats = statistics(world.db, MANAGER, date(2026, 3, 1), max(today, date(2026, 3, 31)))
    total = stats.total
    assert total.pay_after_fen == 3 * PRICE_FEN
    assert total.consumed_fen == 10_000  # the one prepaid math lesson only
    assert total.payments_fen == 200_000  # the prepaid package only: paid after learning is apart
    assert total.pay_after_paid_fen == 20_000
    assert total.prepaid_outstanding_fen == 200_000 - 10_000
    [art_row] = [r for r in stats.by_course if r.key == art.course_id]
    assert (art_row.figures.pay_after_fen, art_row.figures.consumed_fen) == (3 * PRICE_FEN, 0)
