"""The base of every screen in the left navigation.

A panel says which entities it shows (``concerns``) and how to reload (``refresh``). When a mutation
announces changes that concern it, a visible panel refreshes at once and a hidden one on its next
``activated()``; the panel that made the change (``Changes.origin``) shows its result itself instead.
Panels run all work through ``ui.ops.Op``; they never touch SQL or HTTP.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.changes import Changes, Entity, change_bus
from ui.context import AppContext


class Panel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        change_bus().changed.connect(self._on_changes)

    def concerns(self) -> tuple[Entity, ...]:
        """The entities this panel shows; override."""
        return ()

    def refresh(self) -> None:
        """Reload what the panel shows (through ops); override."""

    def show_item(self, item_id: str) -> None:
        """Bring ``item_id`` (a lesson, a student, a request … of this screen) into view; override."""

    def activated(self) -> None:
        """Called when the panel is brought to the front."""
        if self._stale:
            self._stale = False
            self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.origin is self or not changes.touches(*self.concerns()):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True
