"""The platform inbox tables, one column set per kind of item."""

from __future__ import annotations

from app.codes import AnswerState, InboxKind
from app.services.labels import ENTITY_LABELS
from app.views.inbox import InboxItem
from ui.i18n import tr, translate
from ui.labels import label, yuan
from ui.models.codes import INBOX_STATUS, WARN
from ui.models.paged import Column, PagedTableModel


def days_left_text(item: InboxItem) -> str:
    """Working days left before the platform's deadline (silence counts as agreement after it)."""
    days = item.days_left
    if days is None:
        return ""
    if days > 0:
        return tr("剩 {n} 个工作日", n=days)
    return tr("今天到期") if days == 0 else tr("已逾期")


def _urgent(item: InboxItem) -> str | None:
    return WARN if item.days_left is not None and item.days_left <= 1 else None


def _when(item: InboxItem) -> str:
    return item.received_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.received_at else ""


def _amount(item: InboxItem) -> str:
    return yuan(item.amount_fen) if item.amount_fen is not None else ""


def _student(item: InboxItem) -> str:
    return item.student_name or ""


def _entity(item: InboxItem) -> str:
    name = item.entity or ""
    return translate("labels", ENTITY_LABELS.get(name, name))


def _refund_status(item: InboxItem) -> str:
    """The request's status; a refusal of the desk that did not take effect is said too."""
    status = label(INBOX_STATUS, item.status)
    if item.answer_state == AnswerState.CONFLICT:
        return tr("{status}（拒绝未生效）", status=status)
    if item.answer_state == AnswerState.FAILED:
        return tr("{status}（拒绝被平台退回）", status=status)
    return status


def _refund_status_tip(item: InboxItem) -> str:
    return item.answer_note or ""


def _refund_warn(item: InboxItem) -> str | None:
    return WARN if item.answer_state in (AnswerState.CONFLICT, AnswerState.FAILED) else None


def _columns(kind: str) -> list[Column[InboxItem]]:
    status = Column[InboxItem](tr("状态"), lambda i: label(INBOX_STATUS, i.status))
    summary = Column[InboxItem](tr("内容"), lambda i: i.summary, tooltip=lambda i: i.summary)
    received = Column[InboxItem](tr("收到时间"), _when)
    if kind == InboxKind.REFUND:
        return [
            Column(tr("学员"), _student),
            Column(tr("合同编号"), lambda i: i.contract_no or ""),
            Column(tr("课程"), lambda i: i.course_name or ""),
            Column(tr("申请金额"), _amount),
            Column(tr("截止日期"), lambda i: f"{i.deadline:%Y-%m-%d}" if i.deadline else ""),
            Column(tr("剩余时间"), days_left_text, foreground=_urgent),
            Column(tr("状态"), _refund_status, tooltip=_refund_status_tip, foreground=_refund_warn),
            summary,
        ]
    if kind == InboxKind.DISPUTE:
        return [
            Column(tr("学员"), _student),
            Column(tr("课程"), lambda i: i.course_name or ""),
            Column(tr("消课金额"), _amount),
            status,
            received,
            summary,
        ]
    if kind == InboxKind.COMPLAINT:
        return [
            Column(tr("学员"), _student),
            Column(tr("合同编号"), lambda i: i.contract_no or ""),
            received,
            summary,
        ]
    if kind == InboxKind.REVIEW:
        return [Column(tr("课程"), lambda i: i.course_name or ""), received, summary]
    kind_column = Column[InboxItem](tr("类型"), lambda i: label(INBOX_STATUS, i.status))
    reason = Column[InboxItem](tr("原因"), lambda i: i.summary, tooltip=lambda i: i.summary)
    return [kind_column, Column(tr("数据"), _entity), received, reason]


def inbox_model(kind: str, page_size: int = 100) -> PagedTableModel[InboxItem]:
    return PagedTableModel(_columns(kind), page_size=page_size)
