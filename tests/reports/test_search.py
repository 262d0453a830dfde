"""Student search: names, pinyin, initials, phone tail, card code, tombstones, masking, index use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text, update

from app.db import Database
from app.permissions import SYSTEM_ACTOR, Actor, Role
from app.search import Match, count_students, list_students, search_statements, search_students
from localdb.models import metadata
from tests.reports.dataset import build, student


def _names(db: Database, query: str) -> list[str]:
    return [h.name for h in search_students(db, SYSTEM_ACTOR, query)]


@pytest.fixture
def people(db: Database) -> Database:
    build(db)
    with db.engine.begin() as conn:
        student(conn, "张三丰", phone="13811112222")
        student(conn, "欧阳张", phone="13633334444")
        student(conn, "曾小明", phone="13555556666", card_code="VIP-9")
    return db


def test_name_exact_prefix_substring(people: Database) -> None:
    assert _names(people, "张三") == ["张三", "张三丰"]
    assert _names(people, "张") == ["张三", "张三丰", "欧阳张"]  # prefixes first, then the substring
    assert _names(people, "三丰") == ["张三丰"]


def test_pinyin_initials_and_surname_reading(people: Database) -> None:
    assert _names(people, "zs") == ["张三", "张三丰"]
    assert _names(people, "ZhangSan") == ["张三", "张三丰"]
    assert _names(people, "zhangs") == ["张三", "张三丰"]
    assert _names(people, "zengxiao") == ["曾小明"]  # 曾 read as a surname (zeng)
    hits = search_students(people, SYSTEM_ACTOR, "zs")
    assert [h.match for h in hits] == [Match.INITIALS_EXACT, Match.INITIALS_PREFIX]


def test_phone_tail_and_card(people: Database) -> None:
    assert _names(people, "8000") == ["张三"]
    assert _names(people, "138 0013 8000") == ["张三"]
    assert _names(people, "2222") == ["张三丰"]
    hits = search_students(people, SYSTEM_ACTOR, "VIP-9")
    assert [(h.name, h.match) for h in hits] == [("曾小明", Match.CARD)]


def test_card_exact_beats_everything(people: Database) -> None:
    with people.engine.begin() as conn:
        student(conn, "卡号人", card_code="zs")
    hits = search_students(people, SYSTEM_ACTOR, "zs")
    assert hits[0].name == "卡号人" and hits[0].match is Match.CARD


def test_tombstoned_students_are_excluded(people: Database) -> None:
    table = metadata.tables["student"]
    with people.engine.begin() as conn:
        conn.execute(update(table).where(table.c.name == "张三丰").values(deleted_at=datetime.now(UTC)))
    assert _names(people, "zs") == ["张三"]
    assert count_students(people, SYSTEM_ACTOR) == 5


def test_identity_numbers_are_masked(people: Database) -> None:
    (hit,) = [h for h in search_students(people, SYSTEM_ACTOR, "张三") if h.name == "张三"]
    assert hit.id_number_masked == "110105********002X"


def test_paging_and_permissions(people: Database) -> None:
    page1 = list_students(people, SYSTEM_ACTOR, 0, 2)
    page2 = list_students(people, SYSTEM_ACTOR, 2, 10)
    assert len(page1) == 2 and len(page2) == 4
    assert not {h.id for h in page1} & {h.id for h in page2}
    assert [h.name for h in list_students(people, SYSTEM_ACTOR, 1, 5, query="zs")] == ["张三丰"]
    assert search_students(people, SYSTEM_ACTOR, "   ") == []
    stats_user = Actor("u", "owner", Role.STATS)
    assert _names(people, "zs") == [h.name for h in search_students(people, stats_user, "zs")]


@pytest.mark.parametrize("query", ["张三", "zs", "zhangsan", "8000", "C001"])
def test_every_lookup_searches_an_index(db: Database, query: str) -> None:
    with db.engine.connect() as conn:
        for match, stmt in search_statements(query, 50):
            compiled = stmt.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "SEARCH student USING INDEX" in plan, (match, plan)
