"""Units, instants and identifiers keep their exactness and determinism."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, exc, insert, select

from localdb.errors import InvalidUnits, NaiveDatetime
from localdb.ids import attendance_id, new_id, session_id
from localdb.models import LessonSession, metadata
from localdb.types import format_utc, parse_utc, units_from_x100, units_to_x100
from tests.localdb.rows import Ctx, values_for


def test_units_convert_to_hundredths() -> None:
    assert units_to_x100(Decimal("1.5")) == 150
    assert units_to_x100(Decimal("-2.25")) == -225
    assert units_to_x100(3) == 300
    assert units_to_x100("0.01") == 1
    assert units_from_x100(150) == Decimal("1.5")


@pytest.mark.parametrize(
    "bad", [Decimal("1.005"), Decimal("0.001"), "1.234", 1.5, True, Decimal("NaN"), "abc"]
)
def test_units_reject_what_cannot_be_stored_exactly(bad: object) -> None:
    with pytest.raises(InvalidUnits):
        units_to_x100(bad)  # type: ignore[arg-type]


@given(st.decimals(min_value=-10000, max_value=10000, places=2, allow_nan=False, allow_infinity=False))
def test_units_round_trip(value: Decimal) -> None:
    assert units_from_x100(units_to_x100(value)) == value


def test_units_column_rejects_three_decimals(engine: Engine, ctx: Ctx) -> None:
    values = values_for("lesson_session", ctx) | {"units_x100": Decimal("1.125")}
    with pytest.raises(exc.StatementError) as info, engine.begin() as conn:
        conn.execute(insert(metadata.tables["lesson_session"]).values(values))
    assert isinstance(info.value.orig, InvalidUnits)


def test_units_column_round_trips_through_orm(engine: Engine, ctx: Ctx) -> None:
    with engine.connect() as conn:
        units = conn.execute(
            select(LessonSession.units).where(LessonSession.id == ctx["lesson_session"])
        ).scalar()
        raw = conn.exec_driver_sql("SELECT units_x100 FROM lesson_session").scalar()
    assert units == Decimal("1.5") and raw == 150


def test_instants_are_stored_as_utc_text_and_read_back_aware() -> None:
    shanghai = timezone(timedelta(hours=8))
    local = datetime(2026, 3, 2, 18, 30, tzinfo=shanghai)
    assert format_utc(local) == "2026-03-02 10:30:00.000000"
    assert parse_utc("2026-03-02 10:30:00.000000") == local
    assert parse_utc("2026-03-02 10:30:00.123").tzinfo is UTC
    with pytest.raises(NaiveDatetime):
        format_utc(datetime(2026, 3, 2, 10, 30))


def test_naive_datetime_is_refused_by_the_column(engine: Engine, ctx: Ctx) -> None:
    values = values_for("payment", ctx) | {"paid_at": datetime(2026, 3, 2, 10, 30)}
    with pytest.raises(exc.StatementError) as info, engine.begin() as conn:
        conn.execute(insert(metadata.tables["payment"]).values(values))
    assert isinstance(info.value.orig, NaiveDatetime)


def test_new_ids_are_uuid7_and_time_ordered() -> None:
    ids = [new_id() for _ in range(100)]
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert ids == sorted(ids)


def test_attendance_and_session_ids_are_deterministic() -> None:
    s, st_ = new_id(), new_id()
    assert attendance_id(s, st_) == attendance_id(s, st_) == attendance_id(s.upper(), st_)
    assert attendance_id(s, st_) != attendance_id(st_, s)
    assert uuid.UUID(attendance_id(s, st_)).version == 5
    assert session_id(s, date(2026, 3, 4)) == session_id(s, date(2026, 3, 4))
    assert session_id(s, date(2026, 3, 4)) != session_id(s, date(2026, 3, 5))
    # pinned: every desk, every release must derive the same ids
    assert attendance_id("a", "b") == str(
        uuid.uuid5(uuid.UUID("6b1f3c2e-8d4a-5e7b-9c0d-1a2b3c4d5e6f"), "attendance/a/b")
    )
