"""平台 inbox: a refund request with its working days left, carried out and gone; complaints, reviews,
disputes acknowledged; sync problems resolved; the front desk sees the inbox but cannot refund."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.permissions import Actor
from app.views.inbox import InboxItem, count_inbox, list_inbox
from app.workcal import add_working_days
from localdb.models import Contract, Refund, SyncProblem
from localdb.models_platform import RefundAnswer
from sync.inbox import inbox_params, store_inbox
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.refuse_refund import RefuseRefundDialog
from ui.messages import Message
from ui.models.inbox import inbox_model
from ui.models.paged import FunctionSource
from ui.panels.inbox import InboxPanel


def _store(seed: Seed, entity: str, entity_id: str, payload: dict[str, Any]) -> None:
    """What the sync engine stores when a pulled page carries platform-only rows."""
    with seed.db.transaction() as session:
        store_inbox(session.connection(), [inbox_params(entity, entity_id, 1, False, payload)])


def _contract_of(seed: Seed, name: str) -> str:
    with seed.db.reading() as session:
        return str(session.scalar(select(Contract.id).where(Contract.student_id == seed.students[name])))


def _fill(seed: Seed, ctx: AppContext) -> None:
    today = ctx.today()
    _store(seed, "refund_request", "rr-1", {
        "id": "rr-1", "contract_id": _contract_of(seed, "张三"), "units": "10", "amount_fen": 120000,
        "status": "requested", "reason": "孩子转学", "requested_on": today.isoformat(),
        "deadline": add_working_days(today, 5).isoformat(),
    })  # fmt: skip
    complaint = {"id": "cp-1", "subject": "上课时间", "text": "老师迟到", "status": "open"}
    _store(seed, "complaint", "cp-1", {**complaint, "contract_id": _contract_of(seed, "李四")})
    _store(seed, "review", "rv-1", {"id": "rv-1", "course_id": seed.course_id, "rating": 5, "text": "很好"})
    dispute = {
        "id": "cc-1",
        "attendance_id": "a-1",
        "amount_fen": 12000,
        "status": "disputed",
        "reason": "没有上课",
    }
    _store(seed, "consumption_confirmation", "cc-1", dispute)
    with seed.db.transaction() as session:
        session.add(
            SyncProblem(entity="course", entity_id=seed.course_id, kind="rejected", reason="版本冲突")
        )


def _panel(qtbot: QtBot, ctx: AppContext, seed: Seed) -> InboxPanel:
    _fill(seed, ctx)
    panel = InboxPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def test_refund_request_shows_days_left_and_is_carried_out(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    ctx.actor = seed.manager
    panel = _panel(qtbot, ctx, seed)
    tab = panel.by_kind["refund"]
    assert panel.tabs.tabText(1) == "退费申请（1）"
    assert tab.model.rowCount() == 1
    assert [tab.model.index(0, c).data() for c in (0, 3, 5, 6)] == [
        "张三",
        "1,200.00 元",
        "剩 5 个工作日",
        "待答复",
    ]
    assert not tab.buttons["refund"].isEnabled()
    tab.view.selectRow(0)
    tab.buttons["refund"].click()
    assert tab.model.rowCount() == 0 and panel.tabs.tabText(1) == "退费申请"
    assert [m.text for m in shown] == ["已退费 1,200.00 元（10 课时）"]
    with seed.db.reading() as session:
        refund = session.scalars(select(Refund)).one()
        assert refund.platform_request_id == "rr-1" and refund.source == "platform"


def test_complaints_reviews_disputes_and_problems_are_handled(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    ctx.actor = seed.manager
    panel = _panel(qtbot, ctx, seed)
    expected = {"complaint": ("李四", "上课时间：老师迟到"), "review": ("少儿美术", "★★★★★：很好")}
    for kind, (first, summary) in expected.items():
        tab = panel.by_kind[kind]
        assert tab.model.index(0, 0).data() == first
        assert tab.model.index(0, tab.model.columnCount() - 1).data() == summary
        tab.view.selectRow(0)
        tab.buttons["acknowledge"].click()
        assert tab.model.rowCount() == 0
    disputes = panel.by_kind["dispute"]
    assert disputes.model.index(0, 6).data() == "家长有异议"
    disputes.view.selectRow(0)
    disputes.buttons["acknowledge"].click()
    assert disputes.model.rowCount() == 0
    problems = panel.by_kind["problem"]
    assert [problems.model.index(0, c).data() for c in (0, 1, 3)] == ["已拒绝", "课程", "版本冲突"]
    problems.view.selectRow(0)
    problems.buttons["resolve"].click()
    assert problems.model.rowCount() == 0
    titles = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert titles == [
        "通知",
        "退费申请（1）",
        "消课异议",
        "待确认消课",
        "投诉",
        "评价",
        "同步问题",
        "材料抽查",
    ]


def test_front_desk_sees_the_inbox_but_cannot_refund(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    panel = _panel(qtbot, ctx, seed)  # ctx is signed in as the front desk
    tab = panel.by_kind["refund"]
    assert tab.model.rowCount() == 1 and "acknowledge" in tab.buttons
    assert "refund" not in tab.buttons and "refuse" not in tab.buttons


def test_refund_request_is_refused_with_a_reason(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    ctx.actor = seed.manager
    panel = _panel(qtbot, ctx, seed)
    tab = panel.by_kind["refund"]
    assert not tab.buttons["refuse"].isEnabled()
    tab.view.selectRow(0)
    assert tab.buttons["refuse"].isEnabled()
    tab.buttons["refuse"].click()
    dialog = panel.findChild(RefuseRefundDialog)
    assert dialog is not None and dialog.isVisible()
    assert "张三" in dialog.about.text() and "1,200.00 元" in dialog.about.text()
    assert not dialog.ok.isEnabled()  # no reason yet
    dialog.reason.setPlainText("   ")
    assert not dialog.ok.isEnabled()
    dialog.reason.setPlainText("课程已过半，按合同不予退费")
    dialog.ok.click()
    assert not dialog.isVisible()
    assert [m.text for m in shown] == ["已拒绝退费申请，将在下次同步时发送给平台"]
    assert tab.model.rowCount() == 0 and panel.tabs.tabText(1) == "退费申请"
    with seed.db.reading() as session:
        answer = session.get(RefundAnswer, "rr-1")
        assert answer is not None and (answer.reason, answer.state) == (
            "课程已过半，按合同不予退费",
            "pending",
        )


def test_a_refusal_the_platform_did_not_take_is_shown(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    ctx.actor = seed.manager
    _fill(seed, ctx)
    today = ctx.today()
    _store(seed, "refund_request", "rr-1", {
        "id": "rr-1", "contract_id": _contract_of(seed, "张三"), "units": "10", "amount_fen": 120000,
        "status": "auto_agreed", "reason": "孩子转学", "requested_on": today.isoformat(),
        "deadline": today.isoformat(),
    })  # fmt: skip
    with seed.db.transaction() as session:
        late = RefundAnswer(request_id="rr-1", decision="reject", reason="不退", state="conflict")
        late.server_status, late.last_error = "auto_agreed", "平台上已是 auto_agreed"
        session.add(late)
    panel = InboxPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    tab = panel.by_kind["refund"]
    assert tab.model.index(0, 6).data() == "逾期视为同意（拒绝未生效）"
    tab.view.selectRow(0)
    assert tab.buttons["refund"].isEnabled() and not tab.buttons["refuse"].isEnabled()


def _page(db: Database, actor: Actor, kind: str, today: date, offset: int, limit: int) -> list[InboxItem]:
    return list_inbox(db, actor, kind, offset, limit, today)


def test_inbox_models(qtmodeltester: ModelTester, ctx: AppContext, seed: Seed) -> None:
    _fill(seed, ctx)
    db, actor, today = seed.db, seed.manager, ctx.today()
    for kind in ("refund", "complaint", "review", "dispute", "problem"):
        model = inbox_model(kind, page_size=1)
        model.set_source(
            FunctionSource(partial(count_inbox, db, actor, kind), partial(_page, db, actor, kind, today))
        )
        assert model.rowCount() == 1
        qtmodeltester.check(model)  # type: ignore[no-untyped-call]
