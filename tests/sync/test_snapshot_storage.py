"""The snapshot's swap uses ``app.db``'s write primitive: a storage failure anywhere in it — the ATTACH
on the driver connection, the staging file, the write lock — is the same coded ``StorageError`` as
elsewhere (the swap used to let the driver's own errors through), and the desk keeps what it had."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.db import Database
from app.errors import StorageError
from tests.storage_faults import CANNOT_OPEN, DISK_FULL, failing, write_lock_held
from tests.sync.helpers import add_row, counts, outbox
from tests.sync.test_snapshot import load, source, wire_rows


def _desk_with_work(make_db: Callable[[str], Database]) -> tuple[Database, list[dict[str, Any]]]:
    """A desk synced once, with an offline student not pushed yet."""
    src, _ = source(make_db)
    items = wire_rows(src)
    desk = make_db("desk")
    load(desk, items)
    ctx = {i["entity"]: i["entity_id"] for i in items}
    add_row(desk, "student", ctx)
    return desk, items


@pytest.mark.parametrize(
    ("fragment", "message", "code"),
    [
        ("ATTACH DATABASE", CANNOT_OPEN, "storage.cannot_open"),  # the staging file vanished
        ("INSERT INTO st_", DISK_FULL, "storage.full"),  # the temporary disk filled up
    ],
)
def test_a_storage_failure_of_the_snapshot_is_a_coded_error_and_the_desk_keeps_its_rows(
    make_db: Callable[[str], Database],
    monkeypatch: pytest.MonkeyPatch,
    fragment: str,
    message: str,
    code: str,
) -> None:
    desk, items = _desk_with_work(make_db)
    rows, pending = counts(desk), outbox(desk)
    with failing(monkeypatch, desk, fragment, message), pytest.raises(StorageError) as err:
        load(desk, items)
    assert err.value.code == code
    assert counts(desk) == rows and outbox(desk) == pending
    assert load(desk, items).problems == 0  # the next snapshot works
    assert outbox(desk) == pending


def test_a_locked_file_refuses_the_swap_with_the_same_code(make_db: Callable[[str], Database]) -> None:
    desk, items = _desk_with_work(make_db)
    rows, pending = counts(desk), outbox(desk)
    with write_lock_held(desk), pytest.raises(StorageError) as err:
        load(desk, items)
    assert err.value.code == "storage.locked"
    assert counts(desk) == rows and outbox(desk) == pending
