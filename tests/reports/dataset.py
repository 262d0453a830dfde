"""A small institution with hand-computable figures (see test_stats.py for the expected numbers).

Inserted with Core so the statistics tests do not depend on the use cases; capture stays on, as always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert

from app.db import Database
from app.pinyin import name_keys
from localdb.ids import attendance_id, new_id
from localdb.models import metadata

CST = timezone(timedelta(hours=8))


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CST).astimezone(UTC)


@dataclass
class Ids:
    campus_a: str = ""
    campus_b: str = ""
    room_a: str = ""
    room_b: str = ""
    t1: str = ""
    t2: str = ""
    math: str = ""
    art: str = ""
    k1: str = ""
    k2: str = ""
    s1: str = ""
    s2: str = ""
    s3: str = ""
    c1: str = ""
    c2: str = ""
    c3: str = ""


def _ins(conn: Connection, table: str, **values: Any) -> str:
    values.setdefault("id", new_id())
    conn.execute(insert(metadata.tables[table]).values(values))
    return str(values["id"])


def student(conn: Connection, name: str, **extra: Any) -> str:
    full, initials = name_keys(name)
    phone = extra.get("phone")
    return _ins(
        conn,
        "student",
        name=name,
        name_pinyin=full,
        name_initials=initials,
        phone_rev=phone[::-1] if phone else None,
        **extra,
    )


def _master(conn: Connection, ids: Ids) -> None:
    ids.campus_a = _ins(conn, "campus", name="总部")
    ids.campus_b = _ins(conn, "campus", name="分校")
    ids.room_a = _ins(conn, "room", campus_id=ids.campus_a, name="101", capacity=20)
    ids.room_b = _ins(conn, "room", campus_id=ids.campus_b, name="201", capacity=20)
    ids.t1 = _ins(conn, "staff", name="王老师", background_check="passed")
    ids.t2 = _ins(conn, "staff", name="李老师", background_check="passed")
    common = {"delivery": "offline", "minutes_per_lesson": 90, "lessons_per_package_x100": Decimal(10)}
    ids.math = _ins(
        conn, "course", name="初中数学", category="subject", stage="compulsory", price_fen=10000, **common
    )
    ids.art = _ins(
        conn, "course", name="少儿美术", category="non_subject", stage="other", price_fen=10000, **common
    )
    ids.k1 = _ins(conn, "klass", course_id=ids.math, name="数学1班", teacher_id=ids.t1, room_id=ids.room_a)
    ids.k2 = _ins(conn, "klass", course_id=ids.art, name="美术1班", teacher_id=ids.t2, room_id=ids.room_b)
    ids.s1 = student(conn, "张三", phone="13800138000", card_code="C001", id_number="11010519491231002X")
    ids.s2 = student(conn, "李四", phone="13900139001", card_code="C002")
    ids.s3 = student(conn, "王五", phone="13700137002", card_code="C003")


def _contract(
    conn: Connection, ids: Ids, no: str, sid: str, course: str, klass: str, fee: int, units: int
) -> str:
    cid = _ins(
        conn,
        "contract",
        contract_no=no,
        student_id=sid,
        course_id=course,
        klass_id=klass,
        service_category="offline_subject" if course == ids.math else "offline_non_subject",
        total_units_x100=Decimal(units),
        start_date=date(2026, 3, 1),
        fee_fen=fee,
        signed_at=local(2026, 2, 27, 10),
    )
    _ins(
        conn,
        "ledger_entry",
        contract_id=cid,
        student_id=sid,
        course_id=course,
        kind="purchase",
        units_x100=Decimal(units),
        amount_fen=fee,
    )
    return cid


def _money(conn: Connection, ids: Ids) -> None:
    ids.c1 = _contract(conn, ids, "T-1", ids.s1, ids.math, ids.k1, 100000, 10)
    ids.c2 = _contract(conn, ids, "T-2", ids.s2, ids.math, ids.k1, 100000, 10)
    ids.c3 = _contract(conn, ids, "T-3", ids.s3, ids.art, ids.k2, 60000, 6)
    for n, (cid, sid, fen, when) in enumerate(
        [
            (ids.c1, ids.s1, 100000, local(2026, 3, 1, 10)),
            (ids.c2, ids.s2, 100000, local(2026, 3, 31, 23, 30)),  # 15:30 UTC: still March locally
            (ids.c3, ids.s3, 60000, local(2026, 2, 28, 20)),
        ]
    ):
        _ins(
            conn,
            "payment",
            receipt_no=f"R-{n}",
            contract_id=cid,
            student_id=sid,
            amount_fen=fen,
            method="cash",
            paid_at=when,
        )
    _ins(
        conn,
        "refund",
        contract_id=ids.c3,
        student_id=ids.s3,
        units_x100=Decimal(2),
        amount_fen=20000,
        created_at=local(2026, 3, 20, 15),
    )
    _ins(
        conn,
        "ledger_entry",
        contract_id=ids.c3,
        student_id=ids.s3,
        course_id=ids.art,
        kind="refund",
        units_x100=Decimal(-2),
        amount_fen=-20000,
    )


def _session(conn: Connection, klass: str, day: date, status: str = "held", **extra: Any) -> str:
    return _ins(
        conn,
        "lesson_session",
        klass_id=klass,
        date=day,
        start_time="18:00",
        end_time="19:30",
        status=status,
        **extra,
    )


def _mark(conn: Connection, session: str, sid: str, status: str, contract: str | None) -> None:
    charged = status in ("present", "late", "absent")
    _ins(
        conn,
        "attendance",
        id=attendance_id(session, sid),
        session_id=session,
        student_id=sid,
        status=status,
        charged=charged,
        units_x100=Decimal(1) if charged else Decimal(0),
        amount_fen=10000 if charged else 0,
        contract_id=contract,
    )


def _lessons(conn: Connection, ids: Ids) -> None:
    a = _session(conn, ids.k1, date(2026, 3, 4))
    _mark(conn, a, ids.s1, "present", ids.c1)
    _mark(conn, a, ids.s2, "late", ids.c2)
    b = _session(conn, ids.k1, date(2026, 3, 11))
    _mark(conn, b, ids.s1, "leave", ids.c1)
    _mark(conn, b, ids.s2, "absent", ids.c2)
    _session(conn, ids.k1, date(2026, 3, 18), status="cancelled")
    c = _session(conn, ids.k1, date(2026, 4, 1))
    _mark(conn, c, ids.s1, "present", ids.c1)
    d = _session(conn, ids.k2, date(2026, 3, 7))
    _mark(conn, d, ids.s3, "present", ids.c3)
    e = _session(conn, ids.k2, date(2026, 3, 14), teacher_id=ids.t1, room_id=ids.room_b)
    _mark(conn, e, ids.s3, "present", ids.c3)


def build(db: Database) -> Ids:
    """Insert the whole dataset in one transaction and return its ids."""
    ids = Ids()
    with db.engine.begin() as conn:
        _master(conn, ids)
        _money(conn, ids)
        _lessons(conn, ids)
    return ids
