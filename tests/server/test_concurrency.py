"""Concurrent pushes from several desks while a reader polls: the reader never skips a change."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from tests.server.conftest import LiveServer, Tenant
from tests.server.helpers import Device, nodelay_transport

WRITERS, BATCHES, BATCH = 4, 15, 40


def _concurrent_run(server: LiveServer, tenant: Tenant, make_device: Callable[[Tenant], Device]) -> None:
    devices = [make_device(tenant) for _ in range(WRITERS)]
    total = WRITERS * BATCHES * BATCH
    done = threading.Event()
    errors: list[BaseException] = []
    seen: list[int] = []
    reader = make_device(tenant)

    def write(dev: Device) -> None:
        with httpx.Client(base_url=server.base_url, timeout=60, transport=nodelay_transport()) as own:
            dev.client = own
            try:
                for _ in range(BATCHES):
                    dev.push([dev.op("attendance", payload={"status": "present"}) for _ in range(BATCH)])
            except BaseException as exc:  # surfaced in the main thread
                errors.append(exc)

    def read() -> None:
        with httpx.Client(base_url=server.base_url, timeout=60, transport=nodelay_transport()) as own:
            reader.client = own
            cursor = 0
            while True:
                finished = done.is_set()  # read the flag before the page: a last full pass follows it
                page = reader.changes(cursor, limit=97)
                seen.extend(c["server_seq"] for c in page["changes"])
                cursor = page["next_cursor"]
                if finished and not page["has_more"]:
                    return

    threads = [threading.Thread(target=write, args=(d,)) for d in devices]
    poller = threading.Thread(target=read)
    poller.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    poller.join(120)
    assert not errors, errors
    assert seen == list(range(1, total + 1))  # every change, in order, none skipped, none twice


def test_reader_sees_every_change_under_concurrent_pushes(
    server: LiveServer, tenant: Tenant, make_device: Callable[[Tenant], Device]
) -> None:
    """Runs on both backends; the PostgreSQL run (``postgres``) is the one that matters (docs/sync.md)."""
    _concurrent_run(server, tenant, make_device)
