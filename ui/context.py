"""The one object every panel and dialog receives: database, signed-in actor, settings, sync, clock.

Panels never reach for globals other than the op helper, the change bus and the message bridge; whatever
else they need comes from here, so tests build a context around a temporary database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from app.clock import local_today, now_utc
from app.db import Database
from app.permissions import Actor, Permission
from ui.settings import Settings
from ui.sync_port import NullSync, SyncPort


@dataclass
class AppContext:
    db: Database
    settings: Settings
    actor: Actor | None = None
    sync: SyncPort = field(default_factory=NullSync)
    today: Callable[[], date] = local_today
    #: the current instant (UTC); countdowns to the platform's deadlines run on it
    now: Callable[[], datetime] = now_utc
    log_path: Path | None = None

    def may(self, permission: Permission) -> bool:
        return self.actor is not None and self.actor.may(permission)

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise RuntimeError("no signed-in user")
        return self.actor
