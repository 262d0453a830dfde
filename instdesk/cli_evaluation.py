"""``instdesk evaluation``: the 机构内部管理评价 for scripts — a period, optionally compared with another,
by teacher or by class, printed as tab-separated lines or written to ``.xlsx``/``.csv``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.errors import ValidationError
from app.views.evaluation import evaluate_compared
from app.views.evaluation_export import columns, export_evaluation, table_rows
from instdesk.cli_common import Context, add_parser, out, parse_date

#: the command line's words for the groupings
BY_ARGS = {"teacher": "teacher", "class": "klass"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_parser(sub, "evaluation", _evaluation, "机构内部管理评价（按教师或班级；可与另一时段对比）")
    p.add_argument("--from", dest="date_from", required=True, help="开始日期 YYYY-MM-DD（含）")
    p.add_argument("--to", dest="date_to", required=True, help="结束日期 YYYY-MM-DD（含）")
    p.add_argument("--compare-from", dest="compare_from", help="对比时段开始日期")
    p.add_argument("--compare-to", dest="compare_to", help="对比时段结束日期")
    p.add_argument("--by", choices=tuple(BY_ARGS), default="teacher", help="按教师（teacher）或班级（class）")
    p.add_argument("--out", help="写入 .xlsx 或 .csv 文件（按扩展名）；不给则输出到屏幕")


def _other(args: argparse.Namespace) -> tuple[date, date] | None:
    if args.compare_from is None and args.compare_to is None:
        return None
    if args.compare_from is None or args.compare_to is None:
        raise ValidationError("evaluation.compare_both")
    return parse_date(args.compare_from), parse_date(args.compare_to)


def _evaluation(args: argparse.Namespace, ctx: Context) -> int:
    db, actor = ctx.db(), ctx.actor(system_ok=not args.out)  # a file written is an export: a user
    period = parse_date(args.date_from), parse_date(args.date_to)
    comparison = evaluate_compared(db, actor, BY_ARGS[args.by], period, _other(args))
    if args.out:
        count = export_evaluation(db, actor, comparison, Path(args.out))
        print(f"已导出 {count} 行到 {args.out}")
        return 0
    out(*(c.name for c in columns(comparison.current.by, comparison.compared)))
    for values in table_rows(comparison):
        out(*("" if v is None else v for v in values))
    return 0
