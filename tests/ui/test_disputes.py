"""平台 → 消课异议 / 待确认消课 and 今日, driven like a user: each open confirmation and dispute with the time
left in the platform's window (running down on a timer without a sync), a dispute answered with the
roll-call record shown first, the charge reversed by a manager, and the disputes due today on 今日."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.rules.confirmation_window import PLATFORM_TZ
from app.services.rollcall import roll_call
from localdb.balances import contract_balance
from localdb.ids import attendance_id
from localdb.models import Contract
from localdb.models_platform import DisputeAnswer
from sync.inbox import inbox_params, store_inbox
from tests.ui.seed import Seed
from ui.context import AppContext
from ui.dialogs.dispute_answer import AnswerDisputeDialog, ReverseChargeDialog
from ui.messages import Message
from ui.panels.inbox import InboxPanel
from ui.panels.today import TodayPanel

#: 2026-12-03 10:00 Shanghai; the window of the seeded items ends 2026-12-06 00:00 Shanghai
NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
DEADLINE = "2026-12-06"


class Clock:
    def __init__(self) -> None:
        self.at = NOW

    def __call__(self) -> datetime:
        return self.at


def _store(seed: Seed, conf_id: str, student: str, status: str) -> str:
    att = attendance_id(seed.session_id, seed.students[student])
    payload: dict[str, Any] = {
        "id": conf_id,
        "attendance_id": att,
        "amount_fen": 12000,
        "status": status,
        "deadline": DEADLINE,
        "reason": "孩子那天请假没有去上课" if status == "disputed" else None,
    }
    with seed.db.transaction() as session:
        store_inbox(
            session.connection(), [inbox_params("consumption_confirmation", conf_id, 1, False, payload)]
        )
    return att


def _setup(seed: Seed, ctx: AppContext) -> Clock:
    roll_call(
        seed.db,
        seed.manager,
        seed.session_id,
        {seed.students["张三"]: "present", seed.students["李四"]: "late"},
    )
    _store(seed, "cc-1", "张三", "disputed")
    _store(seed, "cc-2", "李四", "pending")
    clock = Clock()
    ctx.now = clock
    return clock


def _panel(qtbot: QtBot, ctx: AppContext) -> InboxPanel:
    panel = InboxPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.activated()
    return panel


def _row(panel: InboxPanel, kind: str) -> list[str]:
    model = panel.by_kind[kind].model
    return [model.index(0, c).data() for c in range(model.columnCount())]


def test_countdowns_run_down_without_a_sync(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    clock = _setup(seed, ctx)
    panel = _panel(qtbot, ctx)
    titles = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert titles[:4] == ["通知", "退费申请", "消课异议（1）", "待确认消课（1）"]
    dispute = _row(panel, "dispute")
    assert dispute[0] == "张三" and dispute[1] == "少儿美术" and dispute[3] == "120.00 元"
    assert dispute[4:7] == ["2026-12-06 00:00", "剩 2 天 14 小时", "家长有异议"]
    assert dispute[7] == "孩子那天请假没有去上课"
    assert _row(panel, "pending")[0] == "李四" and _row(panel, "pending")[5] == "剩 2 天 14 小时"
    clock.at = datetime(2026, 12, 5, 9, 0, tzinfo=PLATFORM_TZ)  # the last day
    with qtbot.waitSignal(panel.by_kind["dispute"].model.dataChanged):
        panel.timer.timeout.emit()
    assert _row(panel, "dispute")[5] == "今日到期" and _row(panel, "pending")[5] == "今日到期"
    clock.at = datetime(2026, 12, 6, 0, 0, tzinfo=PLATFORM_TZ)  # exactly the window's end
    panel.tick()
    assert _row(panel, "dispute")[5] == "已转监管部门" and _row(panel, "pending")[5] == "已自动确认"
    shown = [panel.by_kind["pending"].model.index(0, c).data() for c in range(6)]
    assert not any(code in " ".join(shown) for code in ("pending", "disputed", "auto_confirmed"))


def test_front_desk_answers_with_the_roll_call_record(
    qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]
) -> None:
    _setup(seed, ctx)
    panel = _panel(qtbot, ctx)  # signed in as the front desk
    panel.show_item("dispute")
    tab = panel.by_kind["dispute"]
    assert tab.buttons["answer"].isVisible() and not tab.buttons["reverse"].isVisible()
    assert not tab.buttons["answer"].isEnabled()
    tab.view.selectRow(0)
    assert tab.buttons["answer"].isEnabled()
    tab.buttons["answer"].click()
    dialog = panel.findChild(AnswerDisputeDialog)
    assert dialog is not None and dialog.isVisible()
    assert "张三" in dialog.about.text() and "剩 2 天 14 小时" in dialog.about.text()
    assert "美术周末班" in dialog.record_text.text() and "管理员" in dialog.record_text.text()
    assert "出勤" in dialog.record_text.text()
    cells = [[dialog.class_list.item(r, c) for c in (0, 1)] for r in range(2)]
    names = {name.text(): status.text() for name, status in cells if name is not None and status is not None}
    assert names == {"张三": "出勤", "李*": "迟到"}
    dialog.note.setPlainText("孩子当天 18:02 到课，点名记录如上")
    dialog.ok.click()
    assert not dialog.isVisible()
    assert [m.text for m in shown] == ["已保存答复，将在下次同步时发送给平台"]
    assert _row(panel, "dispute")[6] == "家长有异议（点名记录：答复待同步）"
    tab.view.selectRow(0)
    assert not tab.buttons["answer"].isEnabled()
    with seed.db.reading() as session:
        answer = session.get(DisputeAnswer, "cc-1")
        assert answer is not None and answer.decision == "roll_call" and answer.state == "pending"


def test_manager_reverses_the_charge(qtbot: QtBot, ctx: AppContext, seed: Seed, shown: list[Message]) -> None:
    _setup(seed, ctx)
    ctx.actor = seed.manager
    with seed.db.reading() as session:
        contract = session.query(Contract).filter_by(student_id=seed.students["张三"]).one().id
        before = contract_balance(session, contract).units_left
    panel = _panel(qtbot, ctx)
    tab = panel.by_kind["dispute"]
    tab.view.selectRow(0)
    tab.buttons["reverse"].click()
    dialog = panel.findChild(ReverseChargeDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.note.setPlainText("核实后当天确实请假")
    dialog.ok.click()
    assert [m.text for m in shown] == ["已撤销扣课，课时已退回合同；将在下次同步时通知平台"]
    with seed.db.reading() as session:
        assert contract_balance(session, contract).units_left == before + Decimal(1)
    assert _row(panel, "dispute")[6] == "家长有异议（撤销扣课：答复待同步）"
    tab.view.selectRow(0)
    assert not tab.buttons["reverse"].isEnabled() and not tab.buttons["answer"].isEnabled()


def test_today_shows_the_disputes_due_today(qtbot: QtBot, ctx: AppContext, seed: Seed) -> None:
    clock = _setup(seed, ctx)
    clock.at = datetime(2026, 12, 5, 20, 30, tzinfo=PLATFORM_TZ)
    ctx.actor = seed.manager
    panel = TodayPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.overview is not None)
    model = panel.disputes.model
    assert model.rowCount() == 1
    assert [model.index(0, c).data() for c in (0, 1, 3, 4)] == ["张三", "少儿美术", "120.00 元", "今日到期"]
    with qtbot.waitSignal(panel.navigate) as opened:
        panel.disputes.view.clicked.emit(model.index(0, 0))
    assert opened.args == ["platform", "dispute:cc-1"]
    clock.at += timedelta(days=1)
    panel.refresh()
    qtbot.waitUntil(lambda: panel.disputes.model.rowCount() == 0)


def test_an_answer_the_platform_did_not_take_says_why_in_words(
    qtbot: QtBot, ctx: AppContext, seed: Seed
) -> None:
    _setup(seed, ctx)
    with seed.db.transaction() as session:
        late = DisputeAnswer(
            confirmation_id="cc-1", attendance_id="a", decision="roll_call", state="conflict"
        )
        late.server_status, late.last_error = "escalated", "sync.state_conflict: escalated"
        session.add(late)
    panel = _panel(qtbot, ctx)
    model = panel.by_kind["dispute"].model
    assert model.index(0, 6).data() == "家长有异议（点名记录：答复未生效）"
    assert model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == "平台收到答复时，这节课已是“已转监管部门”"
