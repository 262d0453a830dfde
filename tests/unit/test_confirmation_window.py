"""The platform's 消课 confirmation window as the desk computes it: the end at 00:00 Shanghai of the
deadline day (the platform's ``deadline <= today``), 今日到期 on the day before, closed from the end on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.rules.confirmation_window import closes_today, countdown, window_end

DEADLINE = date(2026, 10, 22)
END = datetime(2026, 10, 21, 16, 0, tzinfo=UTC)  # 2026-10-22 00:00 Asia/Shanghai


def test_window_ends_at_shanghai_midnight_of_the_deadline_day() -> None:
    assert window_end(DEADLINE) == END


def test_boundary_exactly_at_the_window_end() -> None:
    last_second = countdown("pending", DEADLINE, END - timedelta(seconds=1))
    assert last_second is not None and last_second.phase == "due_today" and last_second.minutes_left == 0
    at_end = countdown("pending", DEADLINE, END)
    assert at_end is not None and at_end.phase == "closed" and at_end.outcome == "auto_confirmed"
    disputed = countdown("disputed", DEADLINE, END)
    assert disputed is not None and disputed.phase == "closed" and disputed.outcome == "escalated"


def test_due_today_starts_at_the_last_days_midnight() -> None:
    day_before = END - timedelta(days=1)  # 2026-10-21 00:00 Shanghai: the last day begins
    assert closes_today("disputed", DEADLINE, day_before)
    still_open = countdown("disputed", DEADLINE, day_before - timedelta(seconds=1))
    assert still_open is not None and still_open.phase == "open"
    assert (still_open.days, still_open.hours) == (1, 0)  # 24 h 59 min 59 s → rounded down
    assert not closes_today("disputed", DEADLINE, day_before - timedelta(seconds=1))


def test_days_and_hours_left_are_rounded_down() -> None:
    now = END - timedelta(days=2, hours=5, minutes=30)
    left = countdown("answered", DEADLINE, now)
    assert left is not None and (left.phase, left.days, left.hours) == ("open", 2, 5)
    assert not left.urgent


def test_no_window_for_settled_states_or_without_deadline() -> None:
    for status in ("escalated", "confirmed", "auto_confirmed", "reversed", "cancelled", None):
        assert countdown(status, DEADLINE, END) is None
    assert countdown("pending", None, END) is None
