"""A desk process for the crash test: writes rows and syncs in a loop until it is killed (SIGKILL).

    python -m tests.sync.crash_child DB_PATH SERVER_URL KEYRING_FILE [SEED]

The refresh token lives in a file keyring (test-only) so it survives the process, as the OS keyring does.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import keyring

from app.db import Database
from sync.engine import SyncEngine
from sync.errors import SyncError
from tests.sync.file_keyring import FileKeyring
from tests.sync.helpers import add_row
from tests.sync.server import PASSWORD, USCC


def context(db: Database) -> dict[str, str]:
    """Parents the new rows hang on (seeded by the test before the first child starts)."""
    ctx: dict[str, str] = {}
    with db.reading() as session:
        conn = session.connection()
        for table in ("course", "klass", "staff", "contract", "student"):
            ctx[table] = str(conn.exec_driver_sql(f"SELECT id FROM {table} ORDER BY id LIMIT 1").scalar())
    return ctx


def main(argv: list[str]) -> int:
    db_path, url, keyring_file = argv[0], argv[1], argv[2]
    rng = random.Random(int(argv[3]) if len(argv) > 3 else None)
    keyring.set_keyring(FileKeyring(Path(keyring_file)))
    db = Database.open(db_path, migrate=False)
    engine = SyncEngine(db, url, page_limit=50, batch=20)
    ctx = context(db)
    print("ready", flush=True)  # the test starts its random countdown only now: start-up is not the test
    while True:
        for _ in range(rng.randint(1, 8)):
            student = add_row(db, "student", ctx)
            session = add_row(db, "lesson_session", ctx)
            add_row(db, "attendance", {**ctx, "lesson_session": session, "attendance_student": student})
            add_row(db, "payment", {**ctx, "student": student})
        try:
            engine.sync_once()
        except SyncError as exc:
            if exc.code == "sync.login_required":  # killed mid-refresh: the user logs in again
                engine.login(USCC, PASSWORD, "crash-desk")
        print("cycle", flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
