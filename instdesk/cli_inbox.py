"""The platform inbox from the shell: ``inbox list``, ``inbox refund-agree``, ``inbox refund-refuse``.

Answers are local first: agreeing books the refund (its row carries the request to the platform), refusing
stores the refusal; both reach the platform with the next ``instdesk sync``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.money import format_fen
from instdesk.cli_common import Context, add_parser, out

if TYPE_CHECKING:
    from app.views.inbox import AnswerItem, InboxItem

    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

KIND_LABELS = {"refund": "退费申请", "dispute": "消课异议", "complaint": "投诉", "review": "评价",
               "problem": "同步问题"}  # fmt: skip
STATUS_LABELS = {
    "requested": "待答复", "agreed": "已同意", "auto_agreed": "逾期视为同意", "rejected": "已拒绝",
    "disputed": "家长有异议", "open": "待处理", "conflict": "冲突",
}  # fmt: skip
ANSWER_LABELS = {"pending": "待同步", "sent": "平台已收到", "conflict": "未生效（平台已处理）",
                 "failed": "未生效（平台拒绝）"}  # fmt: skip
SHOWN_PER_KIND = 200


def register(sub: Sub) -> None:
    group = sub.add_parser("inbox", help="平台消息：退费申请、消课异议、投诉、评价、同步问题")
    actions = group.add_subparsers(dest="inbox_command", metavar="ACTION")
    p = add_parser(actions, "list", _list, "列出待处理的平台消息和尚未生效的退费答复")
    p.add_argument("--kind", choices=[*KIND_LABELS, "all"], default="all", help="只列出一类（默认全部）")
    p = add_parser(
        actions, "refund-agree", _agree, "同意并退费：按未消课时 × 实际单价退费，同步后平台视为同意"
    )
    p.add_argument("request", help="退费申请 id（inbox list 的第一列）")
    p = add_parser(actions, "refund-refuse", _refuse, "拒绝退费申请（须写明理由，家长可见），下次同步时发送")
    p.add_argument("request", help="退费申请 id（inbox list 的第一列）")
    p.add_argument("--reason", required=True, help="拒绝理由")


def _days_left(item: InboxItem) -> str:
    if item.days_left is None:
        return "—"
    if item.days_left > 0:
        return f"剩 {item.days_left} 个工作日"
    return "今天到期" if item.days_left == 0 else "已逾期"


def _status(item: InboxItem) -> str:
    text = STATUS_LABELS.get(item.status or "", item.status or "—")
    if item.answer_state in ("conflict", "failed"):
        text += f"（拒绝{ANSWER_LABELS[item.answer_state]}）"
    return text


def _line(item: InboxItem) -> None:
    amount = f"{format_fen(item.amount_fen)} 元" if item.amount_fen is not None else "—"
    if item.kind == "refund":
        out(
            item.item_id,
            KIND_LABELS[item.kind],
            _status(item),
            item.student_name or "—",
            item.contract_no or "—",
            amount,
            _days_left(item),
            item.summary or "—",
        )
    else:
        out(
            item.item_id,
            KIND_LABELS[item.kind],
            _status(item),
            item.student_name or item.course_name or "—",
            amount,
            item.summary or "—",
        )


def _answer(answer: AnswerItem) -> None:
    server = (
        f"平台状态：{STATUS_LABELS.get(answer.server_status, answer.server_status)}"
        if answer.server_status
        else ""
    )
    detail = answer.last_error if answer.state != "pending" else ""
    out(
        answer.request_id,
        "拒绝" if answer.decision == "reject" else "同意",
        ANSWER_LABELS[answer.state],
        answer.reason,
        server or detail or "—",
    )


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from app.clock import local_today
    from app.views.inbox import KINDS, count_inbox, list_inbox, refund_answers

    db, actor, today = ctx.db(), ctx.actor(), local_today()
    kinds = KINDS if args.kind == "all" else (args.kind,)
    total = 0
    for kind in kinds:
        n = count_inbox(db, actor, kind)
        total += n
        for item in list_inbox(db, actor, kind, 0, SHOWN_PER_KIND, today):
            _line(item)
        if n > SHOWN_PER_KIND:
            print(f"……{KIND_LABELS[kind]}共 {n} 条，只显示前 {SHOWN_PER_KIND} 条")
    if not total:
        print("没有待处理的平台消息")
    if args.kind in ("all", "refund"):
        answers = refund_answers(db, actor)
        if answers:
            print(f"退费答复（{len(answers)} 条待同步或未生效）：")
            for answer in answers:
                _answer(answer)
    return 0


def _agree(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.inbox import carry_out_refund_request

    result = carry_out_refund_request(ctx.db(), ctx.actor(), args.request)
    out(
        result.refund_id,
        f"已同意并退费 {format_fen(result.amount_fen)} 元（{result.units.normalize():f} 课时），"
        "下次同步时平台将记为机构同意",
    )
    return 0


def _refuse(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.inbox import refuse_refund_request

    result = refuse_refund_request(ctx.db(), ctx.actor(), args.request, args.reason)
    out(result.request_id, f"已拒绝退费申请（理由：{result.reason}），将在下次同步时发送给平台")
    return 0
