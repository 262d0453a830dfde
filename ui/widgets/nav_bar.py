"""The left navigation: one button per screen with its icon, a short label and a badge with the count of
what waits there; the current screen is checked. Ctrl+1 … Ctrl+9 switch screens (set by the main window).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QButtonGroup, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from ui.qt_compat import emit
from ui.style import DANGER

ICON_SIZE = QSize(20, 20)


class NavButton(QToolButton):
    """A checkable navigation entry that paints a red count badge at its right edge."""

    def __init__(self, text: str, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setIcon(icon)
        self.setIconSize(ICON_SIZE)
        self.setCheckable(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(40)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge = 0

    def set_badge(self, count: int) -> None:
        if count != self.badge:
            self.badge = count
            self.update()

    def badge_text(self) -> str:
        return "" if self.badge <= 0 else ("99+" if self.badge > 99 else str(self.badge))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        text = self.badge_text()
        if not text:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        font.setBold(True)
        painter.setFont(font)
        width = max(painter.fontMetrics().horizontalAdvance(text) + 10, 20)
        box = QRect(self.width() - width - 12, (self.height() - 18) // 2, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(DANGER))
        painter.drawRoundedRect(box, 9, 9)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.end()


class NavBar(QWidget):
    current_changed = Signal(int)

    def __init__(self, brand: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFixedWidth(168)
        self.buttons: list[NavButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idToggled.connect(self._toggled)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 12)
        self._layout.setSpacing(0)
        title = QLabel(brand)
        title.setObjectName("navBrand")
        self._layout.addWidget(title)
        self._layout.addStretch(1)

    def add_item(self, text: str, icon: QIcon, shortcut_hint: str = "") -> NavButton:
        button = NavButton(text, icon, self)
        if shortcut_hint:
            button.setToolTip(shortcut_hint)
        self._group.addButton(button, len(self.buttons))
        self._layout.insertWidget(self._layout.count() - 1, button)
        self.buttons.append(button)
        return button

    def count(self) -> int:
        return len(self.buttons)

    def current_row(self) -> int:
        return self._group.checkedId()

    def set_current_row(self, row: int) -> None:
        if 0 <= row < len(self.buttons):
            self.buttons[row].setChecked(True)

    def set_badge(self, row: int, count: int) -> None:
        if 0 <= row < len(self.buttons):
            self.buttons[row].set_badge(count)

    def _toggled(self, row: int, checked: bool) -> None:
        if checked:
            emit(self.current_changed, row)
