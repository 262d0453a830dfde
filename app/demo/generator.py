"""``generate``: a whole demo institution from a seed — the database behind ``instdesk demo-data``.

Deterministic: one ``random.Random(seed)`` draws everything and ids come from ``SeededIds`` (v7-shaped,
seeded) or from the project's own deterministic ids (sessions, attendance), so the same seed and the same
``until`` month give the same rows with the same ids (only the outbox's op ids, drawn by SQLite as the
capture triggers draw them, differ). Realistic and lawful: every course, teacher, lesson date, charge and
refund is checked by the same pure rules as hand-entered data. Fast: driver ``executemany`` in large
transactions, each batch followed by one bulk statement that writes exactly the outbox ops the capture
triggers would have written (``app.demo.writer``).
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, text

from app.db import DESK_CODE_KEY, FROM_KEYRING, Database, KeyFromKeyring
from app.demo import catalog, writer
from app.demo.enrolment import MemberPlan, money_rows, number_contracts, plan_members
from app.demo.lessons import ATTENDANCE_COLUMNS, LessonCounts, attendance_rows, makeup_rows, refund_rows
from app.demo.people import Row, SeededIds, student_rows
from app.demo.school import School, build_school
from app.errors import InstDeskError
from app.policy import PolicyParams
from app.rules.charge import add_months
from app.validators import make_uscc
from localdb import summaries
from localdb.schema import SYNCED_TABLES

InstDeskError.register({"demo.not_empty": "数据库 {path} 已有机构数据，演示数据只能生成到新的数据库中"})

DESK = "D1"
MASTER_ORDER = (
    "campus",
    "room",
    "staff",
    "course",
    "student",
    "guardian",
    "klass",
    "schedule_rule",
    "lesson_session",
)


@dataclass(frozen=True)
class GenerationSummary:
    """What was generated (row counts per table, the outbox ops) and how long it took."""

    seed: int
    date_from: date
    date_to: date
    institution: str
    counts: dict[str, int]
    outbox_ops: int
    seconds: float
    phases: dict[str, float]
    cpu_seconds: float = 0.0  # this process's CPU time: the wall time also counts other load on the machine


def window_for(until: date | None) -> tuple[date, date]:
    """Six whole months ending with the last completed month before ``until`` (default: today)."""
    today = until or datetime.now(UTC).date()
    end = today.replace(day=1) - timedelta(days=1)
    return add_months(end.replace(day=1), -5), end


def _institution_rows(rng: random.Random, ids: SeededIds, when: datetime) -> dict[str, list[Row]]:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    uscc = make_uscc("52350100" + "".join(rng.choice(charset) for _ in range(9)))
    profile = {
        "id": ids.next(),
        "region_code": "000000",
        "name": "全国默认",
        "params": PolicyParams().to_json(),
    }
    inst: Row = {
        "id": ids.next(),
        "name": f"{catalog.CITY}启明星培训学校",
        "uscc": uscc,
        "address": f"{catalog.CITY}市鼓楼区五四路1号",
        "licence_no": f"教民{rng.randrange(10**12):012d}号",
        "contact_name": "王校长",
        "contact_phone": "13800138000",
        "category_scope": "both",
        "delivery_scope": "offline",
        "supervision_mode": "escrow",
        "supervised_account_verified": True,
        "policy_profile_id": profile["id"],
        # the contract facts of 设置 → 机构信息 (GF—2021—2604 甲方), so demo contracts print as final
        "approval_authority": f"{catalog.CITY}市鼓楼区教育局",
        "registration_authority": f"{catalog.CITY}市鼓楼区民政局",
        "licence_valid_until": "2029-08-31",
        "registration_valid_until": "2030-12-31",
        "supervision_bank": f"中国建设银行{catalog.CITY}鼓楼支行",
        "supervision_account_name": f"{catalog.CITY}启明星培训学校预收费监管专户",
        "supervision_account_no": "3505" + str(int(hashlib.sha1(uscc.encode()).hexdigest(), 16))[-16:],
        "dispute_resolution": "court",
        "dispute_body": f"{catalog.CITY}市鼓楼区人民法院",
        "refund_days_before_start": 7,
        "refund_days_after_start": 3,
    }
    stamp: Row = {"created_at": when, "updated_at": when}
    profile.update(stamp)
    inst.update(stamp)
    return {"policy_profile": [profile], "institution": [inst]}


def _choices(rng: random.Random, count: int) -> list[str]:
    names = [c.name for c in catalog.COURSES]
    return rng.choices(names, weights=[c.weight for c in catalog.COURSES], k=count)


def _demand(choices: list[str]) -> dict[str, int]:
    demand: dict[str, int] = {}
    for name in choices:
        demand[name] = demand.get(name, 0) + 1
    return demand


def _settings(conn: Connection, counters: dict[tuple[str, int], int]) -> None:
    conn.execute(
        text("INSERT OR REPLACE INTO local_setting (key, value) VALUES (:k, :v)"),
        {"k": DESK_CODE_KEY, "v": DESK},
    )
    for (kind, year), last in sorted(counters.items()):
        conn.execute(
            text(
                "INSERT OR REPLACE INTO desk_counter (desk_code, kind, year, last_no) VALUES (:d, :k, :y, :n)"
            ),
            {"d": DESK, "k": kind, "y": year, "n": last},
        )


def _write_master(conn: Connection, tables: dict[str, list[Row]]) -> None:
    for table in (
        "policy_profile",
        "institution",
        *MASTER_ORDER,
        "contract",
        "klass_member",
        "payment",
        "ledger_entry",
    ):
        writer.write(conn, table, tables.get(table, []))


@dataclass
class _Plan:
    tables: dict[str, list[Row]]
    school: School
    members: list[MemberPlan]
    counters: dict[tuple[str, int], int]
    ids: SeededIds
    rng: random.Random


def _plan(seed: int, students: int, window: tuple[date, date]) -> _Plan:
    rng = random.Random(seed)
    start = datetime(window[0].year, window[0].month, window[0].day, tzinfo=UTC) - timedelta(days=40)
    ids = SeededIds(seed, start)
    params = PolicyParams()
    tables = _institution_rows(rng, ids, start)
    people, guardians = student_rows(rng, ids, students, window[0], start + timedelta(days=5))
    choices = _choices(rng, students)
    campuses = max(1, min(len(catalog.CAMPUS_NAMES), students // 10_000 + 1))
    school = build_school(rng, ids, _demand(choices), window, params, start, campuses)
    tables.update(school.rows)
    tables["student"], tables["guardian"] = people, guardians
    members = plan_members(rng, ids, people, choices, school.classes, window, params)
    counters = number_contracts(members, DESK)
    tables.update(money_rows(ids, members, DESK))
    return _Plan(tables, school, members, counters, ids, rng)


def _write_all(conn: Connection, plan: _Plan, phases: dict[str, float]) -> None:
    """Master data and money in one transaction, attendance in a second, make-ups and refunds in a third.

    The statistics summaries are filled once, set-based, at the end: their per-row triggers would add
    ~80% to every attendance insert of a bulk load. They are reinstalled even when a step fails.
    """
    with conn.begin():
        summaries.uninstall(conn)
    try:
        _write_rows(conn, plan, phases)
    finally:
        mark = time.perf_counter()
        with conn.begin():
            summaries.install(conn)
            summaries.rebuild(conn)
        phases["summaries"] = time.perf_counter() - mark


def _write_rows(conn: Connection, plan: _Plan, phases: dict[str, float]) -> None:
    mark = time.perf_counter()
    with conn.begin():
        _write_master(conn, plan.tables)
        _settings(conn, plan.counters)
    phases["master"], mark = time.perf_counter() - mark, time.perf_counter()
    counts = LessonCounts()
    rows = attendance_rows(plan.rng, plan.school.classes, plan.members, counts)
    with conn.begin(), writer.deferred_indexes(conn, ("attendance", "sync_outbox")):
        writer.write_tuples(conn, "attendance", ATTENDANCE_COLUMNS, rows)
    phases["attendance"], mark = time.perf_counter() - mark, time.perf_counter()
    with conn.begin():
        writer.write(conn, "makeup_entitlement", makeup_rows(plan.ids, counts.leaves))
        for table, refund in refund_rows(plan.ids, plan.members).items():
            writer.write(conn, table, refund)
    phases["makeup_refund"] = time.perf_counter() - mark


def generate(
    db_path: str | Path,
    students: int,
    seed: int,
    *,
    until: date | None = None,
    key: bytes | None | KeyFromKeyring = FROM_KEYRING,
) -> GenerationSummary:
    """Create a demo institution with ``students`` students in a new database at ``db_path`` (encrypted
    as any new database, unless ``key`` says otherwise: the benchmarks build a plain one)."""
    started, cpu = time.perf_counter(), time.process_time()
    window = window_for(until)
    db = Database.open(db_path, key=key)
    try:
        with db.connection() as conn:
            writer.tune(conn)
            if conn.execute(text("SELECT count(*) FROM institution")).scalar():
                raise InstDeskError("demo.not_empty", path=str(db_path))
            conn.rollback()
            mark = time.perf_counter()
            plan = _plan(seed, students, window)
            phases = {"plan": time.perf_counter() - mark}
            _write_all(conn, plan, phases)
            writer.verify_foreign_keys(conn)
            summary_counts = table_counts(conn)
            outbox = int(conn.execute(text("SELECT count(*) FROM sync_outbox")).scalar() or 0)
            conn.rollback()
            name = str(plan.tables["institution"][0]["name"])
    finally:
        db.close()
    elapsed = round(time.perf_counter() - started, 1)
    rounded = {k: round(v, 1) for k, v in phases.items()}
    cpu_seconds = round(time.process_time() - cpu, 1)
    return GenerationSummary(
        seed, window[0], window[1], name, summary_counts, outbox, elapsed, rounded, cpu_seconds
    )


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per synced table."""
    return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0) for t in SYNCED_TABLES}


def checksums(db_path: str | Path) -> dict[str, str]:
    """SHA-256 of every synced table's rows in id order: equal for equal seeds (outbox excluded)."""
    db = Database.open(db_path, migrate=False)
    try:
        with db.connection() as conn:
            result: dict[str, str] = {}
            for table in SYNCED_TABLES:
                digest = hashlib.sha256()
                for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY id")):
                    digest.update(repr(tuple(row)).encode())
                result[table] = digest.hexdigest()
            return result
    finally:
        db.close()
