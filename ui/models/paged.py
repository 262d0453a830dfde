"""A lazy table model: it knows the row count, and loads rows page by page on the database worker.

``PagedTableModel(columns, source)`` where ``source`` is a ``PageSource`` (count + fetch of a page; the
functions are the core's, e.g. ``app.search.list_students``). ``data()`` of a row whose page is not loaded
asks the worker for that page and shows a placeholder until it arrives; at most ``MAX_PAGES`` pages are
kept. ``set_rows()`` shows a short, already loaded list instead (search results).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ui.ops import Op
from ui.qt_compat import emit

R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
Index = QModelIndex | QPersistentModelIndex
PLACEHOLDER = "…"
MAX_PAGES = 64


@dataclass(frozen=True)
class Column(Generic[R]):
    """A column: its (translated) title, the text of a row, and optional alignment and colour role."""

    title: str
    text: Callable[[R], str]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: Callable[[R], str] | None = None
    foreground: Callable[[R], str | None] | None = None  # a colour name, e.g. "#b00020"


class PageSource(Protocol[R_co]):
    def count(self) -> int: ...
    def fetch(self, offset: int, limit: int) -> Sequence[R_co]: ...


@dataclass(frozen=True)
class FunctionSource(Generic[R]):
    """A ``PageSource`` from two plain functions."""

    count_fn: Callable[[], int]
    fetch_fn: Callable[[int, int], Sequence[R]]

    def count(self) -> int:
        return self.count_fn()

    def fetch(self, offset: int, limit: int) -> Sequence[R]:
        return self.fetch_fn(offset, limit)


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """Rows of type ``R`` shown through ``columns``; loads lazily from a ``PageSource``."""

    loaded = Signal()  # the row count (or a static list) is in place

    def __init__(self, columns: Sequence[Column[R]], page_size: int = 200) -> None:
        super().__init__()
        self._columns = list(columns)
        self._page_size = page_size
        self._source: PageSource[R] | None = None
        self._count = 0
        self._pages: OrderedDict[int, Sequence[R]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._in_data = False

    # --- loading -------------------------------------------------------------------------------------
    def set_source(self, source: PageSource[R]) -> None:
        """Show ``source``: its count is loaded off the GUI thread, then pages as they are needed."""
        self._source = source
        self.reload()

    def reload(self) -> None:
        source = self._source
        if source is None:
            return
        self._generation += 1
        generation = self._generation
        Op(source.count).success(lambda n: self._apply_count(generation, n)).run()

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show a short list that is already loaded (e.g. search results)."""
        self._generation += 1
        self._source = None
        self.beginResetModel()
        self._count = len(rows)
        self._pages = OrderedDict({0: list(rows)})
        self._page_size = max(self._page_size, len(rows), 1)
        self._pending.clear()
        self.endResetModel()
        emit(self.loaded)

    def _apply_count(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self._pages.clear()
        self._pending.clear()
        self.endResetModel()
        emit(self.loaded)

    def _request(self, page: int) -> None:
        source = self._source
        if source is None or page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        offset, limit = page * self._page_size, self._page_size
        Op(lambda: source.fetch(offset, limit)).success(
            lambda rows: self._apply_page(generation, page, rows)
        ).run()

    def _apply_page(self, generation: int, page: int, rows: Sequence[R]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        if self._in_data or not rows:
            return
        first = page * self._page_size
        last = min(first + len(rows), self._count) - 1
        if last >= first:
            emit(self.dataChanged, self.index(first, 0), self.index(last, self.columnCount() - 1))

    # --- access --------------------------------------------------------------------------------------
    def row_at(self, row: int) -> R | None:
        """The loaded row (``None`` while its page is loading)."""
        if not 0 <= row < self._count:
            return None
        page, offset = divmod(row, self._page_size)
        rows = self._pages.get(page)
        if rows is None:
            self._in_data = True
            try:
                self._request(page)
            finally:
                self._in_data = False
            rows = self._pages.get(page)
        else:
            self._pages.move_to_end(page)
        return rows[offset] if rows is not None and offset < len(rows) else None

    def loaded_rows(self) -> list[R]:
        return [r for rows in self._pages.values() for r in rows]

    # --- QAbstractTableModel -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align.value)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        item = self.row_at(index.row())
        if item is None:
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = column.foreground(item) if column.foreground else None
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else None
        return column.text(item)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].title
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
