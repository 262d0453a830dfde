"""Lazy lists page by key: rows inserted ahead of a half-loaded list (sync, another desk) do not make the
next page repeat a row already shown, nor skip one."""

from __future__ import annotations

from app.search import StudentHit, count_students, list_students, student_key
from app.services.students import StudentInput, add_student
from ui.context import AppContext
from ui.models.paged import KeyedSource
from ui.models.students import students_model

PAGE = 2


def _keyed(ctx: AppContext) -> KeyedSource[StudentHit]:
    db, actor = ctx.db, ctx.require_actor()
    return KeyedSource(
        lambda: count_students(db, actor),
        lambda at, n: list_students(db, actor, at.offset, n, after=at.after, before=at.before),
        student_key,
    )


def _insert_ahead(ctx: AppContext, names: tuple[str, ...]) -> None:
    """Students whose pinyin sorts before every seeded one (阿 → "a"): all land ahead of the cursor."""
    for name in names:
        add_student(ctx.db, ctx.require_actor(), StudentInput(name=name))


def _ids(model_rows: list[StudentHit | None]) -> list[str]:
    assert all(row is not None for row in model_rows)
    return [row.id for row in model_rows if row is not None]


def test_the_next_page_starts_where_the_list_left_off(ctx: AppContext) -> None:
    actor = ctx.require_actor()
    listed = [hit.id for hit in list_students(ctx.db, actor, 0, 100)]
    model = students_model(page_size=PAGE)
    model.set_source(_keyed(ctx))
    assert model.rowCount() == len(listed) == 6
    shown = _ids([model.row_at(i) for i in range(PAGE)])  # half fetched: the first page only
    _insert_ahead(ctx, ("阿一", "阿二"))
    # by position the next page would now start two rows back and repeat what is on screen
    assert [h.id for h in list_students(ctx.db, actor, PAGE, PAGE)] == shown
    rest = _ids([model.row_at(i) for i in range(PAGE, model.rowCount())])
    assert shown + rest == listed  # every row once, none repeated, none skipped


def test_a_page_above_a_loaded_one_ends_where_that_one_begins(ctx: AppContext) -> None:
    actor = ctx.require_actor()
    listed = [hit.id for hit in list_students(ctx.db, actor, 0, 100)]
    model = students_model(page_size=PAGE)
    model.set_source(_keyed(ctx))
    last_page = _ids([model.row_at(i) for i in range(4, 6)])  # a jump to the end: found by position
    assert last_page == listed[4:]
    _insert_ahead(ctx, ("阿三",))
    middle = _ids([model.row_at(i) for i in range(2, 4)])  # keyed before the loaded last page
    assert middle == listed[2:4]


def test_pages_by_key_and_by_position_agree_on_a_quiet_list(ctx: AppContext) -> None:
    actor = ctx.require_actor()
    by_position = [list_students(ctx.db, actor, start, PAGE) for start in range(0, 6, PAGE)]
    after = None
    for page in by_position:
        keyed = list_students(ctx.db, actor, 0, PAGE, after=after)
        assert keyed == page
        after = student_key(keyed[-1])
    assert list_students(ctx.db, actor, 0, PAGE, after=after) == []
