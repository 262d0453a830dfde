"""Student search for the front desk: name, full pinyin, initials (``zs`` finds 张三), phone tail, card.

Every lookup is a prefix over a precomputed, indexed column (``name``, ``name_pinyin``,
``name_initials``, ``phone_rev``) or an exact match (``card_code``), written as a range predicate
``col >= :p AND col < :p || U+10FFFF`` so SQLite walks the BINARY index instead of scanning: the default
``LIKE`` is case-insensitive and cannot use these indexes (docs/architecture.md; a test checks plans). Only
a substring of a Chinese name needs a scan, and it runs over the name index alone and only when the
indexed lookups found fewer hits than asked for. Results are merged, best match first, and identity
numbers are masked before they leave this module (PIPL).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum

from sqlalchemy import ColumnElement, Select, and_, func, literal, literal_column, select
from sqlalchemy.orm import Session

from app.db import Database
from app.permissions import Actor, Permission, require
from app.pinyin import normalise_query
from app.validators import mask_id_number
from app.views.paging import Key, PageAt, in_order, keyed_page
from localdb.models import metadata

_student = metadata.tables["student"]
_TOP = "\U0010ffff"  # sorts after every character: the exclusive upper bound of a prefix range
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MIN_PHONE_TAIL = 3


class Match(IntEnum):
    """How a hit matched; lower is better (the ranking of merged results)."""

    CARD = 0
    NAME_EXACT = 1
    NAME_PREFIX = 2
    PINYIN_EXACT = 3
    INITIALS_EXACT = 4
    PHONE_TAIL = 5
    PINYIN_PREFIX = 6
    INITIALS_PREFIX = 7
    NAME_SUBSTRING = 8


@dataclass(frozen=True, slots=True)
class StudentHit:
    """One student as a list row shows it (plain data; the identity number is already masked)."""

    id: str
    name: str
    gender: str | None
    birth_date: date | None
    id_number_masked: str
    phone: str | None
    card_code: str | None
    school: str | None
    grade: str | None
    stage: str | None
    match: Match
    name_pinyin: str = ""  # the list's sort key (filled by ``list_students``)


_COLUMNS = (
    _student.c.id,
    _student.c.name,
    _student.c.gender,
    _student.c.birth_date,
    _student.c.id_number,
    _student.c.phone,
    _student.c.card_code,
    _student.c.school,
    _student.c.grade,
    _student.c.stage,
)


def _prefix(column: ColumnElement[str], text: str) -> ColumnElement[bool]:
    """``column`` starts with ``text``, as an index-friendly range."""
    return and_(column >= text, column < literal(text + _TOP))


def _alive() -> ColumnElement[bool]:
    return _student.c.deleted_at.is_(None)


def _select(where: ColumnElement[bool], order: ColumnElement[str], limit: int) -> Select[tuple[object, ...]]:
    return select(*_COLUMNS).where(where, _alive()).order_by(order, _student.c.id).limit(limit)


def phone_digits(query: str) -> str | None:
    """The digits of a phone-tail query (spaces and dashes allowed), or None if it is not one."""
    folded = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", query))
    return folded if folded.isdigit() and len(folded) >= MIN_PHONE_TAIL else None


def search_statements(query: str, limit: int) -> list[tuple[Match, Select[tuple[object, ...]]]]:
    """The indexed lookups a query calls for, each with the match kind it yields.

    Public so a test can EXPLAIN each one and prove it searches an index.
    """
    raw = unicodedata.normalize("NFKC", query).strip()
    key = normalise_query(query)
    s = _student.c
    found: list[tuple[Match, Select[tuple[object, ...]]]] = []
    if raw:
        found.append((Match.CARD, _select(s.card_code == raw, s.card_code, limit)))
    if _HAN.search(raw):
        found.append((Match.NAME_EXACT, _select(s.name == raw, s.name, limit)))
        found.append((Match.NAME_PREFIX, _select(_prefix(s.name, raw), s.name, limit)))
    elif key.isalpha() and key.isascii():
        found.append((Match.PINYIN_EXACT, _select(s.name_pinyin == key, s.name_pinyin, limit)))
        found.append((Match.INITIALS_EXACT, _select(s.name_initials == key, s.name_initials, limit)))
        found.append((Match.PINYIN_PREFIX, _select(_prefix(s.name_pinyin, key), s.name_pinyin, limit)))
        found.append((Match.INITIALS_PREFIX, _select(_prefix(s.name_initials, key), s.name_initials, limit)))
    digits = phone_digits(raw)
    if digits:
        found.append((Match.PHONE_TAIL, _select(_prefix(s.phone_rev, digits[::-1]), s.phone_rev, limit)))
    return found


def _substring_statement(text: str, limit: int) -> Select[tuple[object, ...]]:
    """Names containing ``text``: the scan reads only the name index (name + rowid), then fetches rows."""
    rowid: ColumnElement[int] = literal_column("student.rowid")
    rowids = select(rowid).where(func.instr(_student.c.name, text) > 0).limit(limit * 4)
    return (
        select(*_COLUMNS)
        .where(rowid.in_(rowids.scalar_subquery()), _alive())
        .order_by(_student.c.name, _student.c.id)
        .limit(limit)
    )


def _hit(row: Sequence[object], match: Match) -> StudentHit:
    sid, name, gender, birth, id_no, phone, card, school, grade, stage = row
    return StudentHit(
        id=str(sid),
        name=str(name),
        gender=gender if isinstance(gender, str) else None,
        birth_date=birth if isinstance(birth, date) else None,
        id_number_masked=mask_id_number(id_no) if isinstance(id_no, str) and id_no else "",
        phone=phone if isinstance(phone, str) else None,
        card_code=card if isinstance(card, str) else None,
        school=school if isinstance(school, str) else None,
        grade=grade if isinstance(grade, str) else None,
        stage=stage if isinstance(stage, str) else None,
        match=match,
    )


def _run(session: Session, query: str, limit: int) -> list[StudentHit]:
    best: dict[str, StudentHit] = {}
    order: list[str] = []
    for match, stmt in search_statements(query, limit):
        for row in session.execute(stmt):
            hit = _hit(tuple(row), match)
            if hit.id not in best:
                order.append(hit.id)
                best[hit.id] = hit
            elif match < best[hit.id].match:
                best[hit.id] = hit
    raw = unicodedata.normalize("NFKC", query).strip()
    if len(best) < limit and _HAN.search(raw):
        for row in session.execute(_substring_statement(raw, limit)):
            hit = _hit(tuple(row), Match.NAME_SUBSTRING)
            if hit.id not in best:
                order.append(hit.id)
                best[hit.id] = hit
    position = {sid: i for i, sid in enumerate(order)}
    hits = sorted(best.values(), key=lambda h: (h.match, position[h.id]))
    return hits[:limit]


def search_students(db: Database, actor: Actor, query: str, limit: int = 50) -> list[StudentHit]:
    """Students matching ``query``, best first: exact card, exact name, name prefix, pinyin, phone tail…"""
    require(actor, Permission.VIEW_STUDENTS)
    if not query.strip() or limit <= 0:
        return []
    with db.reading() as session:
        return _run(session, query, limit)


def count_students(db: Database, actor: Actor) -> int:
    """How many students are on file (tombstoned ones excluded)."""
    require(actor, Permission.VIEW_STUDENTS)
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(_student).where(_alive())) or 0)


def list_students(
    db: Database,
    actor: Actor,
    offset: int,
    limit: int,
    query: str | None = None,
    *,
    after: Key | None = None,
    before: Key | None = None,
) -> list[StudentHit]:
    """One page of students for a lazily loading table: by pinyin order, or the ranked search results.

    The page starts right after the row keyed ``after`` (or ends right before ``before``), a key being
    ``student_key(hit)``; with neither, at ``offset`` (``app.views.paging``)."""
    require(actor, Permission.VIEW_STUDENTS)
    if query and query.strip():
        return search_students(db, actor, query, offset + limit)[offset:]
    order = (_student.c.name_pinyin, _student.c.id)
    stmt, backwards = keyed_page(
        select(*_COLUMNS, _student.c.name_pinyin).where(_alive()), order, PageAt(offset, after, before), limit
    )
    with db.reading() as session:
        rows = [_listed(tuple(row)) for row in session.execute(stmt)]
    return in_order(rows, backwards)


def _listed(row: tuple[object, ...]) -> StudentHit:
    hit = _hit(row[:-1], Match.NAME_PREFIX)
    return replace(hit, name_pinyin=str(row[-1]))


def student_key(hit: StudentHit) -> Key:
    """A listed student's place in ``list_students``' order."""
    return (hit.name_pinyin, hit.id)
