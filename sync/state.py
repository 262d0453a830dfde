"""The sync engine's own key/value state in ``sync_state`` (server, institution, device, cursor, seqs).

Every value that must survive a crash together with the data it describes is written in the same
transaction as that data (the pull cursor with its page, ``next_seq`` with the seq assignments).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

SERVER_URL = "server_url"
USCC = "uscc"
DEVICE_ID = "device_id"
DEVICE_NAME = "device_name"
CURSOR = "pull_cursor"
#: ``entity_id:version`` of the change at the cursor (sent with it: a restored platform is noticed)
CURSOR_CHECK = "pull_cursor_check"
NEXT_SEQ = "next_seq"
LAST_SUCCESS = "last_success"
LAST_ERROR = "last_error"
SCHEMA_VERSION = "server_schema_version"
DESK_KEY = "keyring_desk_key"
#: the platform's data generation (``/v1/meta`` ``epoch``) as of this desk's last comparison with it
EPOCH = "platform_epoch"
#: set: the next cycle compares this desk's rows with the platform's and re-sends what it lacks
RESEND = "resend_requested"
#: the highest server seq the platform acknowledged for this device (a seq gap below it means loss)
ACKED_SEQ = "acked_seq"


def get(conn: Connection, key: str) -> str | None:
    value = conn.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": key}).scalar()
    return None if value is None else str(value)


def get_int(conn: Connection, key: str, default: int = 0) -> int:
    value = get(conn, key)
    return default if value is None else int(value)


def put(conn: Connection, key: str, value: str | int | None) -> None:
    conn.execute(
        text(
            "INSERT INTO sync_state (key, value) VALUES (:k, :v)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": None if value is None else str(value)},
    )


def get_many(conn: Connection) -> dict[str, str | None]:
    return {
        str(k): (None if v is None else str(v))
        for k, v in conn.execute(text("SELECT key, value FROM sync_state"))
    }
