"""消课 confirmations on the desk: counting and paging the 平台 → 待确认消课 / 消课异议 lists and 今日's
disputes due today with ~200,000 confirmations awaiting the parents (a large institution's 15 working
days of charged lessons), ``python -m bench.bench_confirmations``.

Each page figure sits beside a raw-sqlite3 floor (the list's own rows, without the joins and our layers;
counts have none). Target: ≤ 100 ms p95 for a page or a count, so a list opens and scrolls without a
visible wait (pages are read in a worker).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from app.clock import now_utc
from app.db import Database
from app.permissions import SYSTEM_ACTOR
from app.views.confirmations import (
    confirmation_key,
    count_confirmations,
    disputes_due_today,
    list_confirmations,
)
from bench.bench_local import Figure, timed

OUT = Path(__file__).with_name("out")
CONFIRMATIONS = 200_000
DISPUTED_EVERY = 100
TARGET_MS = 100.0
RUNS = 40


def build(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = Database.open(path)
    start = date.today()
    rows = []
    for i in range(CONFIRMATIONS):
        status = "disputed" if i % DISPUTED_EVERY == 0 else "pending"
        deadline = (start + timedelta(days=1 + i % 21)).isoformat()
        payload = json.dumps({"id": f"c{i:06d}", "status": status, "reason": "没来上课"}, ensure_ascii=False)
        rows.append(
            ("consumption_confirmation", f"c{i:06d}", 1, status, f"a{i:06d}", 12000, deadline, payload)
        )
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO platform_inbox (entity, entity_id, version, status, related_id, amount_fen,"
            " deadline, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return db


def _floor(path: Path, status: str, offset: int) -> tuple[float, float]:
    conn = sqlite3.connect(path)
    sql = (
        "SELECT entity_id, deadline, amount_fen, payload FROM platform_inbox WHERE entity = ? AND status = ?"
        " AND deleted = 0 ORDER BY deadline, entity_id LIMIT 100 OFFSET ?"
    )
    try:
        return timed(
            lambda _i: conn.execute(sql, ("consumption_confirmation", status, offset)).fetchall(), RUNS
        )
    finally:
        conn.close()


def _page(db: Database, which: str, offset: int) -> Callable[[int], object]:
    return lambda _i: list_confirmations(db, SYSTEM_ACTOR, which, offset, 100)


def _next_page(db: Database, which: str, offset: int) -> Callable[[int], object]:
    """The page after a loaded one, as the list asks for it while scrolling (by the last row's key)."""
    key = confirmation_key(which)
    last = list_confirmations(db, SYSTEM_ACTOR, which, offset - 1, 1)
    after = key(last[0]) if last else None
    return lambda _i: list_confirmations(db, SYSTEM_ACTOR, which, offset, 100, after=after)


def _count(db: Database, which: str) -> Callable[[int], object]:
    return lambda _i: count_confirmations(db, SYSTEM_ACTOR, which)


def run(path: Path) -> list[Figure]:
    db = build(path)
    try:
        figures = []
        for which, status in (("pending", "pending"), ("dispute", "disputed")):
            for label, offset in (("first page", 0), ("page 11 by position", 1000)):
                p50, p95 = timed(_page(db, which, offset), RUNS)
                b50, b95 = _floor(path, status, offset)
                figures.append(Figure(f"{which} {label}", p50, p95, b50, b95, TARGET_MS))
            p50, p95 = timed(_next_page(db, which, 1000), RUNS)
            b50, b95 = _floor(path, status, 1000)
            figures.append(Figure(f"{which} page 11 by key", p50, p95, b50, b95, TARGET_MS))
            p50, p95 = timed(_count(db, which), RUNS)
            figures.append(Figure(f"{which} count", p50, p95, 0.0, 0.0, TARGET_MS))
        now = now_utc()
        p50, p95 = timed(lambda _i: disputes_due_today(db, SYSTEM_ACTOR, now), RUNS)
        figures.append(Figure("disputes due today", p50, p95, 0.0, 0.0, TARGET_MS))
        return figures
    finally:
        db.close()


def main() -> int:
    OUT.mkdir(exist_ok=True)
    figures = run(OUT / "confirmations.sqlite3")
    print(f"消课 confirmations: {CONFIRMATIONS:,} in the inbox, 1 in {DISPUTED_EVERY} disputed")
    for figure in figures:
        print(figure.line())
    return 0 if all(f.p95_ms <= f.target_ms for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
