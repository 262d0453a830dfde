"""Every table model passes pytest-qt's model tester; the lazy model loads pages on demand."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.search import StudentHit, count_students, list_students
from app.views.students import RosterLine, session_roster, student_profile, today_sessions
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.models.frontdesk import RosterModel, sessions_model
from ui.models.paged import Column, FunctionSource, PagedTableModel
from ui.models.students import contracts_model, guardians_model, ledger_model, students_model


class Numbers:
    def __init__(self, n: int) -> None:
        self.n, self.fetches = n, 0

    def count(self) -> int:
        return self.n

    def fetch(self, offset: int, limit: int) -> Sequence[int]:
        self.fetches += 1
        return list(range(offset, min(offset + limit, self.n)))


def test_lazy_model_loads_only_the_pages_it_shows(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    source = Numbers(50_000)
    model: PagedTableModel[int] = PagedTableModel(
        [Column("n", str), Column("n²", lambda i: str(i * i))], page_size=100
    )
    model.set_source(source)
    assert model.rowCount() == 50_000 and source.fetches == 0
    assert model.index(49_999, 1).data() == str(49_999 * 49_999)
    assert source.fetches == 1
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_students_model(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    actor, db = ctx.require_actor(), ctx.db
    model = students_model(page_size=4)
    model.set_source(
        FunctionSource[StudentHit](
            lambda: count_students(db, actor), lambda o, n: list_students(db, actor, o, n)
        )
    )
    assert model.rowCount() == 6
    assert {model.index(i, 0).data() for i in range(6)} == {"张三", "李四", "王小明", "赵丽", "陈晨", "刘洋"}
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_front_desk_models(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    actor = ctx.require_actor()
    sessions = sessions_model()
    sessions.set_rows(today_sessions(ctx.db, actor, ctx.today()))
    qtmodeltester.check(sessions)  # type: ignore[no-untyped-call]
    roster = RosterModel()
    roster.set_roster(session_roster(ctx.db, actor, seed.session_id))
    roster.mark(0, "present")
    qtmodeltester.check(roster)  # type: ignore[no-untyped-call]


def test_profile_models(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    profile = student_profile(ctx.db, ctx.require_actor(), seed.students["张三"])
    guardians, contracts, ledger = guardians_model(), contracts_model(), ledger_model()
    guardians.set_rows(profile.guardians)
    contracts.set_rows(profile.contracts)
    ledger.set_rows(profile.ledger)
    for model in (guardians, contracts, ledger):
        qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_replace_rows_updates_only_the_changed_rows_in_place(qtbot: QtBot) -> None:
    model: PagedTableModel[tuple[str, int]] = PagedTableModel([Column("k", lambda r: r[0])])
    model.set_rows([("a", 1), ("b", 2), ("c", 3), ("d", 4)])
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, *_: changed.append((first.row(), last.row())))
    with qtbot.assertNotEmitted(model.modelReset):
        model.replace_rows([("a", 1), ("b", 20), ("c", 30), ("d", 4)], key=lambda r: r[0])
    assert changed == [(1, 2)]
    assert model.row_at(2) == ("c", 30)
    with qtbot.waitSignal(model.modelReset):  # other rows: a plain reset
        model.replace_rows([("x", 1)], key=lambda r: r[0])
    assert model.rowCount() == 1


def test_the_roster_says_when_only_an_ended_contract_has_units(qtbot: QtBot) -> None:
    roster = RosterModel()
    roster.set_roster(
        [
            RosterLine("s1", "张三", "K1", True, None, False, Decimal(0), expired=True),
            RosterLine("s2", "李四", "K2", True, None, False, Decimal(0)),
        ]
    )
    warnings = [roster.index(r, 4).data(Qt.ItemDataRole.DisplayRole) for r in range(2)]
    assert warnings == ["合同已到期，不能再扣课时", "课时不足，请续费"]
