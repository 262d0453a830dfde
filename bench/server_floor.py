"""The platform server's write floor for the drain benchmark: the same rows, no Python per op.

Each charged attendance op the drain pushes makes the server write two changes (the attendance and its new
消课 confirmation), two current-state rows, one applied-op record and one confirmation, and commit once per
500 ops with ``synchronous=FULL``. Here those rows, built before the clock starts, go straight into the
server's own schema (migrated on a scratch file, same pragmas) by ``executemany``. Whatever the server does
above this floor is its own Python; the floor itself is SQLite writing the pages of these tables' indexes.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import uuid6

from platform_server import migrate
from platform_server.db import make_engine
from platform_server.feed import CHANGE_COLS, ROW_KEY_COLS, ROW_VALUE_COLS
from platform_server.platform_ops import CONF_COLS
from platform_server.push import APPLIED_COLS
from platform_server.rawsql import TENANT_KEY, Col

BATCH = 500
TODAY, DEADLINE = "2026-11-28", "2026-12-18"


def _insert_sql(table: str, cols: Sequence[Col]) -> str:
    """The statement the server's own bulk writer (``Raw.insert``) runs on SQLite for these columns of a
    tenant table (it puts institution_id first)."""
    cols = (TENANT_KEY, *cols)
    return f"INSERT INTO {table} ({', '.join(n for n, _ in cols)}) VALUES ({', '.join('?' * len(cols))})"


CHANGE_SQL = _insert_sql("change", CHANGE_COLS)
ROW_SQL = _insert_sql("entity_row", ROW_KEY_COLS + ROW_VALUE_COLS)
APPLIED_SQL = _insert_sql("applied_op", APPLIED_COLS)
CONF_SQL = _insert_sql("consumption_confirmation", CONF_COLS)
Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _batches(ops: int, attendance_payload: dict[str, Any]) -> list[Batch]:
    inst, device = str(uuid.uuid4()), str(uuid.uuid4())
    batches: list[Batch] = []
    seq = server_seq = 0
    for start in range(0, ops, BATCH):
        changes, rows, applied, confs = [], [], [], []
        for _ in range(min(BATCH, ops - start)):
            seq += 1
            attendance_id, conf_id, op_id = str(uuid.uuid4()), str(uuid6.uuid7()), str(uuid6.uuid7())
            conf = {
                "id": conf_id, "attendance_id": attendance_id, "amount_fen": 22500, "status": "pending",
                "reason": None, "created_on": TODAY, "deadline": DEADLINE, "decided_at": None,
            }  # fmt: skip
            for entity, entity_id, payload in (
                ("attendance", attendance_id, {**attendance_payload, "id": attendance_id}),
                ("consumption_confirmation", conf_id, conf),
            ):
                server_seq += 1
                text = orjson.dumps(payload).decode()
                changes.append(
                    (
                        inst,
                        server_seq,
                        entity,
                        entity_id,
                        "insert",
                        1,
                        text,
                        device,
                        "2026-11-28 01:00:00.000000",
                    )
                )
                rows.append((inst, entity, entity_id, 1, text, 0, server_seq, "2026-03-02"))
            result = orjson.dumps({"seq": seq, "op_id": op_id, "status": "applied", "version": 1}).decode()
            applied.append((inst, op_id, device, seq, result))
            confs.append((inst, conf_id, attendance_id, 22500, "pending", None, TODAY, DEADLINE, None))
        batches.append((changes, rows, applied, confs))
    return batches


def write_floor(ops: int, attendance_payload: dict[str, Any]) -> float:
    """Ops per second of writing ``ops`` charged-attendance pushes' rows in batches of 500."""
    work = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    engine = make_engine(f"sqlite:///{work / 'floor.sqlite3'}")
    try:
        migrate.upgrade(engine)
        batches = _batches(ops, attendance_payload)
        raw = engine.raw_connection()
        conn = raw.driver_connection
        assert conn is not None
        t0 = time.perf_counter()
        for changes, rows, applied, confs in batches:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(CHANGE_SQL, changes)
            conn.executemany(ROW_SQL, rows)
            conn.executemany(APPLIED_SQL, applied)
            conn.executemany(CONF_SQL, confs)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        raw.close()
        return ops / elapsed
    finally:
        engine.dispose()
        shutil.rmtree(work, ignore_errors=True)
