"""Mutations announce what changed; views refresh only when it concerns them (Anki's ``OpChanges``).

A mutation op calls ``.announce(Changes.of(Entity.ATTENDANCE, Entity.LEDGER))``; after its success
callback the value is published once on ``change_bus().changed``. A panel connects to that signal and
checks ``changes.touches(...)`` for the entities it shows, so nothing reloads that did not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from ui.qt_compat import emit


class Entity(StrEnum):
    """What a mutation can change (one per kind of thing a screen shows)."""

    INSTITUTION = "institution"
    USER = "user"
    STUDENT = "student"
    GUARDIAN = "guardian"
    CONTRACT = "contract"
    PAYMENT = "payment"
    LEDGER = "ledger"
    ATTENDANCE = "attendance"
    SESSION = "session"
    COURSE = "course"
    KLASS = "klass"
    STAFF = "staff"
    REFUND = "refund"
    SYNC = "sync"
    SETTINGS = "settings"
    NOTICE = "notice"


@dataclass(frozen=True)
class Changes:
    """The set of entities a mutation touched, optionally with the ids of the rows.

    ``origin`` is the view that made the change and has already shown its result (e.g. the front desk
    after a roll call): it does not reload on its own announcement; every other view does as usual.
    """

    entities: frozenset[Entity] = frozenset()
    ids: frozenset[str] = field(default_factory=frozenset)
    origin: object | None = field(default=None, compare=False)

    @classmethod
    def of(cls, *entities: Entity, ids: tuple[str, ...] = (), origin: object | None = None) -> Changes:
        return cls(frozenset(entities), frozenset(ids), origin)

    def by(self, origin: object) -> Changes:
        """The same changes, made (and already shown) by ``origin``."""
        return Changes(self.entities, self.ids, origin)

    @classmethod
    def everything(cls) -> Changes:
        """After a sync pull or a reset: every view reloads."""
        return cls(frozenset(Entity))

    def touches(self, *entities: Entity) -> bool:
        return not self.entities.isdisjoint(entities)

    def __or__(self, other: Changes) -> Changes:
        origin = self.origin if self.origin is other.origin else None
        return Changes(self.entities | other.entities, self.ids | other.ids, origin)


class ChangeBus(QObject):
    """The one signal every view listens to."""

    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if changes.entities:
            emit(self.changed, changes)


_bus: ChangeBus | None = None


def change_bus() -> ChangeBus:
    global _bus
    if _bus is None:
        _bus = ChangeBus()
    return _bus


def reset_change_bus() -> ChangeBus:
    """A fresh bus (tests: no listener of a previous test survives)."""
    global _bus
    _bus = ChangeBus()
    return _bus
