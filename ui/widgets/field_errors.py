"""Inline violations: a red line under each form field, filled from the core's ``Violation`` list."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.rules.violation import Violation
from ui.errors import violation_text
from ui.models.codes import WARN


def error_label() -> QLabel:
    found = QLabel("")
    found.setObjectName("fieldError")
    found.setWordWrap(True)
    found.setStyleSheet(f"color: {WARN};")
    found.hide()
    return found


class FieldErrors:
    """One error label per field name; ``show`` places each violation under the field it belongs to."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}

    def add_row(self, form: QFormLayout, title: str, name: str, field: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        self.labels[name] = error_label()
        layout.addWidget(self.labels[name])
        form.addRow(title, box)
        return box

    def show(
        self,
        found: Iterable[Violation],
        field_of: Callable[[Violation], str],
        extra: dict[str, str] | None = None,
    ) -> None:
        texts: dict[str, list[str]] = {name: [] for name in self.labels}
        for name, text in (extra or {}).items():
            texts.setdefault(name, []).append(text)
        for item in found:
            name = field_of(item)
            texts.setdefault(name if name in self.labels else "form", []).append(violation_text(item))
        for name, label in self.labels.items():
            lines = texts.get(name, [])
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))

    def text(self, name: str) -> str:
        return self.labels[name].text() if name in self.labels else ""

    def any(self) -> bool:
        return any(label.text() for label in self.labels.values())
