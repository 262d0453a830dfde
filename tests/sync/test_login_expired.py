"""``instdesk sync-status`` tells an expired login (issue 11 item 3): once the platform refuses this desk's
login, every sync fails with ``sync.login_required`` and the status must say so, not 已登录."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from app.db import Database
from instdesk.cli import main
from platform_server.db import make_sessionmaker
from platform_server.models import AccessToken, RefreshToken
from sync.engine import SyncEngine
from sync.errors import SyncError
from tests.sync.helpers import engine_for
from tests.sync.server import PASSWORD, USCC, LiveServer


def _refuse_login(server: LiveServer) -> None:
    """What the platform does to a family it no longer trusts: every token of it revoked."""
    with make_sessionmaker(server.engine)() as session:
        session.execute(update(RefreshToken).values(revoked=True))
        session.query(AccessToken).delete()
        session.commit()


def _status(capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str) -> str:
    assert main(["--db", str(tmp_path / "a.db"), "sync-status", *extra]) == 0
    return capsys.readouterr().out


def test_sync_status_says_the_login_expired(
    server: LiveServer,
    make_db: Callable[[str], Database],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    db = make_db("a")
    engine = engine_for(db, server, "a")
    engine.sync_once()
    assert "登录: 已登录" in _status(capsys, tmp_path)
    _refuse_login(server)
    for _ in range(2):
        with pytest.raises(SyncError) as failed:
            engine.sync_once()
        assert failed.value.code == "sync.login_required"
    assert engine.status.snapshot().login_expired and not engine.status.snapshot().logged_in
    text = _status(capsys, tmp_path)
    assert "登录已失效" in text and "已登录" not in text.replace("登录已失效", "")
    data = json.loads(_status(capsys, tmp_path, "--json"))
    assert data["login"] == "expired" and data["logged_in"] is False and data["login_expired"] is True
    fresh = SyncEngine(db)  # a new process (the GUI starting) sees it too
    assert fresh.status.snapshot().login_expired and fresh.login_state() == "expired"
    engine.login(USCC, PASSWORD, "a")
    engine.sync_once()
    assert "登录: 已登录" in _status(capsys, tmp_path)
