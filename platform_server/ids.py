"""Ids of the rows the platform creates itself (confirmations, escrow entries, parent orders).

Time-ordered (UUIDv7), not random: a push batch creates hundreds of these, and keys that grow with time
land on the right edge of their indexes (``consumption_confirmation``, ``escrow_entry``, ``entity_row``)
instead of dirtying a random index page each, which SQLite would write to its WAL page by page.
"""

from __future__ import annotations

import uuid6


def new_row_id() -> str:
    return str(uuid6.uuid7())
