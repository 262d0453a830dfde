"""Gapless document numbers (contracts, receipts) per desk and year."""

from __future__ import annotations

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.db import DESK_CODE_KEY, get_setting
from app.errors import InstDeskError
from localdb.models import DeskCounter, metadata


def desk_code(session: Session) -> str:
    code = get_setting(session, DESK_CODE_KEY)
    if not code:
        raise InstDeskError("desk.not_configured")
    return code


def next_number(session: Session, kind: str, year: int) -> str:
    """Allocate the next gapless number of ``kind`` for this desk and year, e.g. ``'A1-2026-000123'``.

    One upsert with RETURNING inside the caller's transaction: a rolled-back use case gives its number
    back, and the single writer connection means no two use cases can read the same ``last_no``.
    """
    code = desk_code(session)
    table = metadata.tables[DeskCounter.__tablename__]
    stmt = (
        sqlite_insert(table)
        .values(desk_code=code, kind=kind, year=year, last_no=1)
        .on_conflict_do_update(
            index_elements=[table.c.desk_code, table.c.kind, table.c.year],
            set_={"last_no": table.c.last_no + 1},
        )
        .returning(table.c.last_no)
    )
    number = int(session.execute(stmt).scalar_one())
    return f"{code}-{year}-{number:06d}"
