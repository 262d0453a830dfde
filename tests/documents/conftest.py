"""One sample institution with a signed, paid and refunded deal (``app.demo.paperwork``), built once per run
and only read by the document tests; PDF text is read back with pypdf."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database
from app.demo.paperwork import Paperwork, build_paperwork


@pytest.fixture(scope="session")
def paperwork_template(
    migrated_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Paperwork]:
    path = tmp_path_factory.mktemp("paperwork") / "paperwork.db"
    shutil.copyfile(migrated_template, path)
    db = Database.open(path, migrate=False)
    deal = build_paperwork(db)
    db.close()
    return path, deal


@pytest.fixture
def paperwork(
    paperwork_template: tuple[Path, Paperwork], tmp_path: Path
) -> Iterator[tuple[Database, Paperwork]]:
    template, deal = paperwork_template
    path = tmp_path / "paperwork.db"
    shutil.copyfile(template, path)
    db = Database.open(path, migrate=False)
    yield db, deal
    db.close()


def squeeze(text: str) -> str:
    """PDF text without any white space (the layout breaks lines wherever a cell wraps)."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[str]:
    return [squeeze(page.extract_text() or "") for page in PdfReader(path).pages]
