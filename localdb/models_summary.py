"""Local-only summary tables behind the statistics (derived caches, see ``localdb.summaries``).

Never synced, never captured; kept exact by the triggers of ``localdb.summaries`` and rebuildable from the
attendance, payment, refund, contract and lesson_session rows, which stay the source of truth.
Import them from ``localdb.models``.
"""

from __future__ import annotations

from sqlalchemy import Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from localdb.base import Base


def _count() -> Mapped[int]:
    return mapped_column(Integer, nullable=False, default=0, server_default=text("0"))


class SessionTally(Base):
    """Per lesson session: its attendance rows, expected and attending students, charged units and fen,
    leaves with a make-up right and how many of them were made up."""

    __tablename__ = "session_tally"
    __table_args__ = {"sqlite_with_rowid": False}

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    n_rows: Mapped[int] = _count()
    expected: Mapped[int] = _count()
    attended: Mapped[int] = _count()
    units_x100: Mapped[int] = _count()
    fen: Mapped[int] = _count()
    leaves: Mapped[int] = _count()  # leave rows whose make-up entitlement is not cancelled (0013)
    used: Mapped[int] = _count()  # of those, the ones whose entitlement is used (made up; 0013)


class MoneyDay(Base):
    """Per local day and (course, class) of the contract: payments, refunds and charged lesson fen."""

    __tablename__ = "money_day"
    __table_args__ = {"sqlite_with_rowid": False}

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    klass_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # '' when the contract has none
    paid_n: Mapped[int] = _count()
    paid_fen: Mapped[int] = _count()
    refund_n: Mapped[int] = _count()
    refund_fen: Mapped[int] = _count()
    consumed_fen: Mapped[int] = _count()


class MoneyMonth(Base):
    """``MoneyDay`` summed per month (``YYYY-MM``; ``''`` for lessons whose session row is missing)."""

    __tablename__ = "money_month"
    __table_args__ = {"sqlite_with_rowid": False}

    month: Mapped[str] = mapped_column(String(10), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    klass_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    paid_n: Mapped[int] = _count()
    paid_fen: Mapped[int] = _count()
    refund_n: Mapped[int] = _count()
    refund_fen: Mapped[int] = _count()
    consumed_fen: Mapped[int] = _count()
