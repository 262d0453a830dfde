"""Local benchmarks on the 50k-student / 1M-attendance database, each beside its raw-sqlite3 floor.

Measured through the real code paths: ``roll_call`` (40 students, outbox triggers on), ``search_students``
(mixed names, pinyin, initials, phone tails, cards), ``statistics`` for one month, and ``export`` of
≥100,000 attendance rows to XLSX. Targets from issue 2: roll call p95 ≤ 15 ms, search p95 ≤ 30 ms,
statistics ≤ 200 ms, export ≤ 5 s, generation ≤ 120 s.
"""

from __future__ import annotations

import statistics as pystats
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from app.db import Database
from app.io import queries as export_queries
from app.io.export import export
from app.permissions import SYSTEM_ACTOR
from app.reports.queries import utc_bound
from app.reports.stats import statistics
from app.search import search_students
from bench import baselines, datagen
from bench.local_setup import roll_call_session
from localdb.engine import open_engine

MONTH = (date(2026, 10, 1), date(2026, 10, 31))
QUERIES = [
    "张",
    "王子",
    "李",
    "陈思",
    "zhang",
    "wangz",
    "liu",
    "zs",
    "wzh",
    "lj",
    "chen",
    "8000",
    "1234",
    "5678",
    "K012345",
    "K000001",
    "欧阳",
    "ouyang",
    "xu",
    "hy",
]


@dataclass
class Figure:
    name: str
    p50_ms: float
    p95_ms: float
    base_p50_ms: float
    base_p95_ms: float
    target_ms: float

    def line(self) -> str:
        verdict = "OK" if self.p95_ms <= self.target_ms else f"MISS by {self.p95_ms - self.target_ms:.1f} ms"
        return (
            f"{self.name:<28} p50 {self.p50_ms:9.1f} ms  p95 {self.p95_ms:9.1f} ms   "
            f"raw sqlite3 p50 {self.base_p50_ms:8.1f} ms  p95 {self.base_p95_ms:8.1f} ms   "
            f"target p95 ≤ {self.target_ms:.0f} ms: {verdict}"
        )


def timed(fn: Callable[[int], object], runs: int, warmup: int = 2) -> tuple[float, float]:
    """p50 and p95 in ms of ``fn(i)`` over ``runs`` calls after ``warmup`` calls."""
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(warmup + i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return pystats.median(samples), samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def bench_roll_call(db: Database, scratch: Path) -> Figure:
    from app.services.rollcall import roll_call

    session, students = roll_call_session(db)

    def mark(i: int) -> None:
        status = "present" if i % 2 else "late"
        roll_call(db, SYSTEM_ACTOR, session, dict.fromkeys(students, status))

    p50, p95 = timed(mark, 60)
    floor = baselines.prepare_upsert_floor(scratch / "floor.sqlite3")
    b50, b95 = timed(lambda i: baselines.upsert_floor(floor, students, "present" if i % 2 else "late"), 60)
    floor.close()
    return Figure(f"roll call ({len(students)} students)", p50, p95, b50, b95, 15)


def bench_search(db: Database, path: Path) -> Figure:
    p50, p95 = timed(lambda i: search_students(db, SYSTEM_ACTOR, QUERIES[i % len(QUERIES)]), 200)
    raw = baselines.connect(path)
    b50, b95 = timed(lambda i: baselines.search_floor(raw, "zhang" if i % 2 else "wang"), 200)
    like50, like95 = timed(lambda i: baselines.like_scan(raw, "子"), 20)
    raw.close()
    print(f"  (naive LIKE '%子%' full scan for contrast: p50 {like50:.1f} ms, p95 {like95:.1f} ms)")
    return Figure("student search (mixed)", p50, p95, b50, b95, 30)


def bench_stats(db: Database, path: Path) -> Figure:
    p50, p95 = timed(lambda i: statistics(db, SYSTEM_ACTOR, *MONTH), 15)
    raw = baselines.connect(path)
    end_utc = utc_bound(MONTH[1] + timedelta(days=1))
    b50, b95 = timed(
        lambda i: baselines.stats_floor(raw, MONTH[0].isoformat(), MONTH[1].isoformat(), end_utc), 15
    )
    raw.close()
    return Figure("statistics (one month)", p50, p95, b50, b95, 200)


def _export_range(path: Path, rows: int) -> tuple[date, date]:
    """The first lesson days of the data holding at least ``rows`` attendance rows."""
    engine = open_engine(path)
    with engine.connect() as conn:
        days = conn.execute(
            text(
                "SELECT s.date, COUNT(*) FROM lesson_session s JOIN attendance a ON a.session_id = s.id "
                "GROUP BY s.date ORDER BY s.date"
            )
        ).all()
    engine.dispose()
    total = 0
    for day, count in days:
        total += int(count)
        if total >= rows:
            return date.fromisoformat(str(days[0][0])), date.fromisoformat(str(day))
    return date.fromisoformat(str(days[0][0])), date.fromisoformat(str(days[-1][0]))


def bench_export(db: Database, path: Path, scratch: Path) -> Figure:
    start, end = _export_range(path, 100_000)
    counted: list[int] = []
    p50, p95 = timed(
        lambda i: counted.append(export(db, SYSTEM_ACTOR, "attendance", scratch / "a.xlsx", start, end)), 3, 0
    )
    raw = baselines.connect(path)
    sql = str(export_queries.ATTENDANCE).replace(":date_from", "?").replace(":date_to", "?")
    b50, b95 = timed(
        lambda i: baselines.export_floor(raw, scratch / "raw.xlsx", sql, (str(start), str(end))), 3, 0
    )
    raw.close()
    return Figure(f"XLSX export ({counted[-1]} rows)", p50, p95, b50, b95, 5000)


def main() -> int:
    path, summary = datagen.ensure_database()
    print(f"database: {path}")
    print(datagen.report(summary))
    db = Database.open(path)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp)
            figures = [bench_roll_call(db, scratch), bench_search(db, path), bench_stats(db, path)]
            figures.append(bench_export(db, path, scratch))
    finally:
        db.close()
    for figure in figures:
        print(figure.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
