"""先学后付 from the shell: ``owed join | list | lessons | pay | remind | reverse-dispute``.

A 先学后付 course takes no prepayment: ``owed join`` signs the contract with the agreed price per lesson,
each charged lesson is then owed, and ``owed pay`` takes the money after the lesson (the lessons chosen
with ``--lesson``, else the oldest first) and prints the receipt number. See docs/pay_after.md.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.money import format_fen
from instdesk.cli_common import Context, add_parser, out, parse_date, yuan_arg

if TYPE_CHECKING:
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


def register(sub: Sub) -> None:
    group = sub.add_parser("owed", help="先学后付：报名、欠费、课后收款、催缴提醒")
    actions = group.add_subparsers(dest="owed_command", metavar="ACTION")
    p = add_parser(actions, "join", _join, "报名先学后付课程（不收费；记录每节课单价和付款约定）")
    p.add_argument("--student", required=True, help="学员 id")
    p.add_argument("--course", required=True, help="课程 id（须为先学后付课程）")
    p.add_argument("--class", dest="klass", help="班级 id（报名后加入该班）")
    p.add_argument("--start", required=True, help="开课日期 YYYY-MM-DD")
    p.add_argument("--end", help="合同结束日期 YYYY-MM-DD（可不填）")
    p.add_argument("--price", help="每节课单价（元；默认 课时包价格 ÷ 课时数）")
    p.add_argument("--terms", help="付款约定（默认：每次课后7日内付清）")
    add_parser(actions, "list", _list, "列出欠费的家庭：欠费金额、节数、最早未付的课、已欠天数、上次提醒")
    p = add_parser(actions, "lessons", _lessons, "列出一个学员未付的每节课")
    p.add_argument("student", help="学员 id")
    p = add_parser(actions, "pay", _pay, "课后收款：付所选的课，或从最早的课付起；打印收据号")
    p.add_argument("student", help="学员 id")
    p.add_argument("--amount", required=True, help="付款金额（元）")
    p.add_argument("--method", default="wechat", help="cash / wechat / alipay / bank_card / transfer")
    p.add_argument(
        "--lesson", action="append", default=[], help="只付这节课（owed lessons 的第一列，可重复）"
    )
    p.add_argument("--note", help="备注")
    p = add_parser(actions, "remind", _remind, "打印给家长的催缴提醒，并记下今天已提醒")
    p.add_argument("student", help="学员 id")
    p = add_parser(actions, "reverse-dispute", _reverse, "冲正家长有异议的先学后付课（撤销该生该节课的点名）")
    p.add_argument("attendance", help="考勤 id（平台消息里异议的关联 id）")
    p.add_argument("--reason", required=True, help="冲正原因")


def _join(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.pay_after import PayAfterRequest, enroll_pay_after

    request = PayAfterRequest(
        student_id=args.student,
        course_id=args.course,
        start_date=parse_date(args.start),
        klass_id=args.klass,
        end_date=parse_date(args.end) if args.end else None,
        lesson_price_fen=yuan_arg(args.price) if args.price else None,
        payment_terms=args.terms,
    )
    result = enroll_pay_after(ctx.db(), ctx.actor(), request)
    out(
        result.contract_id,
        f"先学后付合同 {result.contract_no}，每节课 {format_fen(result.lesson_price_fen)} 元，不预收费用",
    )
    return 0


def _list(args: argparse.Namespace, ctx: Context) -> int:
    from app.views.pay_after import owing_families

    families = owing_families(ctx.db(), ctx.actor())
    for f in families:
        reminded = f"{f.reminded_on:%Y-%m-%d} 已提醒" if f.reminded_on else "未提醒"
        out(f.student_id, f.student_name, f.guardian_name or "—", f.guardian_phone or "—",
            f"{format_fen(f.owed_fen)} 元", f"{f.lessons} 节", f"最早 {f.oldest_lesson}",
            f"已欠 {f.days_outstanding} 天", reminded)  # fmt: skip
    if not families:
        print("没有欠费的家庭")
    else:
        print(f"共 {len(families)} 户欠费 {format_fen(sum(f.owed_fen for f in families))} 元")
    return 0


def _lessons(args: argparse.Namespace, ctx: Context) -> int:
    from app.views.pay_after import owed_lessons

    lessons = owed_lessons(ctx.db(), ctx.actor(), args.student)
    for line in lessons:
        out(line.entry_id, line.lesson_date, line.course_name, line.klass_name,
            f"课费 {format_fen(line.amount_fen)} 元", f"已付 {format_fen(line.paid_fen)} 元",
            f"未付 {format_fen(line.owed_fen)} 元")  # fmt: skip
    if not lessons:
        print("该学员没有未付的课")
    return 0


def _pay(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.pay_after import OwedPaymentRequest, pay_owed

    request = OwedPaymentRequest(
        args.student, yuan_arg(args.amount), args.method, tuple(args.lesson), args.note
    )
    result = pay_owed(ctx.db(), ctx.actor(), request)
    out(
        result.payment_id,
        f"收据 {result.receipt_no}，收款 {format_fen(result.amount_fen)} 元，"
        f"付了 {len(result.paid_lessons)} 节课，仍欠 {format_fen(result.still_owed_fen)} 元",
    )
    return 0


def _remind(args: argparse.Namespace, ctx: Context) -> int:
    from app.errors import RuleViolation
    from app.services.pay_after import record_reminder
    from app.views.pay_after import owing_families, reminder_text

    db, actor = ctx.db(), ctx.actor()
    family = next((f for f in owing_families(db, actor) if f.student_id == args.student), None)
    if family is None:
        raise RuleViolation("owed.nothing_owed")
    text = reminder_text(db, family)
    record_reminder(db, actor, family.student_id, text)
    print(text)
    return 0


def _reverse(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.pay_after import reverse_disputed_lesson

    fen = reverse_disputed_lesson(ctx.db(), ctx.actor(), args.attendance, args.reason)
    out(args.attendance, f"已冲正该节课，家长不再欠这 {format_fen(fen)} 元；同步后平台撤回该课的消课确认")
    return 0
