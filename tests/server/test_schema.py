"""Migrations match the models, the committed OpenAPI document matches the app, the CLI works."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from platform_server import cli
from platform_server.migrate import downgrade, upgrade
from platform_server.models import Base
from platform_server.openapi_export import COMMITTED, openapi_document
from tests.server.conftest import LiveServer


def test_migrations_match_the_models(live: LiveServer) -> None:
    with live.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine)
    downgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_committed_openapi_matches_the_app(live: LiveServer) -> None:
    served = live.app.openapi()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served == committed, "run: instdesk-platform openapi --output platform_server/openapi.json"
    assert openapi_document() == committed


def test_cli_seeds_demo_and_adds_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert cli.main(["demo", "--db", db]) == 0
    assert cli.main(["demo", "--db", db]) == 0  # idempotent
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-pw\n"))
    assert cli.main(["add-institution", "--db", db, "--uscc", "91350100M000100Y43", "--name", "重复"]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-pw\n"))
    assert cli.main(["add-regulator", "--db", db, "--name", "省监管"]) == 0
    out = capsys.readouterr().out
    assert "91350100M000100Y43" in out and "省监管" in out
