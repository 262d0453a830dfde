"""Fixtures of the demo-data tests: one small generated database shared by the module (it is read-only)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.demo.generator import GenerationSummary, generate

UNTIL = date(2026, 11, 27)
STUDENTS = 200
SEED = 7


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerationSummary]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    return path, generate(path, STUDENTS, SEED, until=UNTIL)
