"""Raw-sqlite3 baselines: the same rows without our layers, so each figure has a floor beside it.

Each function does the work of one benchmark with the standard library only (sqlite3, xlsxwriter for
the export) on the same database file or, for the durable write floor, a scratch file with the same
pragmas (WAL, synchronous=FULL).
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import xlsxwriter

from localdb import cipher


def connect(path: Path, key: bytes | None = None) -> sqlite3.Connection:
    """A raw connection (an SQLCipher one with ``key``: the floor of an encrypted file is encrypted too)."""
    conn = cipher.connect(path, key)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


def prepare_upsert_floor(path: Path, key: bytes | None = None) -> sqlite3.Connection:
    """A scratch file with an attendance-like table and an outbox-like table (random-key indexes)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = connect(path, key)
    conn.execute(
        "CREATE TABLE att (id TEXT PRIMARY KEY, session_id TEXT, student_id TEXT, status TEXT, "
        "charged INTEGER, units_x100 INTEGER, amount_fen INTEGER, UNIQUE(session_id, student_id))"
    )
    conn.execute(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT UNIQUE, entity TEXT, "
        "entity_id TEXT, payload TEXT)"
    )
    return conn


def upsert_floor(conn: sqlite3.Connection, students: list[str], status: str) -> None:
    """40 attendance upserts + 40 outbox rows in one durable transaction (80 rows)."""
    rows = [(f"a-{s}", "s-1", s, status, 1, 100, 10000) for s in students]
    ops = [(str(uuid.uuid4()), "attendance", f"a-{s}", f'{{"status":"{status}"}}') for s in students]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO att VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET status = excluded.status", rows
    )
    conn.executemany("INSERT INTO outbox (op_id, entity, entity_id, payload) VALUES (?,?,?,?)", ops)
    conn.execute("COMMIT")


def search_floor(conn: sqlite3.Connection, prefix: str) -> int:
    """One indexed prefix lookup (the cheapest of the lookups a search runs)."""
    rows = conn.execute(
        "SELECT id, name FROM student WHERE name_pinyin >= ? AND name_pinyin < ? "
        "ORDER BY name_pinyin LIMIT 50",
        (prefix, prefix + "\U0010ffff"),
    ).fetchall()
    return len(rows)


def like_scan(conn: sqlite3.Connection, text: str) -> int:
    """The naive query (``LIKE '%x%'``): a full scan, for contrast."""
    return len(
        conn.execute("SELECT id, name FROM student WHERE name LIKE ? LIMIT 50", (f"%{text}%",)).fetchall()
    )


def stats_floor(conn: sqlite3.Connection, date_from: str, date_to: str, end_utc: str) -> int:
    """The statistics' own SQL run raw (the month's sessions joined to their tallies, money in the range
    and outstanding as of ``date_to`` from the summary tables), without SQLAlchemy, grouping or the Python
    side: the floor our layers add to. ``end_utc`` is kept for the callers; the summaries are keyed by day."""
    from datetime import date

    from app.reports import queries

    del end_utc
    span = {"date_from": date_from, "date_to": date_to}
    first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    statements: list[tuple[str, dict[str, str]]] = [
        (queries.SESSIONS, span),
        queries.money_pieces(first, last),
        queries.money_pieces(None, last),
    ]
    return sum(len(conn.execute(sql, params).fetchall()) for sql, params in statements)


def export_floor(conn: sqlite3.Connection, out: Path, sql: str, params: tuple[str, ...]) -> int:
    """The export query straight from a cursor into xlsxwriter (constant memory), no formatting."""
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = book.add_worksheet("raw")
    n = 0
    for n, row in enumerate(conn.execute(sql, params), start=1):
        sheet.write_row(n, 0, row)
    book.close()
    return n
