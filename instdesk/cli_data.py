"""Data in and out: ``import students``, ``export``, ``stats``."""

from __future__ import annotations

import argparse
import sys

from app.io.export import ALL_KINDS, export
from app.io.importer import import_students
from app.money import format_fen
from app.reports.stats import GroupRow, statistics, stats_to_json
from instdesk.cli_common import Context, add_parser, parse_date


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser("import", help="导入数据").add_subparsers(dest="import_kind", metavar="KIND")
    p = add_parser(
        imp, "students", _import_students, "从 .xlsx 或 .csv 导入学员（先校验全部行，有错则不导入）"
    )
    p.add_argument("file")
    p = add_parser(sub, "export", _export, "导出数据到 .xlsx 或 .csv（按扩展名）")
    p.add_argument(
        "kind", choices=ALL_KINDS, help="students / attendance / consumption / payments / statistics"
    )
    p.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")
    p.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="结束日期 YYYY-MM-DD")
    p = add_parser(sub, "stats", _stats, "统计（按课程、教师、校区）")
    p.add_argument("--from", dest="date_from", required=True, help="开始日期 YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="结束日期 YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="输出 JSON（相同数据逐字节相同）")


def _import_students(args: argparse.Namespace, ctx: Context) -> int:
    report = import_students(ctx.db(), ctx.actor(), args.file)
    for line in report.lines():
        print(line, file=sys.stderr if not report.ok else sys.stdout)
    if not report.ok:
        print(f"错误：{len(report.problems)}处错误，未导入任何学员", file=sys.stderr)
        return 1
    print(f"已导入 {report.imported} 名学员；跳过已存在的 {len(report.skipped)} 名")
    return 0


def _export(args: argparse.Namespace, ctx: Context) -> int:
    start = parse_date(args.date_from) if args.date_from else None
    end = parse_date(args.date_to) if args.date_to else None
    count = export(ctx.db(), ctx.actor(), args.kind, args.out, start, end)
    print(f"已导出 {count} 行到 {args.out}")
    return 0


def _stats(args: argparse.Namespace, ctx: Context) -> int:
    stats = statistics(
        ctx.db(), ctx.actor(system_ok=True), parse_date(args.date_from), parse_date(args.date_to)
    )
    if args.json:
        sys.stdout.write(stats_to_json(stats) + "\n")
        return 0
    print(f"统计区间：{stats.date_from} 至 {stats.date_to}")
    print(_line("合计", "全机构", stats.total))
    for row in stats.groups():
        print(_group_line(row))
    return 0


_DIMENSIONS = {"course": "课程", "teacher": "教师", "campus": "校区"}


def _group_line(row: GroupRow) -> str:
    return _line(_DIMENSIONS[row.dimension], row.label, row.figures)


def _line(dimension: str, name: str, f: object) -> str:
    from app.reports.stats import Figures

    assert isinstance(f, Figures)
    rate = "—" if f.attendance_rate is None else f"{f.attendance_rate * 100:.2f}%"
    return (
        f"{dimension}\t{name}\t上课{f.lessons_held}次\t出勤率{rate}\t消课{f.consumed_units}课时"
        f"\t{format_fen(f.consumed_fen)}元\t收款{format_fen(f.payments_fen)}元\t退费{format_fen(f.refunds_fen)}元"
        f"\t预收余额{format_fen(f.prepaid_outstanding_fen)}元"
        f"\t先学后付课费{format_fen(f.pay_after_fen)}元\t先学后付收款{format_fen(f.pay_after_paid_fen)}元"
    )
