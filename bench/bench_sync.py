"""Sync benchmarks against the reference server on loopback (``python -m bench.bench_sync``).

Targets (issue 4): drain 100,000 outbox ops at >= 20,000 ops/s with client peak RSS <= 300 MB; a new
desk's first sync of 10,000 students + 200,000 attendance rows in <= 20 s; one change round trip (local
write -> pushed -> visible on a second desk) <= 100 ms. The server runs in a child process so the RSS
figure is the client's own.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import keyring
import orjson
from sqlalchemy import insert

from app.db import Database
from bench.server_floor import write_floor
from localdb.ids import attendance_id, new_id
from localdb.models import metadata
from sync.engine import SyncEngine
from sync.mapping import to_wire
from sync.push import Pusher
from tests.localdb.rows import seed, values_for
from tests.sync.file_keyring import FileKeyring
from tests.sync.server import PASSWORD, USCC, LiveServer

STUDENTS = 10_000
SESSIONS = 20


def serve(directory: Path) -> None:
    """Child process: a live server; prints its URL and runs until stdin closes."""
    directory.mkdir(parents=True, exist_ok=True)
    server = LiveServer(directory).start()
    print(server.url, flush=True)
    sys.stdin.read()
    server.stop()


def start_server(directory: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_sync", "--serve", str(directory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(
    db: Database, students: int, sessions: list[str], student_ids: list[str], ctx: dict[str, str]
) -> None:
    """Students and their attendance through Core executemany (capture triggers fill the outbox)."""
    t = metadata.tables
    base_student = values_for("student", ctx)
    rows = []
    for i in range(students):
        sid = new_id()
        student_ids.append(sid)
        rows.append({**base_student, "id": sid, "card_code": f"B{i}", "name": f"学生{i}"})
    with db.transaction() as session:
        session.connection().execute(insert(t["student"]), rows)


def attendance(db: Database, sessions: list[str], students: list[str], ctx: dict[str, str]) -> None:
    a = metadata.tables["attendance"]
    base = values_for("attendance", ctx)
    for session_id in sessions:
        rows = [
            {**base, "id": attendance_id(session_id, s), "session_id": session_id, "student_id": s}
            for s in students
        ]
        with db.transaction() as session:
            session.connection().execute(insert(a), rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", type=Path)
    parser.add_argument("--drain-only", action="store_true", help="stop after the drain figure")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0
    keyring.set_keyring(FileKeyring(Path(tempfile.mkdtemp(prefix="bench-keyring-")) / "k.json"))
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    proc, url = start_server(work / "server")
    try:
        run(work, url, proc.pid, drain_only=args.drain_only)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process or of ``pid``: a figure the other load barely moves."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(work: Path, url: str, server_pid: int, *, drain_only: bool = False) -> None:
    a = Database.open(work / "a.db")
    ea = SyncEngine(a, url)
    ea.login(USCC, PASSWORD, "bench-a")
    with a.transaction() as session:
        ctx = seed(session.connection())
    sessions = [ctx["lesson_session"]]
    for _ in range(SESSIONS - 1):
        v = values_for("lesson_session", ctx)
        with a.transaction() as session:
            session.connection().execute(insert(metadata.tables["lesson_session"]), [v])
        sessions.append(v["id"])
    students: list[str] = []
    generate(a, STUDENTS, sessions, students, ctx)
    attendance(a, sessions[:9], students, ctx)  # ~100,000 ops so far
    with a.reading() as session:
        backlog = int(session.connection().exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() or 0)
    print(f"generated {backlog} ops", flush=True)
    device = ea._state()["device_id"]
    assert device is not None
    with a.reading() as session:
        sample = session.connection().exec_driver_sql(
            "SELECT payload FROM sync_outbox WHERE entity = 'attendance' LIMIT 1"
        )
        wire_attendance = to_wire("attendance", orjson.loads(sample.scalar_one()))
    t0, client0, server0 = time.perf_counter(), cpu_seconds(), cpu_seconds(server_pid)
    Pusher(a, ea.api(), device).run()
    drain = time.perf_counter() - t0
    client_cpu, server_cpu = cpu_seconds() - client0, cpu_seconds(server_pid) - server0
    print(
        f"drain {backlog} ops: {drain:.2f} s = {backlog / drain:,.0f} ops/s (target >= 20,000); "
        f"client peak RSS {rss_mb():.0f} MB (target <= 300); CPU client {client_cpu:.1f} s, "
        f"server {server_cpu:.1f} s; load {os.getloadavg()[0]:.1f}"
    )
    floor = write_floor(backlog, wire_attendance)
    print(
        f"  floor: the server's SQLite writing the same rows with no Python per op: {floor:,.0f} ops/s",
        flush=True,
    )
    if drain_only:
        return
    attendance(a, sessions[9:], students, ctx)
    t0 = time.perf_counter()
    ea.sync_once()
    print(f"(setup) pushed the rest and pulled in {time.perf_counter() - t0:.1f} s", flush=True)
    b = Database.open(work / "b.db")
    eb = SyncEngine(b, url)
    eb.login(USCC, PASSWORD, "bench-b")
    t0 = time.perf_counter()
    report = eb.sync_once()
    first = time.perf_counter() - t0
    with b.reading() as session:
        n_att = session.connection().exec_driver_sql("SELECT count(*) FROM attendance").scalar()
        n_stu = session.connection().exec_driver_sql("SELECT count(*) FROM student").scalar()
    print(
        f"first sync of a new desk: {report.snapshot_rows} rows ({n_stu} students, {n_att} attendance) "
        f"in {first:.2f} s (target <= 20)"
    )
    round_trip(a, ea, b, eb, students)


def round_trip(a: Database, ea: SyncEngine, b: Database, eb: SyncEngine, students: list[str]) -> None:
    times = []
    for i in range(30):
        name = f"改名{i}"
        t0 = time.perf_counter()
        with a.transaction() as session:
            session.connection().exec_driver_sql(
                "UPDATE student SET name = ? WHERE id = ?", (name, students[i])
            )
        ea.sync_once()
        eb.sync_once()
        with b.reading() as session:
            seen = session.connection().exec_driver_sql(
                "SELECT name FROM student WHERE id = ?", (students[i],)
            )
            assert seen.scalar() == name
        times.append((time.perf_counter() - t0) * 1000)
    print(
        f"round trip write -> push -> visible on second desk: median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms (target <= 100)"
    )


if __name__ == "__main__":
    os.environ.setdefault("INSTDESK_DATA_DIR", tempfile.mkdtemp(prefix="bench-data-"))
    raise SystemExit(main())
