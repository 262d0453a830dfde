"""Derived summary tables for the statistics, kept exact by SQLite triggers (a materialized view).

The truth stays the attendance, payment, refund, contract and lesson_session rows (docs/architecture.md);
these tables are local-only caches: never synced, never captured into the outbox, rebuildable from scratch
(``rebuild``) and checked against a recomputation by ``instdesk check`` (``verify``).

* ``session_tally`` (one row per lesson session with attendance): attendance rows, expected (present, late,
  leave, absent), attended (present, late), charged units ×100, charged fen, and leaves with a make-up
  right (leave rows whose make-up entitlement is not cancelled: the 管理评价's 请假, docs/domain.md) and,
  of those, the ones whose entitlement is used by a make-up row (whatever the make-up lesson's date). A
  month's lesson figures are the month's sessions (date index) joined to this small table. ``leaves``
  depends on two tables: the attendance triggers count the row's live entitlements, the entitlement
  triggers count their leave row, so either order of writes (roll call, sync) keeps it exact.
* ``money_day`` / ``money_month``: per local day (``YYYY-MM-DD``) and month (``YYYY-MM``), per course and
  class of the contract (``''`` for a contract without a class): payments (count, fen), refunds (count, fen)
  and charged fen of lessons held that day. Payments and refunds fall on the Asia/Shanghai date of their
  instant; consumption on its session's date, or on ``''`` (before every date: counted in every "up to"
  sum) when the session row is missing. "Prepaid outstanding as of D" = whole months before D's month +
  the days of D's month up to D.

Triggers fire whatever the capture state, so rows pulled by sync update the summaries too. They handle
inserts, re-marks and undos (updates: old contribution out, new in), deletes, a session's date changing,
a session arriving after its attendance, and a contract's course/class changing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, text

TRIGGER_PREFIX = "summary_"
TABLES = ("session_tally", "money_day", "money_month")
_MONEY = ("paid_n", "paid_fen", "refund_n", "refund_fen", "consumed_fen")
_TALLY = ("n_rows", "expected", "attended", "units_x100", "fen", "leaves", "used")
# The entitlement statuses each make-up column counts (of a leave row).
_RIGHTS = {"leaves": "<> 'cancelled'", "used": "= 'used' AND {row}.used_attendance_id IS NOT NULL"}
# The columns before migration 0015 (``leaves``, ``used``): what migration 0004 creates and rebuilds.
TALLY_0004 = _TALLY[:5]

_EXPECTED = "IN ('present','late','leave','absent')"
_ATTENDED = "IN ('present','late')"


def _leave_rights(row: str, column: str) -> str:
    """How many entitlements of ``column``'s statuses one attendance row holds when it is a leave."""
    return (
        f"(CASE WHEN {row}.status = 'leave' THEN (SELECT COUNT(*) FROM makeup_entitlement AS e "
        f"WHERE e.source_attendance_id = {row}.id AND e.status {_RIGHTS[column].format(row='e')}) ELSE 0 END)"
    )


def _tally_values(row: str, sign: str, cols: tuple[str, ...]) -> str:
    values = (
        f"{row}.session_id, {sign}1, {sign}({row}.status {_EXPECTED}), {sign}({row}.status {_ATTENDED}), "
        f"{sign}(CASE WHEN {row}.charged THEN COALESCE({row}.units_x100, 0) ELSE 0 END), "
        f"{sign}(CASE WHEN {row}.charged THEN COALESCE({row}.amount_fen, 0) ELSE 0 END)"
    )
    return values + "".join(f", {sign}{_leave_rights(row, c)}" for c in _RIGHTS if c in cols)


def _tally_upsert(row: str, sign: str, cols: tuple[str, ...]) -> str:
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in cols)
    return (
        f"INSERT INTO session_tally (session_id, {', '.join(cols)}) "
        f"VALUES ({_tally_values(row, sign, cols)}) "
        f"ON CONFLICT (session_id) DO UPDATE SET {sets};"
    )


def _tally_delta(cols: tuple[str, ...]) -> str:
    """NEW − OLD of one attendance row updated in place, as one upsert."""
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in cols)

    def charged(row: str, col: str) -> str:
        return f"(CASE WHEN {row}.charged THEN COALESCE({row}.{col}, 0) ELSE 0 END)"

    values = (
        f"NEW.session_id, 0, (NEW.status {_EXPECTED}) - (OLD.status {_EXPECTED}), "
        f"(NEW.status {_ATTENDED}) - (OLD.status {_ATTENDED}), "
        f"{charged('NEW', 'units_x100')} - {charged('OLD', 'units_x100')}, "
        f"{charged('NEW', 'amount_fen')} - {charged('OLD', 'amount_fen')}"
    )
    for c in _RIGHTS:
        if c in cols:
            values += f", {_leave_rights('NEW', c)} - {_leave_rights('OLD', c)}"
    return (
        f"INSERT INTO session_tally (session_id, {', '.join(cols)}) VALUES ({values}) "
        f"ON CONFLICT (session_id) DO UPDATE SET {sets};"
    )


def _money_upsert(table: str, columns: tuple[str, ...], select: str) -> str:
    """Add ``select`` (period, course_id, klass_id, *columns) into ``table``."""
    period = "day" if table == "money_day" else "month"
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {table} ({period}, course_id, klass_id, {', '.join(columns)}) {select} "
        f"ON CONFLICT ({period}, course_id, klass_id) DO UPDATE SET {sets};"
    )


def _both(columns: tuple[str, ...], day: str, select_rest: str) -> list[str]:
    """The same contribution into the day and the month table; ``day`` is an SQL text expression."""
    return [
        _money_upsert("money_day", columns, f"SELECT {day}, {select_rest}"),
        _money_upsert("money_month", columns, f"SELECT substr({day}, 1, 7), {select_rest}"),
    ]


def _session_day(session_id: str) -> str:
    return f"COALESCE((SELECT date FROM lesson_session WHERE id = {session_id}), '')"


def _attendance_money(row: str, sign: str) -> list[str]:
    """One attendance row's charged fen, on its session's date, to its contract's course and class."""
    rest = (
        f"c.course_id, COALESCE(c.klass_id, ''), {sign}{row}.amount_fen FROM contract AS c "
        f"WHERE c.id = {row}.contract_id AND {row}.charged AND {row}.amount_fen <> 0"
    )
    return _both(("consumed_fen",), _session_day(f"{row}.session_id"), rest)


def _cash_money(table: str, row: str, sign: str) -> list[str]:
    """One payment or refund: count and fen on the local (UTC+8) date of its instant."""
    at, n, fen = (
        ("paid_at", "paid_n", "paid_fen") if table == "payment" else ("created_at", "refund_n", "refund_fen")
    )
    rest = (
        f"c.course_id, COALESCE(c.klass_id, ''), {sign}1, {sign}{row}.amount_fen FROM contract AS c "
        f"WHERE c.id = {row}.contract_id"
    )
    return _both((n, fen), f"COALESCE(date({row}.{at}, '+8 hours'), '')", rest)


def _contract_money(row: str, sign: str) -> list[str]:
    """Everything of one contract (its payments, refunds, charged lessons) under ``row``'s course/class."""
    key = f"{row}.course_id, COALESCE({row}.klass_id, '')"
    out: list[str] = []
    for table, at, n, fen in (
        ("payment", "paid_at", "paid_n", "paid_fen"),
        ("refund", "created_at", "refund_n", "refund_fen"),
    ):
        day = f"COALESCE(date(x.{at}, '+8 hours'), '')"
        for target, expr in (("money_day", day), ("money_month", f"substr({day}, 1, 7)")):
            out.append(
                _money_upsert(
                    target,
                    (n, fen),
                    f"SELECT {expr} AS p, {key}, {sign}COUNT(*), {sign}SUM(x.amount_fen) FROM {table} AS x "
                    f"WHERE x.contract_id = {row}.id GROUP BY p",
                )
            )
    for target, expr in (
        ("money_day", "COALESCE(s.date, '')"),
        ("money_month", "substr(COALESCE(s.date, ''), 1, 7)"),
    ):
        out.append(
            _money_upsert(
                target,
                ("consumed_fen",),
                f"SELECT {expr} AS p, {key}, {sign}SUM(a.amount_fen) FROM attendance AS a "
                f"LEFT JOIN lesson_session AS s ON s.id = a.session_id "
                f"WHERE a.contract_id = {row}.id AND a.charged AND a.amount_fen <> 0 GROUP BY p",
            )
        )
    return out


def _session_money(session_id: str, day: str, sign: str) -> list[str]:
    """The charged fen of one session's attendance, per contract course/class, on ``day``."""
    out: list[str] = []
    for target, expr in (("money_day", day), ("money_month", f"substr({day}, 1, 7)")):
        out.append(
            _money_upsert(
                target,
                ("consumed_fen",),
                f"SELECT {expr}, c.course_id, COALESCE(c.klass_id, '') AS k, {sign}SUM(a.amount_fen) "
                f"FROM attendance AS a JOIN contract AS c ON c.id = a.contract_id "
                f"WHERE a.session_id = {session_id} AND a.charged AND a.amount_fen <> 0 "
                f"GROUP BY c.course_id, k",
            )
        )
    return out


def _trigger(name: str, timing: str, table: str, when: str | None, body: list[str]) -> str:
    cond = f"\nWHEN {when}" if when else ""
    steps = "\n  ".join(body)
    return f"CREATE TRIGGER {TRIGGER_PREFIX}{name} {timing} ON {table}{cond}\nBEGIN\n  {steps}\nEND"


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _tally_inputs(cols: tuple[str, ...]) -> tuple[str, ...]:
    """The attendance columns a tally row reads (the id too once it counts the row's entitlements)."""
    base = ("status", "charged", "units_x100", "amount_fen")
    return (*base, "id") if "leaves" in cols else base


_DROP_EMPTY_TALLY = "DELETE FROM session_tally WHERE session_id = OLD.session_id AND n_rows = 0;"


def _entitlement_leave(row: str, sign: str) -> str:
    """One make-up entitlement's right (and use), on its leave's session (nothing without a leave row)."""
    counts = ", ".join(f"{sign}({row}.status {cond.format(row=row)})" for cond in _RIGHTS.values())
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in _RIGHTS)
    return (
        f"INSERT INTO session_tally (session_id, {', '.join(_RIGHTS)}) SELECT a.session_id, {counts} "
        f"FROM attendance AS a WHERE a.id = {row}.source_attendance_id AND a.status = 'leave' "
        f"ON CONFLICT (session_id) DO UPDATE SET {sets};"
    )


def _entitlement_triggers() -> dict[str, str]:
    t: dict[str, str] = {}
    t["makeup_entitlement_ins"] = _trigger(
        "makeup_entitlement_ins", "AFTER INSERT", "makeup_entitlement", None, [_entitlement_leave("NEW", "")]
    )
    t["makeup_entitlement_upd"] = _trigger(
        "makeup_entitlement_upd",
        "AFTER UPDATE",
        "makeup_entitlement",
        _changed(("status", "source_attendance_id", "used_attendance_id")),
        [_entitlement_leave("OLD", "-"), _entitlement_leave("NEW", "")],
    )
    t["makeup_entitlement_del"] = _trigger(
        "makeup_entitlement_del", "AFTER DELETE", "makeup_entitlement", None, [_entitlement_leave("OLD", "-")]
    )
    return t


def generate_triggers(cols: tuple[str, ...] = _TALLY) -> dict[str, str]:
    """The CREATE TRIGGER statements (by name) that keep the summaries exact (``cols``: the tally's
    columns, ``TALLY_0004`` for the schema before migration 0015)."""
    t: dict[str, str] = {}
    t["attendance_ins"] = _trigger(
        "attendance_ins",
        "AFTER INSERT",
        "attendance",
        None,
        [_tally_upsert("NEW", "", cols), *_attendance_money("NEW", "")],
    )
    # A re-mark or undo in place (the common update): one delta upsert; money only when money changed.
    same = "OLD.session_id IS NEW.session_id"
    t["attendance_upd_tally"] = _trigger(
        "attendance_upd_tally",
        "AFTER UPDATE",
        "attendance",
        f"{same} AND ({_changed(_tally_inputs(cols))})",
        [_tally_delta(cols)],
    )
    t["attendance_upd_moved"] = _trigger(
        "attendance_upd_moved",
        "AFTER UPDATE",
        "attendance",
        f"NOT ({same})",
        [_tally_upsert("OLD", "-", cols), _tally_upsert("NEW", "", cols), _DROP_EMPTY_TALLY],
    )
    t["attendance_upd_money"] = _trigger(
        "attendance_upd_money",
        "AFTER UPDATE",
        "attendance",
        _changed(("session_id", "charged", "amount_fen", "contract_id")),
        [*_attendance_money("OLD", "-"), *_attendance_money("NEW", "")],
    )
    t["attendance_del"] = _trigger(
        "attendance_del",
        "AFTER DELETE",
        "attendance",
        None,
        [_tally_upsert("OLD", "-", cols), _DROP_EMPTY_TALLY, *_attendance_money("OLD", "-")],
    )
    for table, at in (("payment", "paid_at"), ("refund", "created_at")):
        t[f"{table}_ins"] = _trigger(
            f"{table}_ins", "AFTER INSERT", table, None, _cash_money(table, "NEW", "")
        )
        t[f"{table}_upd"] = _trigger(
            f"{table}_upd",
            "AFTER UPDATE",
            table,
            _changed(("contract_id", "amount_fen", at)),
            [*_cash_money(table, "OLD", "-"), *_cash_money(table, "NEW", "")],
        )
        t[f"{table}_del"] = _trigger(
            f"{table}_del", "AFTER DELETE", table, None, _cash_money(table, "OLD", "-")
        )
    t["contract_ins"] = _trigger("contract_ins", "AFTER INSERT", "contract", None, _contract_money("NEW", ""))
    t["contract_upd"] = _trigger(
        "contract_upd",
        "AFTER UPDATE",
        "contract",
        _changed(("id", "course_id", "klass_id")),
        [*_contract_money("OLD", "-"), *_contract_money("NEW", "")],
    )
    t["contract_del"] = _trigger(
        "contract_del", "AFTER DELETE", "contract", None, _contract_money("OLD", "-")
    )
    t["lesson_session_ins"] = _trigger(
        "lesson_session_ins",
        "AFTER INSERT",
        "lesson_session",
        None,
        [*_session_money("NEW.id", "''", "-"), *_session_money("NEW.id", "NEW.date", "")],
    )
    t["lesson_session_upd"] = _trigger(
        "lesson_session_upd",
        "AFTER UPDATE",
        "lesson_session",
        _changed(("id", "date")),
        [*_session_money("OLD.id", "OLD.date", "-"), *_session_money("NEW.id", "NEW.date", "")],
    )
    t["lesson_session_del"] = _trigger(
        "lesson_session_del",
        "AFTER DELETE",
        "lesson_session",
        None,
        [*_session_money("OLD.id", "OLD.date", "-"), *_session_money("OLD.id", "''", "")],
    )
    if "leaves" in cols:
        t.update(_entitlement_triggers())
    return {f"{TRIGGER_PREFIX}{k}": v for k, v in t.items()}


def installed_triggers(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB :p"),
        {"p": f"{TRIGGER_PREFIX}*"},
    )
    return {str(name): str(sql) for name, sql in rows}


def install(conn: Connection, cols: tuple[str, ...] = _TALLY) -> None:
    """(Re)create the summary triggers (drops the installed ones first)."""
    for name in installed_triggers(conn):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for sql in generate_triggers(cols).values():
        conn.exec_driver_sql(sql)


def uninstall(conn: Connection) -> None:
    """Drop the summary triggers (bulk loads: then ``install`` + ``rebuild``)."""
    for name in installed_triggers(conn):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


# --- recomputation from the source rows --------------------------------------------------------------


def _recompute_tally(cols: tuple[str, ...] = _TALLY) -> str:
    leaves = "".join(f", SUM({_leave_rights('attendance', c)})" for c in _RIGHTS if c in cols)
    return f"""
SELECT session_id, COUNT(*), SUM(status {_EXPECTED}), SUM(status {_ATTENDED}),
       SUM(CASE WHEN charged THEN COALESCE(units_x100, 0) ELSE 0 END),
       SUM(CASE WHEN charged THEN COALESCE(amount_fen, 0) ELSE 0 END){leaves}
FROM attendance GROUP BY session_id
"""


_MONEY_SOURCE = """
SELECT COALESCE(date(p.paid_at, '+8 hours'), '') AS day, c.course_id AS course_id,
       COALESCE(c.klass_id, '') AS klass_id, 1 AS paid_n, p.amount_fen AS paid_fen,
       0 AS refund_n, 0 AS refund_fen, 0 AS consumed_fen
FROM payment AS p JOIN contract AS c ON c.id = p.contract_id
UNION ALL
SELECT COALESCE(date(r.created_at, '+8 hours'), ''), c.course_id, COALESCE(c.klass_id, ''),
       0, 0, 1, r.amount_fen, 0
FROM refund AS r JOIN contract AS c ON c.id = r.contract_id
UNION ALL
SELECT COALESCE(s.date, ''), c.course_id, COALESCE(c.klass_id, ''), 0, 0, 0, 0, a.amount_fen
FROM attendance AS a JOIN contract AS c ON c.id = a.contract_id
LEFT JOIN lesson_session AS s ON s.id = a.session_id
WHERE a.charged AND a.amount_fen <> 0
"""

_NONZERO = " OR ".join(f"SUM({c}) <> 0" for c in _MONEY)


def _recompute_money(period: str) -> str:
    key = "day" if period == "day" else "substr(day, 1, 7)"
    sums = ", ".join(f"SUM({c})" for c in _MONEY)
    return (
        f"SELECT {key} AS period, course_id, klass_id, {sums} FROM ({_MONEY_SOURCE}) "
        f"GROUP BY period, course_id, klass_id HAVING {_NONZERO}"
    )


def rebuild(conn: Connection, cols: tuple[str, ...] = _TALLY) -> None:
    """Recompute every summary from the source rows (after a bulk load, or to repair)."""
    for table in TABLES:
        conn.exec_driver_sql(f"DELETE FROM {table}")
    conn.exec_driver_sql(
        f"INSERT INTO session_tally (session_id, {', '.join(cols)}) {_recompute_tally(cols)}"
    )
    for period in ("day", "month"):
        conn.exec_driver_sql(
            f"INSERT INTO money_{period} ({period}, course_id, klass_id, {', '.join(_MONEY)}) "
            f"{_recompute_money(period)}"
        )


@dataclass(frozen=True, slots=True)
class SummaryMismatch:
    """A summary row that differs from the recomputation: ``key`` and both values (None: no such row)."""

    table: str
    key: tuple[str, ...]
    stored: tuple[int, ...] | None
    expected: tuple[int, ...] | None


def _rows(conn: Connection, sql: str, width: int) -> dict[tuple[str, ...], tuple[int, ...]]:
    out: dict[tuple[str, ...], tuple[int, ...]] = {}
    for row in conn.exec_driver_sql(sql):
        values = tuple(int(v or 0) for v in row[width:])
        if any(values):
            out[tuple(str(k) for k in row[:width])] = values
    return out


def _stored(table: str) -> str:
    if table == "session_tally":
        return f"SELECT session_id, {', '.join(_TALLY)} FROM session_tally"
    period = "day" if table == "money_day" else "month"
    return f"SELECT {period}, course_id, klass_id, {', '.join(_MONEY)} FROM {table}"


def verify(conn: Connection, limit: int = 50) -> list[SummaryMismatch]:
    """Summary rows that differ from a recomputation from the source rows (all-zero rows count as absent)."""
    found: list[SummaryMismatch] = []
    for table, sql, width in (
        ("session_tally", _recompute_tally(), 1),
        ("money_day", _recompute_money("day"), 3),
        ("money_month", _recompute_money("month"), 3),
    ):
        want, have = _rows(conn, sql, width), _rows(conn, _stored(table), width)
        for key in sorted(want.keys() | have.keys()):
            if want.get(key) != have.get(key):
                found.append(SummaryMismatch(table, key, have.get(key), want.get(key)))
                if len(found) >= limit:
                    return found
    return found
