"""The reads and the writes of a roll call, each one prebuilt SQL statement for the whole class.

Kept apart from ``rollcall`` so that module shows the flow and this one the SQL. Roll call is the desk's
hot path, so it runs on the pooled connection's sqlite3 handle (``Database.write_transaction``, the write
primitive of ``app.db``): prebuilt SQL text (compiled once by SQLite's statement cache), list parameters
as one JSON array (``json_each``), one ``executemany`` per table written, and ``BEGIN IMMEDIATE`` so the
write lock is taken up front instead of upgraded mid-transaction. On the 50k-student benchmark database
this took the Python and SQLAlchemy share of a 40-student roll call from ~8 ms to ~1 ms; what is left is
SQLite writing the rows, the capture triggers' outbox ops and the durable commit. The capture triggers
fill the outbox as for any other write. Storage errors are translated there exactly as
``Database.transaction`` does, and audit rows are written by ``app.db.audit``. Rows come back as small
plain values (no ORM objects are built per student).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from app.errors import NotFound, RuleViolation
from app.permissions import Actor
from app.policy import PolicyParams
from app.services.attendance_plan import Package, RowState, StudentPlan
from localdb.codes import (
    LEGACY_UNDONE_NOTE,
    AbsentPolicy,
    AttendanceStatus,
    CourseCategory,
    Delivery,
    MakeupStatus,
    SessionStatus,
)
from localdb.ids import PROJECT_NAMESPACE, dispute_reversal_id
from localdb.models import metadata
from localdb.types import units_from_x100

_ATT = metadata.tables["attendance"]
_ENT = metadata.tables["makeup_entitlement"]


@dataclass(frozen=True)
class SessionFacts:
    session_id: str
    klass_id: str
    course_id: str
    date: date
    status: SessionStatus
    units: Decimal
    absent_policy: AbsentPolicy
    category: CourseCategory
    delivery: Delivery
    pay_after: bool = False  # the course is 先学后付 (docs/pay_after.md)
    lesson_units: Decimal = Decimal(1)  # the course's 课时 per standard lesson (what a lesson price buys)


@dataclass(frozen=True)
class Person:
    name: str
    member: bool
    stage: str | None = None
    birth_date: date | None = None


def _json(values: Collection[str]) -> str:
    return json.dumps(list(values))


# --- reads -----------------------------------------------------------------------------------------

_FACTS = """
SELECT s.klass_id, k.course_id, s.date, s.status, s.units_x100, c.absent_policy, c.category, c.delivery,
  c.pay_after_learning, c.units_per_lesson_x100
FROM lesson_session s JOIN klass k ON k.id = s.klass_id JOIN course c ON c.id = k.course_id
WHERE s.id = ? AND s.deleted_at IS NULL
"""

#: the marked students (not deleted), whether each is a current member, and their row in the lesson
_PEOPLE_ROWS = """
SELECT st.id, st.name, st.stage, st.birth_date,
  EXISTS (SELECT 1 FROM klass_member m WHERE m.student_id = st.id AND m.klass_id = :klass
          AND m.deleted_at IS NULL AND m.left_on IS NULL),
  a.status, a.charged, a.units_x100, a.amount_fen, a.contract_id, a.note, a.undone
FROM student st LEFT JOIN attendance a ON a.session_id = :sid AND a.student_id = st.id
WHERE st.id IN (SELECT value FROM json_each(:ids)) AND st.deleted_at IS NULL
"""

_ROW_COLUMNS = "student_id, status, charged, units_x100, amount_fen, contract_id, note, undone"
_ROWS = f"SELECT {_ROW_COLUMNS} FROM attendance WHERE session_id = ?"
_SOME_ROWS = f"{_ROWS} AND student_id IN (SELECT value FROM json_each(?))"

#: active packages of the students for the course, oldest first, each with its balance: ledger entries
#: minus charged attendance (the rule of ``localdb.balances``), both summed from covering indexes
_PACKAGES = """
WITH c AS MATERIALIZED (
  SELECT id, student_id, total_units_x100, signed_at, end_date FROM contract
  WHERE student_id IN (SELECT value FROM json_each(:ids)) AND course_id = :course AND status = 'active'
    AND billing = 'prepaid'),
l AS (SELECT contract_id, sum(units_x100) AS u, sum(amount_fen) AS f FROM ledger_entry
  WHERE contract_id IN (SELECT id FROM c) GROUP BY contract_id),
a AS (SELECT contract_id, sum(units_x100) AS u, sum(amount_fen) AS f FROM attendance
  WHERE contract_id IN (SELECT id FROM c) AND charged = 1 GROUP BY contract_id)
SELECT c.id, c.student_id, c.total_units_x100, c.end_date,
  coalesce(l.u, 0) - coalesce(a.u, 0), coalesce(l.f, 0) - coalesce(a.f, 0)
FROM c LEFT JOIN l ON l.contract_id = c.id LEFT JOIN a ON a.contract_id = c.id
ORDER BY c.student_id, c.signed_at, c.id
"""

_ENTITLEMENTS = """
SELECT id, student_id, status, source_attendance_id, used_attendance_id FROM makeup_entitlement
WHERE student_id IN (SELECT value FROM json_each(:ids))
  AND ((course_id = :course AND status = 'open')
       OR source_attendance_id IN (SELECT value FROM json_each(:atts))
       OR used_attendance_id IN (SELECT value FROM json_each(:atts)))
ORDER BY id
"""


def session_facts(conn: sqlite3.Connection, session_id: str) -> SessionFacts:
    row = conn.execute(_FACTS, (session_id,)).fetchone()
    if row is None:
        raise NotFound("not_found", entity="lesson_session", entity_id=session_id, entity_label="课次")
    return SessionFacts(
        session_id,
        str(row[0]),
        str(row[1]),
        date.fromisoformat(str(row[2])),
        SessionStatus(row[3]),
        units_from_x100(row[4]),
        AbsentPolicy(row[5]),
        CourseCategory(row[6]),
        Delivery(row[7]),
        bool(row[8]),
        units_from_x100(row[9]),
    )


def _row_state(
    status: str, charged: int, units_x100: int, fen: int, contract: str | None, note: str | None, undone: int
) -> RowState:
    units = units_from_x100(units_x100)
    return RowState(AttendanceStatus(status), bool(charged), units, int(fen), contract, note, bool(undone))


def people_and_rows(
    conn: sqlite3.Connection, facts: SessionFacts, student_ids: Collection[str]
) -> tuple[dict[str, Person], dict[str, RowState]]:
    """The marked students (name, current member of the class?) and their existing rows, in one query."""
    params = {"klass": facts.klass_id, "sid": facts.session_id, "ids": _json(student_ids)}
    people: dict[str, Person] = {}
    existing: dict[str, RowState] = {}
    for sid, name, stage, birth, member, *row in conn.execute(_PEOPLE_ROWS, params):
        people[sid] = Person(str(name), bool(member), stage, date.fromisoformat(birth) if birth else None)
        if row[0] is not None:  # the student has a row in the lesson
            existing[sid] = _row_state(*row)
    return people, existing


def existing_rows(
    conn: sqlite3.Connection, session_id: str, student_ids: Collection[str] | None
) -> dict[str, RowState]:
    if student_ids is None:
        rows = conn.execute(_ROWS, (session_id,))
    else:
        rows = conn.execute(_SOME_ROWS, (session_id, _json(student_ids)))
    return {str(r[0]): _row_state(*r[1:]) for r in rows}


def packages(
    conn: sqlite3.Connection, course_id: str, student_ids: Collection[str], existing: Mapping[str, RowState]
) -> dict[str, list[Package]]:
    """Active contracts of the students for the course, oldest first, with balances (one query).

    The balance of a package the session's own row already charges is given that charge back, so a
    re-mark decides as if the row were new.
    """
    found: dict[str, list[Package]] = defaultdict(list)
    rows = conn.execute(_PACKAGES, {"ids": _json(student_ids), "course": course_id})
    for cid, sid, bought, end, units, fen in rows:
        ends = date.fromisoformat(end) if end else None
        package = Package(cid, units_from_x100(bought), units_from_x100(units), int(fen), ends)
        own = existing.get(sid)
        if own is not None and own.charged and own.contract_id == cid:
            package.units += own.units
            package.fen += own.amount_fen
        found[sid].append(package)
    return found


def closed_contracts(conn: sqlite3.Connection, contract_ids: Collection[str | None]) -> set[str]:
    """Which of these contracts are no longer active (refunded or closed)."""
    wanted = [c for c in contract_ids if c]
    if not wanted:
        return set()
    rows = conn.execute(
        "SELECT id FROM contract WHERE id IN (SELECT value FROM json_each(?)) AND status != 'active'",
        (_json(wanted),),
    )
    return {str(r[0]) for r in rows}


def reversed_charges(conn: sqlite3.Connection, attendance_ids: Collection[str]) -> set[str]:
    """Which of these lessons' charges were given back after a 消课 dispute (``app.services.disputes``:
    the reversing entry's id is derived from the attendance id)."""
    wanted = {dispute_reversal_id(a): a for a in attendance_ids}
    if not wanted:
        return set()
    rows = conn.execute(
        "SELECT id FROM ledger_entry WHERE id IN (SELECT value FROM json_each(?))", (_json(list(wanted)),)
    )
    return {wanted[str(r[0])] for r in rows}


def student_name(conn: sqlite3.Connection, student_id: str) -> str:
    row = conn.execute("SELECT name FROM student WHERE id = ?", (student_id,)).fetchone()
    return str(row[0]) if row else ""


def has_live_rows(conn: sqlite3.Connection, session_id: str) -> bool:
    """Whether any attendance row of the lesson is still in force (not undone)."""
    row = conn.execute(
        "SELECT 1 FROM attendance WHERE session_id = ? AND undone = 0 LIMIT 1", (session_id,)
    ).fetchone()
    return row is not None


#: the manager's switch (local_setting): "0" forbids marking a student with no 课时 left (owing)
OWING_SETTING = "rollcall.allow_owing"


def owing_allowed(conn: sqlite3.Connection) -> bool:
    """Whether a student with no 课时 left may be marked as owing (default: yes)."""
    row = conn.execute("SELECT value FROM local_setting WHERE key = ?", (OWING_SETTING,)).fetchone()
    return row is None or row[0] != "0"


#: the institution's policy profile (JSON; none linked: the national default)
_POLICY = """
SELECT p.params FROM institution i LEFT JOIN policy_profile p ON p.id = i.policy_profile_id
WHERE i.deleted_at IS NULL LIMIT 1
"""


def low_balance_units(conn: sqlite3.Connection) -> Decimal:
    """The profile's low-balance threshold (``PolicyParams.low_balance_units``)."""
    row = conn.execute(_POLICY).fetchone()
    return _low_balance_of(row[0] if row is not None else None)


@lru_cache(maxsize=8)
def _low_balance_of(params: str | None) -> Decimal:
    """Parsed once per profile text: roll call is the hot path, the profile rarely changes."""
    return PolicyParams.from_json(params).low_balance_units


def student_by_card(conn: sqlite3.Connection, card_code: str) -> tuple[str, str] | None:
    row = conn.execute(
        "SELECT id, name FROM student WHERE card_code = ? AND deleted_at IS NULL LIMIT 1", (card_code,)
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]))


def student_names(conn: sqlite3.Connection, student_ids: Collection[str]) -> dict[str, str]:
    rows = conn.execute(
        "SELECT id, name FROM student WHERE id IN (SELECT value FROM json_each(?))", (_json(student_ids),)
    )
    return {str(r[0]): str(r[1]) for r in rows}


# --- writes ----------------------------------------------------------------------------------------


def _upsert_sql() -> str:
    """Insert or update attendance rows by their deterministic id (state, not events)."""
    keep = {"id", "session_id", "student_id", "version", "created_at"}
    names = [c.name for c in _ATT.c]
    sets = ", ".join(f"{n} = excluded.{n}" for n in names if n not in keep)
    return (
        f"INSERT INTO attendance ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)}) "
        f"ON CONFLICT (id) DO UPDATE SET {sets}"
    )


_UPSERT = _upsert_sql()
_SESSION_STATUS: dict[str, str] = {
    status: f"UPDATE lesson_session SET status = '{status}', updated_at = ? WHERE id = ?"
    for status in SessionStatus
}
#: undo also writes the legacy note, which desks older than migration 0010 read (localdb.codes)
_UNDO = (
    "UPDATE attendance SET charged = 0, units_x100 = 0, amount_fen = 0, contract_id = NULL, undone = 1, "
    "note = ?, marked_at = ?, marked_by = ?, updated_at = ? "
    "WHERE session_id = ? AND student_id IN (SELECT value FROM json_each(?))"
)
_ENT_INSERT = (
    "INSERT INTO makeup_entitlement (id, student_id, course_id, source_attendance_id, status, version, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, 'open', 0, ?, ?)"
)
_ENT_SET = "UPDATE makeup_entitlement SET status = ?, used_attendance_id = ?, updated_at = ? WHERE id = ?"


def upsert_rows(conn: sqlite3.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """One ``executemany`` for every attendance row that changes (keys: the attendance columns)."""
    if rows:
        conn.executemany(_UPSERT, rows)


def set_session_status(conn: sqlite3.Connection, session_id: str, status: str, now: str) -> None:
    conn.execute(_SESSION_STATUS[status], (now, session_id))


def session_times(conn: sqlite3.Connection, session_id: str) -> tuple[str, str]:
    row = conn.execute(
        "SELECT start_time, end_time FROM lesson_session WHERE id = ?", (session_id,)
    ).fetchone()
    return str(row[0]), str(row[1])


def undo_rows(
    conn: sqlite3.Connection, actor: Actor, session_id: str, student_ids: Collection[str], now: str
) -> None:
    conn.execute(_UNDO, (LEGACY_UNDONE_NOTE, now, actor.username, now, session_id, _json(student_ids)))


def entitlement_id(source_attendance_id: str) -> str:
    """One entitlement per leave, the same on every desk (so two desks marking a leave converge)."""
    return str(uuid.uuid5(PROJECT_NAMESPACE, f"makeup_entitlement/{source_attendance_id}"))


@dataclass
class _Ent:
    id: str
    student_id: str
    status: str
    source: str
    used_by: str | None


class Entitlements:
    """The make-up entitlements a roll call may touch (open ones of the students, or tied to the rows).

    Changes are collected and written with one ``executemany`` per statement by ``flush``.
    """

    def __init__(self, rows: list[_Ent], course_id: str, now: str) -> None:
        self.rows = rows
        self.course_id = course_id
        self.now = now
        self._inserts: list[tuple[str, str, str, str, str, str]] = []
        self._updates: dict[str, tuple[str, str | None, str, str]] = {}

    @classmethod
    def load(
        cls,
        conn: sqlite3.Connection,
        facts: SessionFacts,
        student_ids: Collection[str],
        attendance_ids: Collection[str],
        now: str,
    ) -> Entitlements:
        params = {"ids": _json(student_ids), "course": facts.course_id, "atts": _json(attendance_ids)}
        rows = conn.execute(_ENTITLEMENTS, params)
        return cls([_Ent(str(r[0]), str(r[1]), r[2], str(r[3]), r[4]) for r in rows], facts.course_id, now)

    def _usable(self, student_id: str, att: str) -> _Ent | None:
        return next(
            (
                e
                for e in self.rows
                if e.student_id == student_id and e.status == MakeupStatus.OPEN and e.source != att
            ),
            None,
        )

    def check_makeups(self, plans: list[StudentPlan], names: Mapping[str, object]) -> None:
        """A make-up lesson needs an open entitlement (or the one this row already uses)."""
        for plan in plans:
            if plan.state.status != AttendanceStatus.MAKEUP:
                continue
            att = plan.attendance_id
            if not any(e.used_by == att for e in self.rows) and self._usable(plan.student_id, att) is None:
                name = getattr(names.get(plan.student_id), "name", plan.student_id)
                raise RuleViolation("rollcall.no_makeup_entitlement", name=name, student_id=plan.student_id)

    def apply(self, plans: list[StudentPlan]) -> None:
        """Bring entitlements in line with the rows' new states (idempotent); ``flush`` writes them."""
        for plan in plans:
            att = plan.attendance_id
            self._leave(plan, att)
            self._makeup(plan, att)

    def _leave(self, plan: StudentPlan, att: str) -> None:
        own = next((e for e in self.rows if e.source == att), None)
        if plan.state.status == AttendanceStatus.LEAVE:
            if own is None:
                new = _Ent(entitlement_id(att), plan.student_id, MakeupStatus.OPEN, att, None)
                self._inserts.append((new.id, plan.student_id, self.course_id, att, self.now, self.now))
                self.rows.append(new)
            elif own.status == MakeupStatus.CANCELLED:
                self._set(own, MakeupStatus.OPEN, own.used_by)
        elif own is not None and own.status == MakeupStatus.OPEN:
            self._set(own, MakeupStatus.CANCELLED, None)

    def _makeup(self, plan: StudentPlan, att: str) -> None:
        used = next((e for e in self.rows if e.used_by == att), None)
        if plan.state.status == AttendanceStatus.MAKEUP:
            if used is None:
                target = self._usable(plan.student_id, att)
                if target is not None:
                    self._set(target, MakeupStatus.USED, att)
        elif used is not None:
            self._set(used, MakeupStatus.OPEN, None)

    def release(self, atts: Collection[str]) -> None:
        """Undo: leaves no longer give a make-up; make-ups give their entitlement back."""
        for ent in list(self.rows):
            if ent.source in atts and ent.status == MakeupStatus.OPEN:
                self._set(ent, MakeupStatus.CANCELLED, None)
            elif ent.used_by in atts:
                self._set(ent, MakeupStatus.OPEN, None)

    def _set(self, ent: _Ent, status: str, used_by: str | None) -> None:
        ent.status, ent.used_by = status, used_by
        self._updates[ent.id] = (status, used_by, self.now, ent.id)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write the collected changes: new entitlements, then status changes (last one per row)."""
        if self._inserts:
            conn.executemany(_ENT_INSERT, self._inserts)
        if self._updates:
            conn.executemany(_ENT_SET, list(self._updates.values()))
        self._inserts, self._updates = [], {}
