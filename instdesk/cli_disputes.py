"""消课 disputes from the shell: ``disputes list``, ``disputes answer``, ``disputes reverse``.

``list`` shows each open dispute (or, with ``--pending``, each charged lesson awaiting the parent) with the
time left in the platform's confirmation window, computed from the synced deadline as of now. Answers are
local first, like ``inbox refund-refuse``: they reach the platform with the next ``instdesk sync``.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from app.money import format_fen
from instdesk.cli_common import Context, add_parser, out

if TYPE_CHECKING:
    from app.rules.confirmation_window import Countdown
    from app.views.confirmations import ConfirmationItem

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

STATUS_LABELS = {
    "pending": "待家长确认",
    "disputed": "家长有异议",
    "answered": "已答复，待家长回应",
    "escalated": "已转监管部门",
    "reversed": "已撤销扣课",
}
ANSWER_LABELS = {
    "pending": "答复待同步",
    "sent": "平台已收到答复",
    "conflict": "答复未生效（平台已处理）",
    "failed": "答复被平台退回",
}
DECISION_LABELS = {"roll_call": "点名记录", "reverse": "撤销扣课"}
SHOWN = 200


def register(sub: Sub) -> None:
    group = sub.add_parser("disputes", help="消课异议：剩余时间、用点名记录答复、撤销扣课")
    actions = group.add_subparsers(dest="disputes_command", metavar="ACTION")
    p = add_parser(actions, "list", _list, "列出未结的消课异议及平台确认期限的剩余时间")
    p.add_argument("--pending", action="store_true", help="改为列出待家长确认的消课")
    p = add_parser(
        actions, "answer", _answer, "用这节课的点名记录答复异议（点名人、时间、班级名单），下次同步时发送"
    )
    p.add_argument("confirmation", help="消课确认 id（disputes list 的第一列）")
    p.add_argument("--note", default=None, help="补充说明（家长可见）")
    p = add_parser(actions, "reverse", _reverse, "撤销这节课的扣课：课时和金额退回合同，下次同步时通知平台")
    p.add_argument("confirmation", help="消课确认 id（disputes list 的第一列）")
    p.add_argument("--note", default=None, help="说明（家长可见）")


def countdown_label(left: Countdown | None) -> str:
    """The time left as the desk shows it (剩 2 天 5 小时 / 今日到期 / 已自动确认)."""
    if left is None:
        return "—"
    if left.phase == "closed":
        return "已自动确认" if left.outcome == "auto_confirmed" else "已转监管部门"
    if left.phase == "due_today":
        return "今日到期"
    return f"剩 {left.days} 天 {left.hours} 小时" if left.days else f"剩 {left.hours} 小时"


def _line(item: ConfirmationItem, now: datetime) -> None:
    from app.rules.confirmation_window import countdown

    status = STATUS_LABELS.get(item.status or "", item.status or "—")
    if item.answer_state:
        status += (
            f"（{DECISION_LABELS.get(item.answer_decision or '', '')}：{ANSWER_LABELS[item.answer_state]}）"
        )
    amount = f"{format_fen(item.amount_fen)} 元" if item.amount_fen is not None else "—"
    day = item.lesson_date.isoformat() if item.lesson_date else "—"
    deadline = item.deadline.isoformat() if item.deadline else "—"
    left = countdown_label(countdown(item.status, item.deadline, now))
    who, course = item.student_name or "—", item.course_name or "—"
    out(item.confirmation_id, status, who, course, day, amount, deadline, left, item.reason or "—")


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from app.clock import now_utc
    from app.views.confirmations import count_confirmations, list_confirmations

    db, actor, now = ctx.db(), ctx.actor(), now_utc()
    which = "pending" if args.pending else "dispute"
    n = count_confirmations(db, actor, which)
    for item in list_confirmations(db, actor, which, 0, SHOWN):
        _line(item, now)
    if n > SHOWN:
        print(f"……共 {n} 条，只显示前 {SHOWN} 条（截止时间最近的在前）")
    if not n:
        print("没有待家长确认的消课" if args.pending else "没有未结的消课异议")
    return 0


def _answer(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.disputes import answer_with_roll_call

    result = answer_with_roll_call(ctx.db(), ctx.actor(), args.confirmation, args.note)
    record = result.record or {}
    out(
        result.confirmation_id,
        f"已保存答复（{record.get('lesson_date', '')} 点名：{record.get('called_by', '')}，"
        f"班级 {len(record.get('class_list', []))} 人），将在下次同步时发送给平台",
    )
    return 0


def _reverse(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.disputes import reverse_charge

    result = reverse_charge(ctx.db(), ctx.actor(), args.confirmation, args.note)
    out(
        result.confirmation_id,
        result.ledger_entry_id or "",
        "已撤销扣课，课时已退回合同；将在下次同步时通知平台",
    )
    return 0
