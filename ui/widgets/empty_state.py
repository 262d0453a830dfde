"""A table that says what will appear in it while it is empty, instead of showing a blank grid."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QStackedLayout, QWidget


class EmptyState(QWidget):
    def __init__(self, view: QAbstractItemView, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.label = QLabel(text)
        self.label.setObjectName("emptyState")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(view)
        self._stack.addWidget(self.label)
        model = view.model()
        if model is not None:
            self.watch(model)

    def watch(self, model: QAbstractItemModel) -> None:
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.update_state)
        loaded = getattr(model, "loaded", None)
        if loaded is not None:
            loaded.connect(self.update_state)
        self.update_state()

    def is_empty(self) -> bool:
        model = self.view.model()
        return model is None or model.rowCount() == 0

    def update_state(self) -> None:
        self._stack.setCurrentWidget(self.label if self.is_empty() else self.view)
