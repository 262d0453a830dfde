"""The status-bar area for sync: online/offline, pending ops, last sync, problems, and "sync now".

It polls the sync port's thread-safe snapshot (cheap, no I/O) every ``POLL_MS`` and on sync changes.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ui.changes import Changes, Entity, change_bus
from ui.i18n import tr
from ui.sync_port import SyncPort, SyncSnapshot

POLL_MS = 2000


def describe(snapshot: SyncSnapshot) -> tuple[str, str, str, str]:
    """The four texts: connection, pending ops, last sync, problems."""
    if not snapshot.configured:
        online = tr("未连接平台")
    elif snapshot.running:
        online = tr("正在同步…")
    else:
        online = tr("在线") if snapshot.online else tr("离线")
    pending = tr("待上传 {n} 项", n=snapshot.pending_ops)
    when = snapshot.last_sync.astimezone().strftime("%m-%d %H:%M") if snapshot.last_sync else tr("从未")
    last = tr("上次同步：{when}", when=when)
    problems = tr("同步问题 {n} 项", n=snapshot.problems) if snapshot.problems else ""
    return online, pending, last, problems


class SyncStatusWidget(QWidget):
    def __init__(self, sync: SyncPort, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self.online, self.pending, self.last, self.problems = QLabel(), QLabel(), QLabel(), QLabel()
        self.problems.setObjectName("problems")
        self.sync_button = QPushButton(tr("立即同步"))
        self.sync_button.setFlat(True)
        self.sync_button.clicked.connect(self._sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.online, self.pending, self.last, self.problems, self.sync_button):
            layout.addWidget(widget)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update_status)
        self._timer.start(POLL_MS)
        change_bus().changed.connect(self._on_changes)
        self.update_status()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Entity.SYNC, Entity.ATTENDANCE, Entity.PAYMENT, Entity.CONTRACT, Entity.STUDENT):
            self.update_status()

    def _sync_now(self) -> None:
        self._sync.sync_now()
        self.update_status()

    def update_status(self) -> None:
        snapshot = self._sync.status()
        texts = describe(snapshot)
        for label, text in zip((self.online, self.pending, self.last, self.problems), texts, strict=True):
            label.setText(text)
        self.problems.setVisible(bool(texts[3]))
        self.sync_button.setEnabled(snapshot.configured and not snapshot.running)
