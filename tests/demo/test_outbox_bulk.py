"""The generator's bulk-written outbox equals, op for op, what the capture triggers write for its rows."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from app.db import Database
from app.dbkey import key_for
from app.demo.generator import GenerationSummary
from localdb.capture import capture_enabled
from localdb.cipher import key_clause
from localdb.schema import SYNCED_TABLES
from tests.rawdb import raw_connect

# Everything but seq (local order number), op_id (clock + random) and created_at (the clock when written).
_COMPARED = "entity, entity_id, op, payload, base_version, schema_version, state, attempts, last_error"
_UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def _outbox(conn: sqlite3.Connection, schema: str = "main") -> list[tuple[object, ...]]:
    return conn.execute(f"SELECT {_COMPARED} FROM {schema}.sync_outbox ORDER BY seq").fetchall()


def _replay_with_triggers(source: Path, target: Path) -> sqlite3.Connection:
    """A new database holding the generated rows, inserted one by one in op order with capture on."""
    Database.open(target).close()  # migrated: tables, capture triggers (capture on), summary triggers
    conn = raw_connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=OFF")  # as the generator: parents and children in op order
    conn.execute(f"ATTACH DATABASE ? AS src {key_clause(key_for(source).key)}", (str(source),))
    columns = {
        t: ", ".join(str(r[1]) for r in conn.execute(f"PRAGMA src.table_info({t})")) for t in SYNCED_TABLES
    }
    conn.execute("BEGIN")
    for entity, entity_id in conn.execute("SELECT entity, entity_id FROM src.sync_outbox ORDER BY seq"):
        cols = columns[entity]
        conn.execute(
            f"INSERT INTO main.{entity} ({cols}) SELECT {cols} FROM src.{entity} WHERE id = ?", (entity_id,)
        )
    conn.execute("COMMIT")
    return conn


def test_bulk_outbox_equals_trigger_outbox(generated: tuple[Path, GenerationSummary], tmp_path: Path) -> None:
    path, summary = generated
    conn = _replay_with_triggers(path, tmp_path / "triggers.sqlite3")
    try:
        bulk, triggered = _outbox(conn, "src"), _outbox(conn)
        assert len(bulk) == summary.outbox_ops == sum(summary.counts.values())
        assert bulk == triggered  # same ops, same payloads, same order
        ids = [str(r[0]) for r in conn.execute("SELECT op_id FROM src.sync_outbox")]
        assert len(set(ids)) == len(ids) and all(_UUID7.match(i) for i in ids)
        assert conn.execute("SELECT count(*) FROM src.sync_outbox WHERE created_at IS NULL").fetchone() == (
            0,
        )
        per_table = dict(
            conn.execute("SELECT entity, count(*) FROM src.sync_outbox GROUP BY entity").fetchall()
        )
        assert per_table == {t: n for t, n in summary.counts.items() if n}
    finally:
        conn.close()


def test_capture_is_back_on_after_generation(generated: tuple[Path, GenerationSummary]) -> None:
    db = Database.open(generated[0], migrate=False)
    try:
        with db.engine.connect() as conn:
            assert capture_enabled(conn)
    finally:
        db.close()
