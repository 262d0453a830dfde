"""Pull the change feed: each page and its cursor in one local transaction, capture suspended.

A crash between pages loses nothing (the next pull starts at the stored cursor) and a crash inside a
page loses the whole page and its cursor together, so the cursor is never ahead of the applied data.
A reply that does not validate is refused before the transaction starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.db import Database
from localdb.capture import capture_suspended
from sync import state
from sync.apply import Applier, ApplyResult, Incoming
from sync.client import ApiClient, field
from sync.errors import BadReply
from sync.wire import ChangesPage

PAGE = 5000
OPS = frozenset({"insert", "update", "delete"})


@dataclass
class PullResult:
    pages: int = 0
    changes: int = 0
    applied: int = 0
    skipped: int = 0
    inbox: int = 0
    problems: int = 0

    def add(self, page: ApplyResult, count: int) -> None:
        self.pages += 1
        self.changes += count
        self.applied += page.applied
        self.skipped += page.skipped
        self.inbox += page.inbox
        self.problems += page.problems


def parse_change(item: Any) -> Incoming:
    """A feed entry as an ``Incoming`` row; ``BadReply`` when a field is missing or mistyped."""
    op = field(item, "op", str)
    if op not in OPS:
        raise BadReply("op")
    payload = item.get("payload") if isinstance(item, dict) else None
    if not isinstance(payload, dict):
        raise BadReply("payload")
    field(item, "server_seq", int)
    return Incoming(
        field(item, "entity", str),
        field(item, "entity_id", str),
        field(item, "version", int),
        op == "delete",
        payload,
    )


def cursor_check(rows: list[Incoming], previous: str | None) -> str | None:
    """What identifies the change at the new cursor: the page's last change (or the old one's)."""
    return f"{rows[-1].entity_id}:{rows[-1].version}" if rows else previous


def parse_page(body: ChangesPage, cursor: int) -> tuple[list[Incoming], int, bool]:
    changes = body["changes"]
    rows = [parse_change(c) for c in changes]
    next_cursor, has_more = int(body["next_cursor"]), bool(body["has_more"])
    if next_cursor < cursor or (has_more and not rows):
        raise BadReply("next_cursor")
    if rows and next_cursor != max(int(c["server_seq"]) for c in changes):
        raise BadReply("next_cursor")
    return rows, next_cursor, has_more


class Puller:
    """Pages through ``/v1/sync/changes`` from the stored cursor until ``has_more`` is false."""

    def __init__(
        self,
        db: Database,
        client: ApiClient,
        *,
        limit: int = PAGE,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.limit = limit
        self.progress = progress
        self.result = PullResult()

    def run(self) -> PullResult:
        with self.db.reading() as session:
            cursor = state.get_int(session.connection(), state.CURSOR)
            check = state.get(session.connection(), state.CURSOR_CHECK)
        while True:
            body = self.client.changes(cursor, self.limit, check)
            rows, next_cursor, has_more = parse_page(body, cursor)
            check = cursor_check(rows, check)
            with self.db.transaction() as session:
                conn = session.connection()
                with capture_suspended(conn):
                    applied = Applier(conn).apply(rows)
                    state.put(conn, state.CURSOR, next_cursor)
                    state.put(conn, state.CURSOR_CHECK, check)
            self.result.add(applied, len(rows))
            cursor = next_cursor
            if self.progress is not None:
                self.progress(self.result.changes)
            if not has_more:
                return self.result
