"""The application's one look: the stylesheet in ``resources/style/``, a light palette and a CJK font stack.

Applied once to the ``QApplication``; widgets only set object names (``heading``, ``card``, ``primary`` …)
that the stylesheet styles, never colours of their own.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from ui.resources import resources_dir

log = logging.getLogger("ui.style")
#: the first family installed wins; Windows, macOS, then the common Linux CJK fonts
FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sans Serif",
]
POINT_SIZE = 10
ACCENT = "#2f6fed"
#: colours that code needs (badges, charts); the rest live in the stylesheet
DANGER = "#d93025"
SUCCESS = "#1e8e3e"
MUTED = "#6b7785"


def stylesheet() -> str:
    path = resources_dir() / "style" / "instdesk.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s not found; using Qt's default look", path)
        return ""


def light_palette() -> QPalette:
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#f4f6fa",
        QPalette.ColorRole.WindowText: "#1f2933",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f8fafc",
        QPalette.ColorRole.Text: "#1f2933",
        QPalette.ColorRole.Button: "#ffffff",
        QPalette.ColorRole.ButtonText: "#1f2933",
        QPalette.ColorRole.Highlight: "#e3ecfd",
        QPalette.ColorRole.HighlightedText: "#1f2933",
        QPalette.ColorRole.ToolTipBase: "#1f2933",
        QPalette.ColorRole.ToolTipText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#8a96a3",
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#a7b1bd"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#a7b1bd"))
    return palette


def apply_style(app: QApplication) -> None:
    # Fusion draws every control from the palette and the stylesheet alike on all platforms, so the app
    # looks the same on a Windows front desk and on the developer's Linux machine.
    app.setStyle("Fusion")
    app.setPalette(light_palette())
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
