"""平台 Platform inbox: notices (review decisions, background checks, new requests, problems) until handled,
refund requests with the working days left to answer (carry out, or refuse with a reason), 消课 disputes
and the 消课 awaiting the parents' confirmation with the time left in the platform's window (answer a
dispute with the roll-call record, or reverse the charge), complaints, reviews and sync problems; one tab
per kind, each row with the action it needs, and a sentence saying what will appear in a tab while it is
empty. The countdowns are repainted every half minute, so they run down between syncs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.codes import InboxStatus
from app.permissions import Permission
from app.services.inbox import acknowledge, carry_out_refund_request, resolve_problem
from app.services.notices import NoticeItem, count_open_notices, list_open_notices, mark_notices_handled
from app.services.refunds import RefundResult
from app.views.confirmations import (
    ConfirmationItem,
    confirmation_key,
    count_confirmations,
    list_confirmations,
)
from app.views.inbox import KINDS, InboxItem, count_inbox, inbox_counts, list_inbox
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.dispute_answer import AnswerDisputeDialog, ReverseChargeDialog
from ui.dialogs.refuse_refund import RefuseRefundDialog
from ui.i18n import tr
from ui.labels import yuan
from ui.messages import info
from ui.models.confirmations import confirmations_model, tick
from ui.models.inbox import inbox_model
from ui.models.paged import Column, FunctionSource, KeyedSource, PagedTableModel
from ui.notices import notice_text, notice_title
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.empty_state import EmptyState
from ui.widgets.roster_view import configure_table
from ui.widgets.spot_checks import SpotChecksTab

REFUND_CHANGES = Changes.of(Entity.REFUND, Entity.CONTRACT, Entity.LEDGER, Entity.SYNC)
HANDLED = Changes.of(Entity.SYNC)
#: the tabs listing 消课 confirmations with their countdown (``app.views.confirmations``)
CONFIRMATION_TABS = ("dispute", "pending")
#: how often the countdowns are repainted (ms)
TICK_MS = 30_000
NOTICES_HANDLED = Changes.of(Entity.NOTICE)
TITLES: dict[str, Callable[[], str]] = {
    "notices": lambda: tr("通知"),
    "refund": lambda: tr("退费申请"),
    "dispute": lambda: tr("消课异议"),
    "pending": lambda: tr("待确认消课"),
    "complaint": lambda: tr("投诉"),
    "review": lambda: tr("评价"),
    "problem": lambda: tr("同步问题"),
}
EMPTY: dict[str, Callable[[], str]] = {
    "notices": lambda: tr(
        "没有未处理的通知。课程审核结果、员工准入查询结果、新的退费申请和同步问题会在这里提醒。"
    ),
    "refund": lambda: tr("没有待答复的退费申请。家长在平台上申请退费后，申请和答复截止日会列在这里。"),
    "dispute": lambda: tr(
        "没有未结的消课异议。家长对某次消课提出异议时会列在这里，并显示平台确认期限的剩余时间。"
    ),
    "pending": lambda: tr("没有待家长确认的消课。点名扣课同步到平台后，会在这里显示家长确认的剩余时间。"),
    "complaint": lambda: tr("没有待处理的投诉。家长通过平台提交的投诉会列在这里。"),
    "review": lambda: tr("还没有新的评价。家长在平台上对课程的评价会列在这里。"),
    "problem": lambda: tr("没有同步问题。平台拒绝或与平台冲突的本机变更会列在这里。"),
}


def notices_model() -> PagedTableModel[NoticeItem]:
    columns: list[Column[NoticeItem]] = [
        Column(tr("时间"), lambda n: n.created_at.astimezone().strftime("%m-%d %H:%M")),
        Column(tr("类型"), notice_title),
        Column(tr("内容"), notice_text, tooltip=notice_text),
    ]
    return PagedTableModel(columns)


@dataclass
class Tab:
    kind: str
    model: PagedTableModel[Any]
    view: QTableView
    buttons: dict[str, QPushButton]

    def selected(self) -> Any:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None


class InboxPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tabs = QTabWidget()
        kinds = (
            "notices",
            "refund",
            "dispute",
            "pending",
            *(k for k in KINDS if k not in ("refund", "dispute")),
        )
        self.by_kind: dict[str, Tab] = {kind: self._tab(kind) for kind in kinds}
        self.spot_checks: SpotChecksTab | None = None
        if ctx.may(Permission.MANAGE_COURSES):  # answering needs the course's materials
            self.spot_checks = SpotChecksTab(ctx, self.tabs)
            self.tabs.addTab(self.spot_checks, self.spot_checks.title(0))
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.tabs)

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.SYNC, Entity.REFUND, Entity.CONTRACT, Entity.NOTICE, Entity.COURSE)

    def tab_keys(self) -> list[str]:
        return list(self.by_kind)

    def _tab(self, kind: str) -> Tab:
        page = QWidget()
        view = QTableView()
        configure_table(view)
        model: PagedTableModel[Any]
        if kind == "notices":
            model = notices_model()
        elif kind in CONFIRMATION_TABS:
            model = confirmations_model(kind, self.ctx.now)
        else:
            model = inbox_model(kind)
        view.setModel(model)
        tab = Tab(kind, model, view, self._buttons(kind))
        view.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons(tab))
        model.loaded.connect(lambda: self._update_buttons(tab))
        bar = QHBoxLayout()
        bar.addStretch(1)
        for button in tab.buttons.values():
            bar.addWidget(button)
        layout = QVBoxLayout(page)
        layout.addWidget(EmptyState(view, EMPTY[kind]()))
        layout.addLayout(bar)
        self.tabs.addTab(page, TITLES[kind]())
        self._update_buttons(tab)
        return tab

    def _buttons(self, kind: str) -> dict[str, QPushButton]:
        found: dict[str, QPushButton] = {}
        if kind == "refund" and self.ctx.may(Permission.REFUND):
            found["refund"] = QPushButton(tr("同意并退费"))
            found["refund"].setToolTip(tr("按合同剩余课时和实际单价退费，退费记录同步到平台"))
            found["refund"].clicked.connect(lambda: self.carry_out(self.by_kind["refund"].selected()))
            found["refuse"] = QPushButton(tr("拒绝…"))
            found["refuse"].setToolTip(tr("写明理由拒绝退费申请，下次同步时发送给平台"))
            found["refuse"].clicked.connect(lambda: self.open_refuse(self.by_kind["refund"].selected()))
        if kind == "notices":
            found["read"] = QPushButton(tr("标记已处理"))
            found["read"].clicked.connect(lambda: self.mark_read(self.by_kind["notices"].selected()))
            found["read_all"] = QPushButton(tr("全部标记已处理"))
            found["read_all"].clicked.connect(self.mark_all_read)
            return found
        if kind == "dispute":
            found["answer"] = QPushButton(tr("用点名记录答复…"))
            found["answer"].setToolTip(tr("把这节课的点名记录（点名人、时间、班级名单）发给家长"))
            found["answer"].clicked.connect(lambda: self.open_answer(self.by_kind["dispute"].selected()))
            found["answer"].setVisible(self.ctx.may(Permission.ROLL_CALL))
            found["reverse"] = QPushButton(tr("撤销扣课…"))
            found["reverse"].setToolTip(tr("课时和金额退回合同，平台不再划拨这节课的资金"))
            found["reverse"].clicked.connect(lambda: self.open_reverse(self.by_kind["dispute"].selected()))
            found["reverse"].setVisible(self.ctx.may(Permission.CORRECT_LEDGER))
        if kind == "pending":
            return found
        if kind == "problem":
            found["resolve"] = QPushButton(tr("标记已解决"))
            found["resolve"].clicked.connect(lambda: self.resolve(self.by_kind["problem"].selected()))
        else:
            found["acknowledge"] = QPushButton(tr("标记已处理"))
            found["acknowledge"].clicked.connect(lambda: self.acknowledge(self.by_kind[kind].selected()))
        return found

    def _update_buttons(self, tab: Tab) -> None:
        item = tab.selected()
        for name, button in tab.buttons.items():
            if name == "read_all":
                button.setEnabled(tab.model.rowCount() > 0)
                continue
            button.setEnabled(item is not None and self._allowed(name, item))

    @staticmethod
    def _allowed(name: str, item: Any) -> bool:
        if name == "refuse":
            return bool(item.status == InboxStatus.REQUESTED)
        if name == "answer":
            return isinstance(item, ConfirmationItem) and item.needs_answer
        if name == "reverse":
            return isinstance(item, ConfirmationItem) and item.answer_decision != "reverse"
        return True

    def tick(self) -> None:
        """Time has passed: the countdowns run down (no reload, no sync needed)."""
        for kind in CONFIRMATION_TABS:
            tick(self.by_kind[kind].model)

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        for kind, tab in self.by_kind.items():
            tab.model.set_source(self._source(kind))
        Op(
            lambda: {
                "notices": count_open_notices(db, actor),
                **inbox_counts(db, actor),
                "pending": count_confirmations(db, actor, "pending"),
            }
        ).success(self._show_counts).run()
        if self.spot_checks is not None:
            self.spot_checks.refresh()

    def _source(self, kind: str) -> FunctionSource[Any] | KeyedSource[Any]:
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        if kind == "notices":
            return FunctionSource(
                lambda: count_open_notices(db, actor),
                lambda offset, limit: list_open_notices(db, actor, offset, limit),
            )
        if kind in CONFIRMATION_TABS:
            return KeyedSource(
                lambda: count_confirmations(db, actor, kind),
                lambda at, limit: list_confirmations(
                    db, actor, kind, at.offset, limit, after=at.after, before=at.before
                ),
                confirmation_key(kind),
            )
        return FunctionSource(
            lambda: count_inbox(db, actor, kind),
            lambda offset, limit: list_inbox(db, actor, kind, offset, limit, today),
        )

    def _show_counts(self, counts: dict[str, int]) -> None:
        for index, kind in enumerate(self.by_kind):
            n = counts.get(kind, 0)
            title = TITLES[kind]()
            self.tabs.setTabText(index, tr("{title}（{n}）", title=title, n=n) if n else title)

    # --- actions ---------------------------------------------------------------------------------------
    def carry_out(self, item: InboxItem | None) -> None:
        if item is None:
            return
        db, actor = self.ctx.db, self.ctx.require_actor()
        op = Op(lambda: carry_out_refund_request(db, actor, item.item_id))
        op.success(self._refunded).announce(REFUND_CHANGES).run()

    def open_refuse(self, item: InboxItem | None) -> RefuseRefundDialog | None:
        if item is None or item.status != InboxStatus.REQUESTED:
            return None
        dialog = RefuseRefundDialog(self.ctx, item, self)
        dialog.open()
        return dialog

    def open_answer(self, item: ConfirmationItem | None) -> AnswerDisputeDialog | None:
        if item is None or not item.needs_answer:
            return None
        dialog = AnswerDisputeDialog(self.ctx, item, self)
        dialog.open()
        return dialog

    def open_reverse(self, item: ConfirmationItem | None) -> ReverseChargeDialog | None:
        if item is None:
            return None
        dialog = ReverseChargeDialog(self.ctx, item, self)
        dialog.open()
        return dialog

    def _refunded(self, result: RefundResult) -> None:
        info(
            tr(
                "已退费 {amount}（{units} 课时）",
                amount=yuan(result.amount_fen),
                units=f"{result.units.normalize():f}",
            )
        )

    def acknowledge(self, item: InboxItem | None) -> None:
        if item is None or item.entity is None:
            return
        db, actor, entity, eid = self.ctx.db, self.ctx.require_actor(), item.entity, item.item_id
        Op(lambda: acknowledge(db, actor, entity, eid)).announce(HANDLED).run()

    def resolve(self, item: InboxItem | None) -> None:
        if item is None:
            return
        db, actor, pid = self.ctx.db, self.ctx.require_actor(), item.item_id
        Op(lambda: resolve_problem(db, actor, pid)).announce(HANDLED).run()

    def mark_read(self, notice: NoticeItem | None) -> None:
        if notice is None:
            return
        db, actor, nid = self.ctx.db, self.ctx.require_actor(), notice.id
        Op(lambda: mark_notices_handled(db, actor, [nid])).announce(NOTICES_HANDLED).run()

    def mark_all_read(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: mark_notices_handled(db, actor)).announce(NOTICES_HANDLED).run()

    # --- navigation ------------------------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        """A tab by its kind (``refund`` …), the open refund request ``item_id`` in its tab, or
        ``dispute:<confirmation id>`` in the disputes' tab."""
        if item_id in self.by_kind:
            self.tabs.setCurrentIndex(self.tab_keys().index(item_id))
            return
        if item_id == "spot_check" and self.spot_checks is not None:
            self.tabs.setCurrentWidget(self.spot_checks)
            return
        kind, _, key = item_id.rpartition(":")
        kind = kind if kind in self.by_kind else "refund"
        tab = self.by_kind[kind]
        self.tabs.setCurrentIndex(self.tab_keys().index(kind))
        rows = [_key(item) for item in tab.model.loaded_rows()]
        if key in rows:
            tab.view.selectRow(rows.index(key))
        else:
            self._select_when_loaded(tab, key)

    def _select_when_loaded(self, tab: Tab, item_id: str) -> None:
        """Select ``item_id`` once its page has arrived (the count comes first, the rows after it)."""
        signals = (tab.model.loaded, tab.model.dataChanged)

        def select(*_args: object) -> None:
            rows = [_key(item) for item in tab.model.loaded_rows()]
            if item_id in rows:
                tab.view.selectRow(rows.index(item_id))
            if item_id in rows or len(rows) >= tab.model.rowCount() > 0:
                for signal in signals:
                    signal.disconnect(select)

        for signal in signals:
            signal.connect(select)
        tab.model.row_at(0)  # the first page (nearest deadlines first) is asked for now
        select()  # it may have arrived at once


def _key(item: Any) -> str:
    return str(item.confirmation_id if isinstance(item, ConfirmationItem) else item.item_id)
