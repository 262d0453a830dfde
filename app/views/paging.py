"""Keyset pagination for the lazily loaded lists: a page starts after (or ends before) a row's key.

A page asked for by ``OFFSET`` shifts when sync inserts or removes rows ahead of it while the list is half
loaded: the next page repeats a row already shown, or skips one. A page asked for by the key of the row
next to it (``WHERE (sort_key, id) > (:last_key, :last_id) ORDER BY sort_key, id LIMIT n``) starts where
the list left off, whatever changed before it. Only a jump into the middle of a list with nothing loaded
around it has no neighbour to start from: that page is found by its position (``offset``), and the pages
next to it are keyed from it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, tuple_
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

R = TypeVar("R")
#: any ``select(...)``, whatever its row type
Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])
#: the columns of a list's order: table columns (``metadata.tables``) or mapped attributes
Order = tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]

#: a row's position in a list's order: its sort key(s) and its id (unique, so no two rows tie)
Key = tuple[Any, ...]


@dataclass(frozen=True)
class PageAt:
    """Where a page starts: right after the row ``after``, right before ``before``, else at ``offset``."""

    offset: int = 0
    after: Key | None = None
    before: Key | None = None


def keyed_page(query: Query, order: Order, at: PageAt, limit: int) -> tuple[Query, bool]:
    """``query`` (not yet ordered) limited to the page ``at`` in ascending ``order`` (its last column the
    id); True when the rows come back in descending order and must be reversed (a page before a key)."""
    limit = max(0, limit)
    if at.after is not None:
        return query.where(tuple_(*order) > tuple_(*at.after)).order_by(*order).limit(limit), False
    if at.before is not None:
        descending = [column.desc() for column in order]
        return query.where(tuple_(*order) < tuple_(*at.before)).order_by(*descending).limit(limit), True
    return query.order_by(*order).offset(max(0, at.offset)).limit(limit), False


def in_order(rows: list[R], backwards: bool) -> list[R]:
    """The page's rows in the list's order (``keyed_page`` said whether they came back reversed)."""
    return rows[::-1] if backwards else rows
