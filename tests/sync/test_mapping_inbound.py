"""Inbound mapping: the fast paths a snapshot relies on give exactly what the general ones give."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from localdb.types import units_to_x100
from sync.errors import MappingError
from sync.mapping import _units, from_wire, to_wire


def _no_lookup(table: str, row_id: str, column: str) -> Any:
    raise AssertionError("no lookup expected")


@pytest.mark.parametrize(
    "text",
    ["1.50", "0.00", "-0.75", "-0.00", "12", "1.5", "01.50", " 1.50", "1.500", "١.٥٠", "999999999999999.99"],
)
def test_units_text_maps_as_the_decimal_path_does(text: str) -> None:
    assert _units(text) == units_to_x100(Decimal(text))


@pytest.mark.parametrize("text", ["1.234", "1e400", "--1.50", "+-1", "", "1.5x", "9" * 40 + ".00"])
def test_units_the_decimal_path_refuses_are_refused(text: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 - each form fails its own way; from_wire makes it a MappingError
        _units(text)
    with pytest.raises(MappingError):
        from_wire("attendance", {"units": text}, _no_lookup)


def test_a_round_trip_through_the_wire_keeps_every_column() -> None:
    row = {"id": "a-1", "session_id": "s-1", "student_id": "p-1", "status": "present", "charged": 1,
           "units_x100": 150, "amount_fen": 22500, "contract_id": None, "marked_by": "李老师", "note": None,
           "marked_at": "2026-03-02 10:30:00.000000", "undone": 0}  # fmt: skip
    assert from_wire("attendance", to_wire("attendance", row), _no_lookup) == row


@pytest.mark.parametrize(("note", "undone"), [("已撤销点名", 1), ("迟到10分钟", 0), (None, 0)])
def test_a_row_from_a_desk_without_the_undone_column_is_read_by_its_note(
    note: str | None, undone: int
) -> None:
    """Desks before migration 0010 send no ``undone``; their undo wrote the note 已撤销点名."""
    wire = {"id": "a-1", "status": "late", "charged": False, "note": note}
    assert from_wire("attendance", wire, _no_lookup)["undone"] == undone
    assert from_wire("attendance", {**wire, "undone": False}, _no_lookup)["undone"] == 0
    assert "undone" not in from_wire("attendance", {"id": "a-1", "charged": False}, _no_lookup)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("amount_fen", True),
        ("amount_fen", 1.5),
        ("status", ["present"]),
        ("charged", "maybe"),
        ("amount_fen", 2**63),
        ("amount_fen", -(2**63) - 1),
        ("amount_fen", str(2**64)),
    ],
)
def test_values_of_the_wrong_type_are_still_refused(column: str, value: Any) -> None:
    with pytest.raises(MappingError):
        from_wire("attendance", {column: value}, _no_lookup)


def test_plain_values_are_stored_as_they_come() -> None:
    values = from_wire("attendance", {"amount_fen": 7, "status": "absent", "note": None}, _no_lookup)
    assert values == {"amount_fen": 7, "status": "absent", "note": None}
    largest = {"amount_fen": 2**63 - 1, "units_x100": -(2**63)}  # the limits of a SQLite INTEGER
    assert from_wire("attendance", largest, _no_lookup) == largest
    assert from_wire("attendance", {"amount_fen": "7"}, _no_lookup) == {"amount_fen": 7}
