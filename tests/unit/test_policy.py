"""The policy profile: national defaults, JSON round trip, tolerant of unknown keys, strict on values."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time
from decimal import Decimal

import pytest

from app.errors import ValidationError
from app.policy import NATIONAL_DEFAULT, PolicyParams


def test_national_defaults_match_domain() -> None:
    p = NATIONAL_DEFAULT
    assert p.max_units_per_charge == Decimal(60)
    assert p.max_months_per_charge == 3
    assert p.max_fen_per_charge == 500_000
    assert p.earliest_charge_months_before_start == 1
    assert p.renewal_max_remaining_units == Decimal(20)
    assert p.confirm_working_days == 15
    assert p.refund_silence_working_days == 5
    assert p.offline_latest_end == "20:30" and p.online_latest_end == "21:00"
    assert p.online_max_minutes == 30 and p.online_min_gap_minutes == 10
    assert p.school_hours == ("08:00", "16:30")
    assert p.school_calendar == "national_default" and p.national_calendar and dict(p.price_caps) == {}
    assert p.winter_break and p.summer_break  # our conservative estimate (test_school_calendar.py)
    assert p.price_float_pct == 10
    assert (p.standard_lesson_minutes_online, p.standard_lesson_minutes_offline) == (30, 45)
    assert p.full_time_teaching_ratio_min == Decimal("0.5")
    assert p.class_teacher_ratio_min == Decimal("0.02")
    assert p.preschool_class_teacher_ratio_min == Decimal("0.06")
    assert p.latest_end("offline") == time(20, 30) and p.latest_end("online") == time(21, 0)
    assert p.school_hours_times() == (time(8), time(16, 30))
    assert p.standard_lesson_minutes("online") == 30


def test_empty_json_is_the_national_default() -> None:
    assert PolicyParams.from_json(None) == NATIONAL_DEFAULT
    assert PolicyParams.from_json("") == NATIONAL_DEFAULT
    assert PolicyParams.from_json("{}") == NATIONAL_DEFAULT


def test_regional_profile_round_trips_deterministically() -> None:
    text = json.dumps(
        {
            "confirm_working_days": 7,
            "school_calendar": "福建省2026年中小学校历",
            "winter_break": [["2026-01-24", "2026-02-28"]],
            "summer_break": [["2026-07-04", "2026-08-31"]],
            "price_caps": {"small": 8000, "online:small": 5000},
            "renewal_max_remaining_units": "10.5",
            "school_hours": ["07:50", "17:00"],
            "some_future_key": {"ignored": True},
        }
    )
    p = PolicyParams.from_json(text)
    assert p.confirm_working_days == 7
    assert p.winter_break == ((date(2026, 1, 24), date(2026, 2, 28)),)
    assert p.breaks == ((date(2026, 1, 24), date(2026, 2, 28)), (date(2026, 7, 4), date(2026, 8, 31)))
    assert p.price_caps["online:small"] == 5000
    assert p.renewal_max_remaining_units == Decimal("10.5")
    assert PolicyParams.from_json(p.to_json()) == p
    assert p.to_json() == PolicyParams.from_json(p.to_json()).to_json()
    data = json.loads(p.to_json())
    assert list(data) == sorted(data)
    assert "some_future_key" not in data


def test_profile_is_immutable_and_hashable() -> None:
    p = PolicyParams.from_json('{"price_caps": {"small": 8000}}')
    with pytest.raises(TypeError):
        p.price_caps["small"] = 1  # type: ignore[index]
    assert hash(p) == hash(replace(p))
    assert replace(p, online_max_minutes=25).online_max_minutes == 25


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("max_units_per_charge", "abc"),
        ("max_units_per_charge", -1),
        ("max_fen_per_charge", 1.5),
        ("max_fen_per_charge", True),
        ("max_months_per_charge", 0),
        ("offline_latest_end", "25:00"),
        ("online_latest_end", 2100),
        ("school_hours", ["16:30", "08:00"]),
        ("school_hours", "08:00-16:30"),
        ("winter_break", [["2026-02-28", "2026-01-24"]]),
        ("winter_break", [["2026-13-01", "2026-01-24"]]),
        ("summer_break", "2026-07"),
        ("school_calendar", ""),
        ("school_calendar", 42),
        ("price_caps", {"huge": 100}),
        ("price_caps", {"small": -5}),
        ("price_caps", [1, 2]),
        ("standard_lesson_minutes_offline", 0),
    ],
)
def test_bad_values_name_their_key(key: str, value: object) -> None:
    data = {key: value, **({"school_calendar": "某地校历"} if key.endswith("_break") else {})}
    with pytest.raises(ValidationError) as info:
        PolicyParams.from_json(json.dumps(data))
    assert info.value.code == "policy.invalid"
    assert info.value.params["key"] == key
    assert key in str(info.value)


@pytest.mark.parametrize("text", ["not json", "[1, 2]", "42"])
def test_malformed_json(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        PolicyParams.from_json(text)
    assert info.value.code == "policy.invalid"
    assert info.value.params["key"] == "$"
