"""The daily backup while the app runs: checked shortly after start-up and then every hour, made on the
database worker (``Op``), never on the GUI thread. Rotation keeps 7 daily and 4 weekly backups
(``app/backup.py``)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer

from app.backup import BackupFile, backup_if_due
from ui import messages
from ui.context import AppContext
from ui.ops import Op

log = logging.getLogger("ui.backup")
FIRST_CHECK_MS = 60_000
CHECK_EVERY_MS = 3_600_000


def _utcnow() -> datetime:
    return datetime.now(UTC)


class BackupSchedule(QObject):
    """``start()`` once the database is open; ``check()`` runs one round (tests call it directly)."""

    def __init__(self, ctx: AppContext, now: Callable[[], datetime] = _utcnow) -> None:
        super().__init__()
        self.ctx = ctx
        self.now = now
        self.last_made: BackupFile | None = None
        self._running = False
        self._warned = False  # one message per run of the app, not one an hour
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        QTimer.singleShot(FIRST_CHECK_MS, self.check)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> Future[BackupFile | None] | None:
        if self._running or self.ctx.db.closed:
            return None
        self._running = True
        db, moment = self.ctx.db, self.now()
        op = Op(lambda: backup_if_due(db, moment)).success(self._done).failure(self._failed)
        return op.run()

    def _done(self, made: BackupFile | None) -> None:
        self._running = False
        if made is not None:
            self.last_made = made
            log.info("scheduled backup written: %s", made.path)

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        log.warning("scheduled backup failed: %s", exc)
        if not self._warned:
            self._warned = True
            messages.show_exception(exc)
