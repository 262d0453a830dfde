"""The manager's timetable changes from the shell: one-off lessons, cancel, move (调课), substitute (代课),
and the holiday-skipping confirmation of ``schedule add``. Each calls the same use case as the 排课 screen."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from app.errors import RuleViolation
from instdesk.cli_common import Context, add_parser, out, parse_date


def register(group: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``lesson``, ``cancel``, ``move`` and ``substitute`` to the ``schedule`` group."""
    p = add_parser(group, "lesson", _lesson, "加一次课（补课、临时加课），与按周排课同样检查")
    p.add_argument("--class", dest="klass", required=True, help="班级 id")
    p.add_argument("--date", required=True, help="日期 YYYY-MM-DD")
    p.add_argument("--start", required=True, help="上课时间 HH:MM")
    p.add_argument("--end", required=True, help="下课时间 HH:MM")
    p.add_argument("--teacher")
    p.add_argument("--room")
    p = add_parser(group, "cancel", _cancel, "取消一次课（须写原因；已点名的课时退回）")
    p.add_argument("session", help="课次 id")
    p.add_argument("--reason", required=True)
    p = add_parser(group, "move", _move, "调课：把一次课改到另一天、时间或教室")
    p.add_argument("session", help="课次 id")
    p.add_argument("--date", required=True, help="新日期 YYYY-MM-DD")
    p.add_argument("--start", required=True, help="上课时间 HH:MM")
    p.add_argument("--end", required=True, help="下课时间 HH:MM")
    p.add_argument("--room", help="新教室 id（默认不变）")
    p = add_parser(group, "substitute", _substitute, "代课：为一次课换教师")
    p.add_argument("session", help="课次 id")
    p.add_argument("--teacher", required=True, help="代课教师（员工 id）")


@contextmanager
def listing_problems() -> Iterator[None]:
    """A refused schedule change prints every problem it found (the error line names only the first)."""
    from app.services.schedule import CLOSED_DAY_CODES

    try:
        yield
    except RuleViolation as exc:
        problems = exc.params.get("problems", ())
        for problem in problems:
            print(f"  {problem.message}", file=sys.stderr)
        if any(p.code in CLOSED_DAY_CODES for p in problems):
            print("  节假日、寒暑假的日期可用 --skip-closed-days 跳过，其余日期照常排课", file=sys.stderr)
        raise


def _lesson(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.schedule import add_session

    with listing_problems():
        result = add_session(
            ctx.db(),
            ctx.actor(),
            args.klass,
            parse_date(args.date),
            args.start,
            args.end,
            args.teacher,
            args.room,
        )
    out(result.session_ids[0], f"已加课 {result.dates[0]} {args.start}–{args.end}")
    return 0


def _cancel(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.lesson_changes import cancel_session

    result = cancel_session(ctx.db(), ctx.actor(), args.session, args.reason)
    out(
        result.session_id,
        f"已取消 {result.day} {result.start}–{result.end}，退回 {len(result.given_back)} 名学员的课时",
    )
    print(
        f"如需补课：instdesk schedule lesson --class {result.klass_id} "
        "--date YYYY-MM-DD --start HH:MM --end HH:MM"
    )
    return 0


def _move(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.lesson_changes import move_session

    with listing_problems():
        move_session(
            ctx.db(), ctx.actor(), args.session, parse_date(args.date), args.start, args.end, args.room
        )
    out(args.session, f"已调课至 {args.date} {args.start}–{args.end}")
    return 0


def _substitute(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.lesson_changes import substitute_teacher

    with listing_problems():
        substitute_teacher(ctx.db(), ctx.actor(), args.session, args.teacher)
    out(args.session, "已更换代课教师")
    return 0
