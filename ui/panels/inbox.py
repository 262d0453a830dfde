"""平台 Platform inbox: refund requests with the working days left to answer (carry out, or refuse with a
reason), 消课 disputes, complaints, reviews and sync problems; one tab per kind, each row with the action it
needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.permissions import Permission
from app.services.inbox import acknowledge, carry_out_refund_request, resolve_problem
from app.services.refunds import RefundResult
from app.views.inbox import KINDS, InboxItem, count_inbox, inbox_counts, list_inbox
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.dialogs.refuse_refund import RefuseRefundDialog
from ui.i18n import tr
from ui.labels import yuan
from ui.messages import info
from ui.models.inbox import inbox_model
from ui.models.paged import FunctionSource, PagedTableModel
from ui.ops import Op
from ui.panels.base import Panel
from ui.widgets.roster_view import configure_table

REFUND_CHANGES = Changes.of(Entity.REFUND, Entity.CONTRACT, Entity.LEDGER, Entity.SYNC)
HANDLED = Changes.of(Entity.SYNC)
TITLES: dict[str, Callable[[], str]] = {
    "refund": lambda: tr("退费申请"),
    "dispute": lambda: tr("消课异议"),
    "complaint": lambda: tr("投诉"),
    "review": lambda: tr("评价"),
    "problem": lambda: tr("同步问题"),
}


@dataclass
class Tab:
    kind: str
    model: PagedTableModel[InboxItem]
    view: QTableView
    buttons: dict[str, QPushButton]

    def selected(self) -> InboxItem | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None


class InboxPanel(Panel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.tabs = QTabWidget()
        self.by_kind: dict[str, Tab] = {kind: self._tab(kind) for kind in KINDS}
        QVBoxLayout(self).addWidget(self.tabs)

    def concerns(self) -> tuple[Entity, ...]:
        return (Entity.SYNC, Entity.REFUND, Entity.CONTRACT)

    def _tab(self, kind: str) -> Tab:
        page = QWidget()
        view = QTableView()
        configure_table(view)
        view.horizontalHeader().setDefaultSectionSize(130)
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
        layout.addWidget(view)
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
            button.setEnabled(item is not None and (name != "refuse" or item.status == "requested"))

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        for kind, tab in self.by_kind.items():
            tab.model.set_source(self._source(kind))
        Op(lambda: inbox_counts(db, actor)).success(self._show_counts).run()

    def _source(self, kind: str) -> FunctionSource[InboxItem]:
        db, actor, today = self.ctx.db, self.ctx.require_actor(), self.ctx.today()
        return FunctionSource(
            lambda: count_inbox(db, actor, kind),
            lambda offset, limit: list_inbox(db, actor, kind, offset, limit, today),
        )

    def _show_counts(self, counts: dict[str, int]) -> None:
        for index, kind in enumerate(KINDS):
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
        if item is None or item.status != "requested":
            return None
        dialog = RefuseRefundDialog(self.ctx, item, self)
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
