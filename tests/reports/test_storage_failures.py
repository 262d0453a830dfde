"""The reports and the export read on the driver's own cursor, past SQLAlchemy: ``Database.reading``
translates their storage failures as every other path does, and a failed export leaves no file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.db import Database
from app.errors import StorageError
from app.io.export import export
from app.permissions import SYSTEM_ACTOR
from app.reports.stats import statistics
from tests.reports.dataset import build
from tests.storage_faults import CORRUPT, failing

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def test_statistics_on_a_damaged_page_is_a_coded_error(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    build(db)
    expected = statistics(db, SYSTEM_ACTOR, *MARCH)
    with failing(monkeypatch, db, "session_tally", CORRUPT), pytest.raises(StorageError) as err:
        statistics(db, SYSTEM_ACTOR, *MARCH)
    assert err.value.code == "storage.corrupt"
    assert statistics(db, SYSTEM_ACTOR, *MARCH) == expected  # nothing was changed by the failure


def test_an_export_whose_rows_fail_to_read_leaves_no_file(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(db)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "a.xlsx"
    with (
        failing(monkeypatch, db, "a.units_x100, a.amount_fen, ct.contract_no"),
        pytest.raises(StorageError) as err,
    ):
        export(db, SYSTEM_ACTOR, "attendance", target, *MARCH)
    assert err.value.code == "storage.full"
    assert list(out.iterdir()) == []
    assert export(db, SYSTEM_ACTOR, "attendance", target, *MARCH) == 6
