"""The roster table driven by the keyboard: 1 出勤, 2 迟到, 3 请假, 4 缺勤 (then the next row), 0 or Del
clears the row's mark; Ctrl+Enter saves the roll call."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget
from shiboken6 import isValid

from ui.qt_compat import emit

KEY_STATUS = {
    Qt.Key.Key_1: "present",
    Qt.Key.Key_2: "late",
    Qt.Key.Key_3: "leave",
    Qt.Key.Key_4: "absent",
}


#: rows measured when columns are fitted to their contents (bounded: lists can hold 50,000 students)
FIT_ROWS = 64
FITTED = "instdeskFitted"


def configure_table(view: QTableView) -> None:
    """The look every list in the app shares: whole-row selection, no grid, columns fitted to their text
    (so a 1366-pixel laptop shows every column without scrolling), the last one taking the rest.

    Columns are fitted when rows are loaded (model reset, a page or a list arrived), never on a change of
    one row: Qt's fit-to-contents mode measured every column again on each roll-call mark (~10 ms a key on
    40 students)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setResizeContentsPrecision(FIT_ROWS)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setMinimumSectionSize(48)
    QTimer.singleShot(0, view, lambda: fit_when_loaded(view))  # the model is set right after this


def fit_when_loaded(view: QTableView) -> None:
    model = view.model()
    if model is None or model.property(FITTED):
        return
    model.setProperty(FITTED, True)
    model.modelReset.connect(lambda: _fit_later(view))
    loaded = getattr(model, "loaded", None)
    if loaded is not None:
        loaded.connect(lambda: _fit_later(view))
    fit_columns(view)


def _fit_later(view: QTableView) -> None:
    # Measured from the event loop, never inside the signal: a reset can be emitted while the view is
    # itself laying out (a lazy model fetching from data()), and measuring columns there would re-enter the
    # header. The view is the timer's context, so a deleted view is never measured.
    if isValid(view):
        QTimer.singleShot(0, view, lambda: fit_columns(view))


def fit_columns(view: QTableView) -> None:
    """Each column as wide as its text (the rows measured: ``FIT_ROWS``), the last one taking the rest.
    Only a table on screen is measured: a hidden one is fitted by its next load, and a model that was
    replaced (a view shows a new one) is never touched after the view let it go."""
    if not isValid(view) or not view.isVisible():
        return
    # Held in this frame for the whole measurement: a model whose owner is gone lives only in a reference
    # cycle, and a garbage collection started by Python code in data() would delete it under the view.
    model = view.model()
    if model is None:
        return
    _fit(view)


def _fit(view: QTableView) -> None:
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)  # resizing to contents sized the last column too: stretch it again
    header.setStretchLastSection(True)


class RosterView(QTableView):
    marked = Signal(int, str)  # row, attendance status
    cleared = Signal(int)  # row
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        configure_table(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if key in KEY_STATUS and self.currentIndex().isValid():
            row = self.currentIndex().row()
            emit(self.marked, row, KEY_STATUS[key])
            if row + 1 < self.model().rowCount():
                self.selectRow(row + 1)
            return
        if key in (Qt.Key.Key_0, Qt.Key.Key_Delete) and self.currentIndex().isValid():
            emit(self.cleared, self.currentIndex().row())
            return
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and ctrl:
            emit(self.save_requested)
            return
        super().keyPressEvent(event)
