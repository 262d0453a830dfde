"""What tells a desk that the platform was restored from an older backup (issue 11 item 2): the epoch in
``/v1/meta`` and on every answer, and the feed's 410 for a cursor past its head or on another change."""

from __future__ import annotations

from pathlib import Path

import httpx

from platform_server.cli import main as platform_cli
from platform_server.db import make_engine, make_sessionmaker
from platform_server.migrate import upgrade
from platform_server.security import load_or_create_epoch
from tests.server.helpers import Device


def test_every_answer_states_the_epoch(client: httpx.Client, device: Device) -> None:
    epoch = client.get("/v1/meta").json()["epoch"]
    assert len(epoch) == 32
    answers = [
        client.get("/v1/meta"),
        client.get("/v1/sync/changes", headers=device.headers),
        client.get("/v1/sync/changes"),  # 401
        client.get("/v1/stats", params={"to": "0"}, headers=device.headers),  # 422
        client.post("/v1/sync/push", json={"device_id": device.device_id, "ops": []}, headers=device.headers),
    ]
    assert {r.headers["X-Platform-Epoch"] for r in answers} == {epoch}


def test_a_cursor_past_the_head_must_reset(device: Device) -> None:
    device.push_one("student", payload={"name": "小明"})
    head = device.changes()["next_cursor"]
    ahead = device.client.get("/v1/sync/changes", params={"cursor": head + 7}, headers=device.headers)
    assert ahead.status_code == 410
    assert ahead.json()["error"] == "reset_required" and ahead.json()["reason"] == "cursor_ahead"
    assert ahead.json()["head_seq"] == head


def test_a_cursor_on_another_change_must_reset(device: Device) -> None:
    device.push_one("student", payload={"name": "小明"})
    page = device.changes()
    last = page["changes"][-1]
    seen = f"{last['entity_id']}:{last['version']}"
    params = {"cursor": page["next_cursor"], "check": seen}
    assert device.client.get("/v1/sync/changes", params=params, headers=device.headers).status_code == 200
    other = {**params, "check": f"{last['entity_id']}:{last['version'] + 1}"}
    moved = device.client.get("/v1/sync/changes", params=other, headers=device.headers)
    assert moved.status_code == 410 and moved.json()["reason"] == "cursor_unknown"
    snapshot = device.client.get("/v1/sync/snapshot", headers=device.headers).json()
    assert snapshot["as_of_seq"] == page["next_cursor"] and snapshot["as_of_check"] == seen


def test_new_epoch_command_changes_the_generation(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        before = load_or_create_epoch(session)
        session.commit()
    assert platform_cli(["new-epoch", "--db", url]) == 0
    with make_sessionmaker(engine)() as session:
        assert load_or_create_epoch(session) != before
    engine.dispose()
