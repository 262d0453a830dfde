"""Text that may grow long (a list of rule problems) scrolls inside its box instead of being cut."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

MAX_HEIGHT = 160


def scrolling(content: QWidget, max_height: int = MAX_HEIGHT) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setMaximumHeight(max_height)
    return area
