"""消课 confirmations and disputes with the time left in the platform's window.

The countdown column reads the clock each time it is painted (``countdown_text``), so a table refreshed by
a timer (``tick``) runs down without a sync: 剩 2 天 5 小时 → 今日到期 → 已自动确认.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.codes import AnswerState, ConfirmationStatus, DisputeDecision
from app.rules.confirmation_window import PLATFORM_TZ, Countdown, countdown, window_end
from app.views.confirmations import ConfirmationItem
from ui.i18n import tr
from ui.labels import Labels, label, yuan
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel

Clock = Callable[[], datetime]

CONFIRMATION_STATUS: Labels[ConfirmationStatus] = {
    ConfirmationStatus.PENDING: lambda: tr("待家长确认"),
    ConfirmationStatus.DISPUTED: lambda: tr("家长有异议"),
    ConfirmationStatus.ANSWERED: lambda: tr("已答复，待家长回应"),
    ConfirmationStatus.ESCALATED: lambda: tr("已转监管部门"),
    ConfirmationStatus.CONFIRMED: lambda: tr("家长已确认"),
    ConfirmationStatus.AUTO_CONFIRMED: lambda: tr("逾期自动确认"),
    ConfirmationStatus.REVERSED: lambda: tr("已撤销扣课"),
    ConfirmationStatus.CANCELLED: lambda: tr("已撤回"),
}
ANSWER_STATE: Labels[AnswerState] = {
    AnswerState.PENDING: lambda: tr("答复待同步"),
    AnswerState.SENT: lambda: tr("平台已收到答复"),
    AnswerState.CONFLICT: lambda: tr("答复未生效"),
    AnswerState.FAILED: lambda: tr("答复被平台退回"),
}
DECISIONS: Labels[DisputeDecision] = {
    DisputeDecision.ROLL_CALL: lambda: tr("点名记录"),
    DisputeDecision.REVERSE: lambda: tr("撤销扣课"),
}


def describe_countdown(left: Countdown | None) -> str:
    if left is None:
        return ""
    if left.phase == "closed":
        return tr("已自动确认") if left.outcome == "auto_confirmed" else tr("已转监管部门")
    if left.phase == "due_today":
        return tr("今日到期")
    if left.days == 0:
        return tr("剩 {hours} 小时", hours=left.hours)
    return tr("剩 {days} 天 {hours} 小时", days=left.days, hours=left.hours)


def countdown_text(item: ConfirmationItem, now: datetime) -> str:
    """The time left in the item's window as of ``now`` (empty when none runs: escalated)."""
    return describe_countdown(countdown(item.status, item.deadline, now))


def status_text(item: ConfirmationItem) -> str:
    status = label(CONFIRMATION_STATUS, item.status)
    if item.answer_state and item.status == "disputed":
        decision = label(DECISIONS, item.answer_decision)
        return tr(
            "{status}（{decision}：{state}）",
            status=status,
            decision=decision,
            state=label(ANSWER_STATE, item.answer_state),
        )
    return status


def deadline_text(item: ConfirmationItem) -> str:
    """The instant the platform's window closes, Beijing time (the day before is the last day)."""
    if item.deadline is None:
        return ""
    return f"{window_end(item.deadline).astimezone(PLATFORM_TZ):%Y-%m-%d %H:%M}"


def answer_tip(item: ConfirmationItem) -> str:
    """Why an answer did not take effect, in words (never the platform's code or the raw error)."""
    if item.answer_state == "conflict":
        return tr(
            "平台收到答复时，这节课已是“{status}”",
            status=label(CONFIRMATION_STATUS, item.answer_server_status),
        )
    if item.answer_state == "failed":
        return tr("平台拒绝了这条答复，可重新答复")
    return ""


def _lesson(item: ConfirmationItem) -> str:
    day = f"{item.lesson_date:%Y-%m-%d}" if item.lesson_date else ""
    return f"{day} {item.lesson_time}" if item.lesson_time else day


def _reason(item: ConfirmationItem) -> str:
    return "　".join(text for text in (item.reason, item.parent_reply) if text)


def confirmations_model(which: str, clock: Clock, page_size: int = 100) -> PagedTableModel[ConfirmationItem]:
    """The table of ``which`` (``pending`` or ``dispute``); ``clock`` gives the time its countdown uses."""

    def left(item: ConfirmationItem) -> str:
        return countdown_text(item, clock())

    def urgent(item: ConfirmationItem) -> str | None:
        running = countdown(item.status, item.deadline, clock())
        return WARN if running is not None and running.urgent else None

    columns: list[Column[ConfirmationItem]] = [
        Column(tr("学员"), lambda i: i.student_name or ""),
        Column(tr("课程"), lambda i: i.course_name or ""),
        Column(tr("上课时间"), _lesson),
        Column(tr("消课金额"), lambda i: yuan(i.amount_fen) if i.amount_fen is not None else ""),
        Column(tr("确认截止"), deadline_text),
        Column(tr("剩余时间"), left, foreground=urgent),
    ]
    if which == "dispute":
        columns += [
            Column(tr("状态"), status_text, tooltip=answer_tip, foreground=_answer_warn),
            Column(tr("异议内容"), _reason, tooltip=_reason),
        ]
    return PagedTableModel(columns, page_size=page_size)


def _answer_warn(item: ConfirmationItem) -> str | None:
    return WARN if item.answer_state in ("conflict", "failed") else None


#: the column the timer repaints
COUNTDOWN_COLUMN = 5


def tick(model: PagedTableModel[ConfirmationItem], column: int = COUNTDOWN_COLUMN) -> None:
    """Repaint the countdown column (time has passed; nothing was reloaded)."""
    rows = model.rowCount()
    if rows:
        model.dataChanged.emit(model.index(0, column), model.index(rows - 1, column))
