"""The snapshot swap, fed by a scripted client: the fast path of a new desk, its fallbacks and the invariants
it must keep (pending rows, the outbox, problems, one transaction, schema as it was)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from sqlalchemy import Connection

from app.db import Database
from localdb import capture, summaries
from localdb.capture import capture_suspended
from localdb.ids import new_id
from localdb.models import metadata
from localdb.schema import SYNCED_TABLES
from sync import snapshot, state
from sync.apply import Applier
from sync.client import ApiClient
from sync.errors import BadReply
from sync.mapping import to_wire
from sync.snapshot import SnapshotLoader, SnapshotResult
from tests.localdb.rows import Ctx, seed
from tests.sync.helpers import add_row, counts, outbox, problems, rows, scalar

AS_OF = 77


class ScriptedClient:
    """Serves ``items`` as ``/v1/sync/snapshot`` pages of ``page`` rows (keyset on ``row_id``)."""

    def __init__(self, items: list[dict[str, Any]], page: int = 4) -> None:
        self.items = [{"row_id": n, **item} for n, item in enumerate(items, start=1)]
        self.page = page

    def snapshot(self, cursor: int, limit: int) -> dict[str, Any]:
        after = [item for item in self.items if item["row_id"] > cursor]
        rows = after[: min(limit, self.page)]
        next_cursor = rows[-1]["row_id"] if rows else cursor
        return {
            "rows": rows,
            "next_cursor": next_cursor,
            "has_more": len(after) > len(rows),
            "as_of_seq": AS_OF,
        }


def item(
    entity: str, entity_id: str, payload: dict[str, Any], version: int = 1, deleted: bool = False
) -> dict[str, Any]:
    return {
        "entity": entity,
        "entity_id": entity_id,
        "version": version,
        "deleted": deleted,
        "payload": payload,
    }


def wire_rows(db: Database) -> list[dict[str, Any]]:
    """Every synced row of ``db`` as the server would send it (parents' tables first, as stored)."""
    out = []
    with db.reading() as session:
        conn = session.connection()
        for table in SYNCED_TABLES:
            result = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY rowid")
            for row in result.mappings():
                out.append(item(table, str(row["id"]), to_wire(table, dict(row))))
    return out


def source(make_db: Callable[[str], Database], students: int = 3) -> tuple[Database, Ctx]:
    """A desk holding one row of every synced table, a few more students and their attendance."""
    db = make_db("source")
    with db.transaction() as session:
        ctx = seed(session.connection())
    for _ in range(students):
        student = add_row(db, "student", ctx)
        add_row(db, "attendance", {**ctx, "attendance_student": student}, student_id=student)
    return db, ctx


def confirmation(attendance_id: str, version: int = 1) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": f"cc-{attendance_id}", "attendance_id": attendance_id}
    payload |= {"status": "pending", "amount_fen": 22500, "deadline": "2026-03-20"}
    return item("consumption_confirmation", payload["id"], payload, version)


def load(db: Database, items: list[dict[str, Any]], page: int = 4) -> SnapshotResult:
    return SnapshotLoader(db, cast(ApiClient, ScriptedClient(items, page))).run()


def schema(db: Database) -> dict[str, str]:
    """Every index and trigger of ``db`` with its SQL."""
    with db.reading() as session:
        found = session.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        )
        return {str(name): str(sql) for name, sql in found}


@pytest.fixture
def fresh(make_db: Callable[[str], Database]) -> Iterator[Database]:
    """A new desk: the migrated schema, no rows (the capture triggers put nothing in its outbox)."""
    yield make_db("fresh")


def test_a_new_desk_gets_every_row_and_keeps_its_schema(
    make_db: Callable[[str], Database], fresh: Database
) -> None:
    src, _ = source(make_db)
    items = wire_rows(src)
    attendance = [i["entity_id"] for i in items if i["entity"] == "attendance"]
    items += [confirmation(a) for a in attendance]
    before = schema(fresh)
    result = load(fresh, items)
    assert (result.rows, result.applied, result.problems, result.as_of_seq) == (
        len(items),
        len(items),
        0,
        AS_OF,
    )
    for table in SYNCED_TABLES:
        assert rows(fresh, table) == rows(src, table), table
    assert scalar(fresh, "SELECT count(*) FROM platform_inbox") == len(attendance)
    assert scalar(fresh, "SELECT max(version) FROM student") == 1
    assert schema(fresh) == before  # indexes rebuilt, capture and summary triggers back
    assert outbox(fresh) == 0 and problems(fresh) == []
    with fresh.reading() as session:
        conn = session.connection()
        assert state.get(conn, state.CURSOR) == str(AS_OF)
        assert summaries.verify(conn) == []
        assert [r[1] for r in conn.exec_driver_sql("PRAGMA database_list")] == ["main"]  # staging detached


def test_a_new_desk_takes_the_fast_path(
    make_db: Callable[[str], Database], fresh: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, _ = source(make_db)
    applied: list[str] = []
    monkeypatch.setattr(Applier, "apply", lambda self, rows: applied.extend(r.entity for r in rows))
    load(fresh, wire_rows(src))
    assert applied == []
    assert counts(fresh) == counts(src)


def test_bad_rows_of_a_new_desk_become_problems_and_the_rest_is_applied(
    make_db: Callable[[str], Database], fresh: Database
) -> None:
    src, ctx = source(make_db)
    good = wire_rows(src)
    template = next(i for i in good if i["entity"] == "attendance")["payload"]
    orphan = {**template, "id": new_id(), "student_id": new_id()}  # unknown parent: refused by the database
    nameless = {**next(i for i in good if i["entity"] == "student")["payload"], "id": new_id(), "name": None}
    partial = {"id": new_id(), "status": "present"}  # an insert lacking required columns
    bad_units = {**template, "id": new_id(), "units": "1.234"}  # cannot be mapped
    bad_inbox = {"id": "cc-bad", "amount_fen": "many"}
    huge = {**template, "id": new_id(), "amount_fen": 2**64 - 1}  # JSON gives it, SQLite cannot hold it
    huge_inbox = {"id": "cc-huge", "amount_fen": 2**64 - 1}
    bad = [
        item("attendance", huge["id"], huge),
        item("consumption_confirmation", "cc-huge", huge_inbox),
        item("attendance", orphan["id"], orphan),
        item("student", nameless["id"], nameless),
        item("attendance", partial["id"], partial),
        item("attendance", bad_units["id"], bad_units),
        item("consumption_confirmation", "cc-bad", bad_inbox),
    ]
    result = load(fresh, good + bad)
    assert sorted(p[1] for p in problems(fresh)) == sorted(i["entity_id"] for i in bad)
    assert result.problems == len(bad) and result.applied == len(good)
    for table in SYNCED_TABLES:
        assert rows(fresh, table) == rows(src, table), table
    reasons = {p[1]: p[3] for p in problems(fresh)}
    assert "缺少字段" in reasons[partial["id"]] and "必填字段为空" in reasons[nameless["id"]]
    assert "FOREIGN KEY" in reasons[orphan["id"]]
    server_row = scalar(fresh, f"SELECT server_row FROM sync_problem WHERE entity_id = '{orphan['id']}'")
    assert orphan["student_id"] in server_row


def test_platform_rows_that_need_the_desk_are_mapped_in_the_swap(
    make_db: Callable[[str], Database], fresh: Database
) -> None:
    src, ctx = source(make_db)
    items = wire_rows(src)
    contract = next(i for i in items if i["entity"] == "contract")
    del contract["payload"]["service_category"]  # a platform order: derived from its course
    ledger = next(i for i in items if i["entity"] == "ledger_entry")
    del ledger["payload"]["course_id"]  # derived from its contract
    result = load(fresh, items)
    assert result.problems == 0
    course = rows(src, "course")[ctx["course"]]
    columns = [c.name for c in metadata.tables["course"].columns if c.name not in ("version", "created_at")]
    category, delivery = course[columns.index("category")], course[columns.index("delivery")]
    assert scalar(fresh, "SELECT service_category FROM contract") == f"{delivery}_{category}"
    assert scalar(fresh, "SELECT course_id FROM ledger_entry") == ctx["course"]


def test_a_desk_with_rows_keeps_its_pending_work_and_loses_what_the_server_lacks(
    make_db: Callable[[str], Database],
) -> None:
    src, _ = source(make_db)
    items = wire_rows(src)
    desk = make_db("desk")
    load(desk, items)  # the desk has everything, synced
    student_item = next(i for i in items if i["entity"] == "student")
    with desk.transaction() as session:  # a pending offline edit of a row the server also sends
        session.connection().exec_driver_sql(
            "UPDATE student SET name = '离线改名' WHERE id = ?", (student_item["entity_id"],)
        )
    with desk.transaction() as session, capture_suspended(session.connection()):
        session.connection().exec_driver_sql(  # synced earlier, since deleted on the server
            "INSERT INTO room (id, campus_id, name, capacity, version) SELECT ?, campus_id, '旧教室', 10, 1"
            " FROM room LIMIT 1",
            (gone := new_id(),),
        )
    ctx = {t: next(i["entity_id"] for i in items if i["entity"] == t) for t in SYNCED_TABLES}
    offline = add_row(desk, "student", ctx)  # pending insert the server has not seen
    pending = outbox(desk)
    changed = {**student_item, "version": 2, "payload": {**student_item["payload"], "name": "服务器名"}}
    newer = [changed if i is student_item else i for i in items]
    result = load(desk, newer)
    assert result.problems == 0 and result.removed == 1
    assert scalar(desk, f"SELECT name FROM student WHERE id = '{student_item['entity_id']}'") == "离线改名"
    assert scalar(desk, f"SELECT count(*) FROM student WHERE id = '{offline}'") == 1
    assert scalar(desk, f"SELECT count(*) FROM room WHERE id = '{gone}'") == 0
    assert outbox(desk) == pending
    assert counts(desk)["attendance"] == counts(src)["attendance"]


def test_an_empty_table_with_pending_ops_is_not_taken_as_fresh(make_db: Callable[[str], Database]) -> None:
    src, _ = source(make_db)
    items = wire_rows(src)
    desk = make_db("desk")
    load(desk, items)
    with desk.transaction() as session:  # deleted offline, the op not pushed yet: the table is empty
        session.connection().exec_driver_sql("DELETE FROM makeup_entitlement")
    with desk.reading() as session:
        assert "makeup_entitlement" not in snapshot.fresh_tables(session.connection())
    result = load(desk, items)
    assert result.problems == 0
    assert scalar(desk, "SELECT count(*) FROM makeup_entitlement") == 0
    assert outbox(desk) == 1


def test_a_failed_swap_leaves_the_desk_as_it_was(
    make_db: Callable[[str], Database], fresh: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, _ = source(make_db)
    items = wire_rows(src)
    before = schema(fresh)

    def broken(conn: Connection) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(summaries, "rebuild", broken)
    with pytest.raises(RuntimeError):
        load(fresh, items)
    assert sum(counts(fresh).values()) == 0
    assert schema(fresh) == before
    with fresh.reading() as session:
        assert capture.capture_enabled(session.connection())
    monkeypatch.undo()
    assert load(fresh, items).applied == len(items)  # the staging file was detached: the next one works
    assert counts(fresh) == counts(src)


def test_a_platform_row_sent_twice_keeps_its_newest_version(fresh: Database) -> None:
    items = [confirmation("a-1", version=2), confirmation("a-2"), confirmation("a-1", version=1)]
    result = load(fresh, items, page=2)
    assert result.problems == 0
    assert scalar(fresh, "SELECT count(*) FROM platform_inbox") == 2
    assert scalar(fresh, "SELECT version FROM platform_inbox WHERE entity_id = 'cc-a-1'") == 2


def test_a_malformed_page_is_a_bad_reply_and_changes_nothing(
    make_db: Callable[[str], Database], fresh: Database
) -> None:
    src, _ = source(make_db)
    items = wire_rows(src)
    del items[-1]["entity_id"]
    with pytest.raises(BadReply):
        load(fresh, items)
    assert sum(counts(fresh).values()) == 0


def test_big_batches_split_where_the_database_refuses_a_row(
    make_db: Callable[[str], Database], fresh: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "BATCH", 2)
    src, _ = source(make_db, students=5)
    items = wire_rows(src)
    template = next(i for i in items if i["entity"] == "attendance")["payload"]
    orphan = {**template, "id": new_id(), "session_id": new_id()}
    result = load(fresh, items + [item("attendance", orphan["id"], orphan)], page=3)
    assert [p[1] for p in problems(fresh)] == [orphan["id"]]
    assert result.applied == len(items)
    assert rows(fresh, "attendance") == rows(src, "attendance")
