"""The push hot path's bulk writes (COPY / executemany) and the SQLite WAL checkpointer."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from platform_server.db import WalCheckpointer
from tests.server.helpers import Device, new_id

TRICKY = {
    "name": "王\t小明\n第二行\r\\N",
    "note": 'quote " backslash \\ slash / tab\t 😀 汉字',
    "empty": "",
    "nested": {"list": [1, "\\", None, True], "k\tey": "v\\t"},
}


def _rows(device: Device) -> dict[str, dict[str, Any]]:
    response = device.client.get("/v1/sync/snapshot", params={"limit": 5000}, headers=device.headers)
    assert response.status_code == 200, response.text
    return {r["entity_id"]: r for r in response.json()["rows"]}


def test_payload_text_survives_bulk_insert_and_update(device: Device) -> None:
    sid, aid = new_id(), new_id()
    device.push(
        [
            device.op("student", entity_id=sid, payload=TRICKY),
            device.op("attendance", entity_id=aid, payload={**TRICKY, "charged": False}),
        ]
    )
    updated = {**TRICKY, "name": "新\\名\t"}
    result = device.push(
        [
            device.op("student", "update", sid, updated, base_version=1),
            device.op("attendance", "update", aid, {**updated, "charged": False}),
        ]
    )
    assert [r["status"] for r in result["results"]] == ["applied", "applied"]
    changes = device.all_changes()
    assert [c["payload"] for c in changes] == [
        {"id": sid, **TRICKY},
        {"id": aid, **TRICKY, "charged": False},
        {"id": sid, **updated},
        {"id": aid, **updated, "charged": False},
    ]
    rows = _rows(device)
    assert rows[sid]["payload"] == {"id": sid, **updated} and rows[sid]["version"] == 2
    assert rows[aid]["payload"] == {"id": aid, **updated, "charged": False} and rows[aid]["version"] == 2


def test_batches_larger_than_one_lookup_chunk(device: Device) -> None:
    """More than 400 ids per lookup (SQLite's chunk): inserts, repeats and updates of 450 rows."""
    ops = [device.op("student", payload={"name": f"学生{i}"}) for i in range(450)]
    assert {r["status"] for r in device.push(ops)["results"]} == {"applied"}
    again = device.push(ops)["results"]
    assert {r["status"] for r in again} == {"duplicate"} and len(again) == 450
    updates = [device.op("student", "update", o["entity_id"], {"name": "改"}, base_version=1) for o in ops]
    result = device.push(updates)
    assert {(r["status"], r["version"]) for r in result["results"]} == {("applied", 2)}
    assert result["last_seq"] == 900
    assert {r["payload"]["name"] for r in _rows(device).values()} == {"改"}


def test_wal_checkpointer_copies_the_wal_into_the_database(tmp_path: Path) -> None:
    path = tmp_path / "wal.sqlite3"
    checkpointer = WalCheckpointer(str(path), interval=0.02).start()  # before the file exists: it waits
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")  # only the checkpointer may copy pages
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(2000)])
    deadline = time.monotonic() + 10
    while path.stat().st_size < 2_000_000 and time.monotonic() < deadline:
        time.sleep(0.02)
    checkpointer.stop()
    checkpointer.thread.join(5)
    assert path.stat().st_size >= 2_000_000
    assert not checkpointer.thread.is_alive()
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (2000,)
    conn.close()
