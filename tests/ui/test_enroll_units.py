"""The enrollment check prints units as people write them: 80, never 8E+1 (``Decimal.normalize()``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QDoubleSpinBox

from app.policy import PolicyParams
from app.rules.charge import ChargeRequest, charge_violations
from ui.dialogs.enroll_pages import spin_units
from ui.errors import violation_text


def test_units_typed_in_the_wizard_never_become_exponents(qapp: object) -> None:
    box = QDoubleSpinBox()
    box.setDecimals(2)
    box.setRange(0, 999)
    for typed, expected in ((80, "80"), (100, "100"), (1.5, "1.5"), (24, "24"), (0.25, "0.25")):
        box.setValue(typed)
        assert str(spin_units(box)) == expected


def test_the_too_many_units_message_says_80(qapp: object) -> None:
    request = ChargeRequest(
        Decimal("8E+1"), 400_000, date(2026, 3, 1), date(2026, 4, 30), date(2026, 3, 1), Decimal(0)
    )
    found = [v for v in charge_violations(request, PolicyParams()) if v.code == "charge.too_many_units"]
    assert (
        len(found) == 1
        and "本次为80课时" in violation_text(found[0])
        and "E+" not in violation_text(found[0])
    )
