"""A desk restored from a backup: line its op numbering up with the platform before pushing again.

The restored outbox holds the ops that were pending when the backup was taken, some of which the platform
has since applied, and ``next_seq`` is what it was then; the platform has meanwhile taken later seqs of
this device from ops that the restore threw away. Sent as they are, ops would carry seqs the platform
already used for other op ids and be rejected (``seq already used by another op_id``): lost changes.
So the first sync after a restore asks the platform for the device's last seq (an empty push answers
with it), drops every seq assignment and numbers the outbox from the seq after it. Ops the platform
already has are answered ``duplicate`` by op id whatever their new seq; the others apply. The pull then
brings back what the desk synced after the backup (its cursor is the backup's). See docs/backup.md.
"""

from __future__ import annotations

import logging

from app.backup import RESTORED_AT_KEY
from app.db import Database, get_setting, put_setting
from sync import state
from sync.client import ApiClient

log = logging.getLogger("sync.restored")


def realign_after_restore(db: Database, client: ApiClient, device_id: str) -> int | None:
    """If ``db`` was restored since its last sync: renumber the outbox after the platform's last seq of
    ``device_id`` and clear the mark; returns that seq (None: not restored, nothing done)."""
    with db.reading() as session:
        if not get_setting(session, RESTORED_AT_KEY):
            return None
    last_seq = int(client.push(device_id, [])["last_seq"])
    with db.transaction() as session:
        conn = session.connection()
        conn.exec_driver_sql("DELETE FROM sync_outbox_seq")
        conn.exec_driver_sql("UPDATE sync_outbox SET state = 'pending' WHERE state = 'sending'")
        state.put(conn, state.NEXT_SEQ, last_seq + 1)
        put_setting(session, RESTORED_AT_KEY, None)
    log.warning("restored database: outbox renumbered after the platform's seq %s", last_seq)
    return last_seq
