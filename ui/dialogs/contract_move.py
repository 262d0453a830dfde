"""转班, 停课 and 复课 of one contract (``app.services.contracts``): what will happen is said before the
user confirms, and a refusal (a full class, a paused contract) appears under the field it concerns."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from app.errors import InstDeskError
from app.services.contracts import ContractMove, pause_contract, resume_contract, transfer_class
from app.views.enroll_choices import EnrollChoices, enroll_choices
from app.views.students import ContractLine
from ui.changes import Changes, Entity
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import tr
from ui.messages import info
from ui.ops import Op
from ui.widgets.field_errors import FieldErrors

MOVE_CHANGES = Changes.of(Entity.CONTRACT, Entity.KLASS, Entity.STUDENT)
TITLES = {"transfer": lambda: tr("转班"), "pause": lambda: tr("停课"), "resume": lambda: tr("复课")}


class ContractMoveDialog(QDialog):
    """``kind`` is 'transfer', 'pause' or 'resume'."""

    def __init__(self, ctx: AppContext, line: ContractLine, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.line, self.kind = ctx, line, kind
        self.moved: ContractMove | None = None
        self.setWindowTitle(tr("{action}：{contract}", action=TITLES[kind](), contract=line.contract_no))
        self.errors = FieldErrors()
        self.klass = QComboBox()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("如：生病、外出（选填）"))
        self.explain = QLabel(self._explanation())
        self.explain.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(TITLES[kind](), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("合同"), QLabel(f"{line.contract_no}　{line.course_name}　{line.klass_name or ''}"))
        if kind in ("transfer", "resume"):
            self.errors.add_row(form, tr("班级"), "klass", self.klass)
        else:
            self.errors.add_row(form, tr("原因"), "reason", self.reason)
        form.addRow(self.explain)
        form.addRow(self.buttons)
        self.klass.currentIndexChanged.connect(lambda _i: self.check())
        if kind != "pause":
            self._load_classes()
        self.check()

    def _explanation(self) -> str:
        if self.kind == "transfer":
            return tr("转到同一课程的另一个班级：剩余课时和金额不变，从今天起在新班级点名。")
        if self.kind == "pause":
            return tr("停课后学员离开班级，不再点名扣课时，剩余课时保留；复课时合同有效期顺延停课的天数。")
        since, end = self.line.paused_since, self.line.end_date
        days = (self.ctx.today() - since).days if since else 0
        if end is None or not days:
            return tr("复课：学员回到班级，从今天起点名。")
        return tr(
            "已停课 {days} 天，复课后合同有效期顺延至 {end}。",
            days=days,
            end=(end + timedelta(days=days)).isoformat(),
        )

    def _load_classes(self) -> None:
        db, actor = self.ctx.db, self.ctx.require_actor()
        Op(lambda: enroll_choices(db, actor)).success(self._fill).run()

    def _fill(self, choices: EnrollChoices) -> None:
        self.klass.clear()
        for klass in choices.classes:
            if klass.course_id != self.line.course_id:
                continue
            if self.kind == "transfer" and klass.klass_id == self.line.klass_id:
                continue
            self.klass.addItem(klass.name, klass.klass_id)
        if self.kind == "resume" and self.line.klass_id:
            self.klass.setCurrentIndex(max(self.klass.findData(self.line.klass_id), 0))
        self.check()

    def check(self, extra: dict[str, str] | None = None) -> None:
        found = dict(extra or {})
        if self.kind == "transfer" and self.klass.currentData() is None:
            found.setdefault("klass", tr("本课程没有其他班级可转"))
        self.errors.show([], lambda _v: "klass", found)
        self.confirm.setEnabled(not found and self.moved is None)

    def submit(self) -> None:
        if not self.confirm.isEnabled():
            return
        db, actor, cid = self.ctx.db, self.ctx.require_actor(), self.line.contract_id
        klass, reason = self.klass.currentData(), self.reason.text()
        if self.kind == "transfer":
            op: Op[ContractMove] = Op(lambda: transfer_class(db, actor, cid, str(klass)))
        elif self.kind == "pause":
            op = Op(lambda: pause_contract(db, actor, cid, reason))
        else:
            op = Op(lambda: resume_contract(db, actor, cid, str(klass) if klass else None))
        op.success(self._moved).failure(self._refused).announce(MOVE_CHANGES).run()

    def _moved(self, moved: ContractMove) -> None:
        self.moved = moved
        info(tr("{action}已办理：{contract}", action=TITLES[self.kind](), contract=self.line.contract_no))
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, InstDeskError):
            from ui.messages import show_exception

            show_exception(exc)
            return
        self.check({"klass" if self.kind != "pause" else "reason": error_text(exc)})
