"""A lazy table model: it knows the row count, and loads rows page by page on the database worker.

``PagedTableModel(columns, source)`` where ``source`` is a ``PageSource`` (count + fetch of a page; the
functions are the core's, e.g. ``app.search.list_students``). ``data()`` of a row whose page is not loaded
asks the worker for that page and shows a placeholder until it arrives; at most ``MAX_PAGES`` pages are
kept. ``set_rows()`` shows a short, already loaded list instead (search results).

A ``KeyedSource`` pages by key (``app.views.paging``): a page next to a loaded one starts right after its
last row's key (or ends right before the first row's key of the page after it), so rows that sync inserts
or removes ahead of the loaded part do not make the next page repeat or skip a row. A page with no loaded
neighbour (a jump down the scroll bar) is found by its position.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.views.paging import Key, PageAt
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


@dataclass(frozen=True)
class KeyedSource(Generic[R]):
    """A ``PageSource`` that pages by key: ``fetch_fn(at, limit)`` with ``at`` a ``PageAt``; ``key`` gives a
    row's place in the list's order (e.g. ``app.search.list_students`` with ``student_key``)."""

    count_fn: Callable[[], int]
    fetch_fn: Callable[[PageAt, int], Sequence[R]]
    key: Callable[[R], Key]

    def count(self) -> int:
        return self.count_fn()

    def fetch(self, offset: int, limit: int) -> Sequence[R]:
        return self.fetch_fn(PageAt(offset), limit)

    def fetch_at(self, at: PageAt, limit: int) -> Sequence[R]:
        return self.fetch_fn(at, limit)


@dataclass(frozen=True)
class Snapshot(Generic[R]):
    """What a lazily loaded list has loaded so far, to be shown again without asking the database."""

    source: PageSource[R]
    count: int
    page_size: int
    pages: tuple[tuple[int, Sequence[R]], ...]


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ROLES = frozenset((_DISPLAY, _ALIGNMENT, _FOREGROUND, _TOOLTIP))


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
        self._counted = False  # the count of the current source has arrived
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
        self._counted = False
        generation = self._generation
        Op(source.count).success(lambda n: self._apply_count(generation, n)).run()

    def snapshot(self) -> Snapshot[R] | None:
        """The lazily loaded list as it is now (None while its count is loading or for a short list)."""
        if self._source is None or not self._counted:
            return None
        return Snapshot(self._source, self._count, self._page_size, tuple(self._pages.items()))

    def restore(self, snapshot: Snapshot[R]) -> None:
        """Show a list saved by ``snapshot()`` again, at once; missing pages load lazily as usual."""
        self._generation += 1
        self.beginResetModel()
        self._source = snapshot.source
        self._count = snapshot.count
        self._page_size = snapshot.page_size
        self._pages = OrderedDict(snapshot.pages)
        self._pending.clear()
        self._counted = True
        self.endResetModel()
        emit(self.loaded)

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show a short list that is already loaded (e.g. search results)."""
        self._generation += 1
        self._source = None
        self._counted = False
        self.beginResetModel()
        self._count = len(rows)
        self._pages = OrderedDict({0: list(rows)})
        self._page_size = max(self._page_size, len(rows), 1)
        self._pending.clear()
        self.endResetModel()
        emit(self.loaded)

    def replace_rows(self, rows: Sequence[R], key: Callable[[R], object]) -> None:
        """Show ``rows`` in place of a short list with the same rows (by ``key``, in the same order):
        only the rows that differ are repainted, the view keeps its selection and scroll position.
        Any other list is shown with ``set_rows``."""
        old = self._pages.get(0) if self._source is None and len(self._pages) == 1 else None
        if old is None or len(old) != len(rows) or [key(r) for r in old] != [key(r) for r in rows]:
            self.set_rows(rows)
            return
        self._generation += 1
        changed = [i for i, (a, b) in enumerate(zip(old, rows, strict=True)) if a != b]
        self._pages[0] = list(rows)
        if changed:
            last = self.columnCount() - 1
            emit(self.dataChanged, self.index(changed[0], 0), self.index(changed[-1], last))
        emit(self.loaded)

    def _apply_count(self, generation: int, count: int) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._count = count
        self._counted = True
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
        limit = self._page_size
        if isinstance(source, KeyedSource):
            keyed, at = source, self._page_at(source, page)
            fetch: Callable[[], Sequence[R]] = lambda: keyed.fetch_at(at, limit)  # noqa: E731
        else:
            offset = page * limit
            fetch = lambda: source.fetch(offset, limit)  # noqa: E731
        Op(fetch).success(lambda rows: self._apply_page(generation, page, rows)).run()

    def _page_at(self, source: KeyedSource[R], page: int) -> PageAt:
        """Where page ``page`` starts: after the loaded page before it, before the loaded page after it,
        else (nothing loaded around it) at its position."""
        previous, following = self._pages.get(page - 1), self._pages.get(page + 1)
        if page > 0 and previous and len(previous) == self._page_size:
            return PageAt(page * self._page_size, after=source.key(previous[-1]))
        if following:
            return PageAt(page * self._page_size, before=source.key(following[0]))
        return PageAt(page * self._page_size)

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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Qt asks for many roles per painted cell: the ones a column does not have return at once.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        col = index.column()
        if col >= len(self._columns):
            return None
        column = self._columns[col]
        if role == _ALIGNMENT:
            return int(column.align.value)
        if role == _TOOLTIP and column.tooltip is None:
            return None
        if role == _FOREGROUND and column.foreground is None:
            return None
        item = self.row_at(index.row())
        if item is None:
            return PLACEHOLDER if role == _DISPLAY else None
        if role == _DISPLAY:
            return column.text(item)
        if role == _FOREGROUND:
            colour = column.foreground(item) if column.foreground else None
            return QBrush(QColor(colour)) if colour else None
        return column.tooltip(item) if column.tooltip else None

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
