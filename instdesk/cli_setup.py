"""Setting up and looking after a database: ``init``, ``demo``, ``demo-data``, ``check``, ``user add``."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta

from app.db import Database
from app.demo.generator import GenerationSummary, generate
from app.money import format_fen
from app.permissions import SYSTEM_ACTOR, Role
from app.reports.queries import SHANGHAI
from app.reports.stats import Stats, statistics
from instdesk.cli_common import NEW_PASSWORD_ENV, PASSWORD_ENV, Context, add_parser, out, read_password
from localdb import summaries
from localdb.invariants import InvariantReport, check_all

DEMO_STUDENTS = 300
DEMO_SEED = 2026
DEMO_ADMIN = ("admin", "instdesk-demo")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_parser(sub, "init", _init, "创建数据库、机构信息、本机前台编号和第一个管理员")
    p.add_argument("--name", required=True, help="机构名称")
    p.add_argument("--uscc", required=True, help="统一社会信用代码（18位）")
    p.add_argument("--desk", help="本机前台编号（1–8位大写字母或数字，收据和合同编号的前缀）")
    p.add_argument(
        "--admin", default="admin", help="第一个管理员的用户名（密码取自 INSTDESK_PASSWORD 或提示输入）"
    )
    add_parser(sub, "demo", _demo, "若数据库不存在则生成演示数据，并显示概况")
    p = add_parser(sub, "demo-data", _demo_data, "生成确定性的演示数据（新数据库）")
    p.add_argument("--students", type=int, default=DEMO_STUDENTS, help="学员人数")
    p.add_argument("--seed", type=int, default=DEMO_SEED, help="随机种子（相同种子生成相同数据）")
    p.add_argument("--until", help="数据截止到此日期之前的最后一个完整月份（默认今天），YYYY-MM-DD")
    p = add_parser(sub, "check", _check, "检查数据一致性（余额、冲正、同步队列、触发器）")
    p.add_argument("--server", action="store_true", help="同步后再与平台核对合计与行数（见 instdesk sync）")
    p.add_argument(
        "--rebuild-summaries", action="store_true", help="先按流水和考勤重建统计汇总表（汇总只是缓存）"
    )
    user = sub.add_parser("user", help="本机用户").add_subparsers(dest="user_command", metavar="ACTION")
    p = add_parser(
        user, "add", _user_add, "添加本机用户（由管理员执行；新密码取自 INSTDESK_NEW_PASSWORD 或提示输入）"
    )
    p.add_argument("username")
    p.add_argument(
        "--role",
        required=True,
        choices=[r.value for r in Role],
        help="front_desk 前台 / manager 管理 / stats 统计",
    )
    p.add_argument("--display", default="", help="显示名称")
    p = add_parser(
        user,
        "bootstrap",
        _user_bootstrap,
        "本机还没有用户时（如经 instdesk login 加入的前台）创建第一个管理员"
        "（密码取自 INSTDESK_NEW_PASSWORD 或提示输入）",
    )
    p.add_argument("username")
    p.add_argument("--display", default="", help="显示名称")
    add_parser(user, "list", _user_list, "列出本机用户（管理员执行）")
    p = add_parser(
        user,
        "reset-password",
        _user_reset,
        "管理员重设用户密码（新密码取自 INSTDESK_NEW_PASSWORD 或提示输入）",
    )
    p.add_argument("username")
    p = add_parser(user, "disable", _user_disable, "停用用户的登录")
    p.add_argument("username")
    p = add_parser(user, "enable", _user_enable, "恢复用户的登录")
    p.add_argument("username")


def _init(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.institution import init_institution
    from app.services.users import bootstrap_admin
    from app.validators import validate_uscc

    validate_uscc(args.uscc)  # before anything is created on disk
    db = ctx.db(create=True)
    info = init_institution(db, args.name, args.uscc, args.desk)
    user = bootstrap_admin(db, args.admin, read_password(PASSWORD_ENV, "管理员密码："))
    out(info.institution_id, f"机构已创建：{info.name}（前台编号 {info.desk_code}）")
    out(user.user_id, f"管理员：{user.username}")
    return 0


def _demo_data(args: argparse.Namespace, ctx: Context) -> int:
    until = date.fromisoformat(args.until) if args.until else None
    summary = generate(ctx.path, args.students, args.seed, until=until)
    _print_summary(summary)
    return 0


def _print_summary(summary: GenerationSummary) -> None:
    print(f"机构：{summary.institution}")
    print(f"数据区间：{summary.date_from} 至 {summary.date_to}（种子 {summary.seed}）")
    for table, count in summary.counts.items():
        print(f"  {table}: {count}")
    print(f"同步队列：{summary.outbox_ops} 条；用时 {summary.seconds} 秒（CPU {summary.cpu_seconds} 秒）")


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    if not _has_institution(ctx):
        summary = generate(ctx.path, DEMO_STUDENTS, DEMO_SEED)
        from app.services.users import bootstrap_admin

        bootstrap_admin(ctx.db(), *DEMO_ADMIN)
        from app.demo.pay_after import add_learn_first

        add_learn_first(ctx.db(), SYSTEM_ACTOR, datetime.now(SHANGHAI).date())
        print(f"已生成演示数据库：{ctx.path}（管理员 {DEMO_ADMIN[0]}，密码 {DEMO_ADMIN[1]}）")
        _print_summary(summary)
    db = ctx.db()
    _print_overview(db)
    return 0


def _has_institution(ctx: Context) -> bool:
    if not ctx.path.exists():
        return False
    from sqlalchemy import text

    with ctx.db().connection() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM institution")).scalar())


def _print_overview(db: Database) -> None:
    from app.search import count_students
    from app.services.institution import get_institution

    info = get_institution(db)
    print(f"机构：{info.name}（统一社会信用代码 {info.uscc}，前台编号 {info.desk_code}）")
    print(f"学员：{count_students(db, SYSTEM_ACTOR)} 人")
    today = datetime.now(SHANGHAI).date()  # the desk's calendar day, not the machine's UTC day
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    _print_stats("本月", statistics(db, SYSTEM_ACTOR, first, today))
    _print_stats("上月", statistics(db, SYSTEM_ACTOR, last_month, first - timedelta(days=1)))


def _print_stats(title: str, stats: Stats) -> None:
    f = stats.total
    rate = "—" if f.attendance_rate is None else f"{f.attendance_rate * 100:.2f}%"
    print(
        f"{title}（{stats.date_from} 至 {stats.date_to}）：上课 {f.lessons_held} 次，出勤率 {rate}，"
        f"消课 {f.consumed_units} 课时 / {format_fen(f.consumed_fen)} 元，"
        f"收款 {format_fen(f.payments_fen)} 元，"
        f"退费 {format_fen(f.refunds_fen)} 元，预收余额 {format_fen(f.prepaid_outstanding_fen)} 元，"
        f"先学后付课费 {format_fen(f.pay_after_fen)} 元（已收 {format_fen(f.pay_after_paid_fen)} 元）"
    )


def _check(args: argparse.Namespace, ctx: Context) -> int:
    if args.server:
        from instdesk.cli_sync import check_server  # the sync engine only for this option

        return int(check_server(args))
    damage = _integrity_lines(ctx.db())
    if damage:  # the consistency checks below would read damaged pages
        print("\n".join(damage))
        return 1
    if args.rebuild_summaries:
        with ctx.db().immediate() as conn:
            summaries.rebuild(conn)
        print("统计汇总已按流水和考勤重建。")
    with ctx.db().connection() as conn:
        report = check_all(conn)
    for line in report_lines(report):
        print(line)
    return 0 if report.ok else 1


def _integrity_lines(db: Database) -> list[str]:
    """What SQLite's integrity check (run when the database opened) found, with how to restore."""
    db.integrity.wait()
    if not db.integrity.problems:
        return []
    lines = ["检查未通过：数据库文件已损坏（SQLite 完整性检查）："]
    lines += [f"  {line}" for problem in db.integrity.problems for line in problem.splitlines()]
    lines.append(
        "请关闭 InstDesk，用最近的备份替换该文件（instdesk restore 备份文件，或把备份复制为该文件）。"
    )
    return lines


def report_lines(report: InvariantReport) -> list[str]:
    """The invariant report in plain Chinese; overdrawn contracts are balances to settle, not failures."""
    lines = ["检查通过：数据一致。" if report.ok else "检查未通过："]
    for r in report.bad_reversals:
        lines.append(
            f"  冲正记录 {r.entry_id} 指向 {r.reverses_id}：{_REVERSAL_PROBLEMS.get(r.problem, r.problem)}"
        )
    for u in report.uncaptured:
        lines.append(f"  {u.entity} {u.entity_id} 的变更没有进入同步队列")
    t = report.triggers
    for label, names in (
        ("缺少触发器", t.missing),
        ("多余触发器", t.unexpected),
        ("触发器与模型不一致", t.different),
    ):
        if names:
            lines.append(f"  {label}：{', '.join(names)}")
    if t.capture_off:
        lines.append("  变更捕获处于关闭状态")
    for m in report.summary_mismatches:
        lines.append(
            f"  统计汇总 {m.table} {'/'.join(m.key)}：记录为 {m.stored}，按流水重算应为 {m.expected}"
            "（可运行 instdesk check --rebuild-summaries 重建）"
        )
    if report.overdrawn:
        lines.append(
            "待结清余额（多个前台离线消课造成，需与家长结清，不属于数据错误）："
            f"{len(report.overdrawn)} 份合同"
        )
        lines += [
            f"  合同 {o.contract_id}：剩余 {o.units_left} 课时，{format_fen(o.fen_left)} 元"
            for o in report.overdrawn
        ]
    return lines


_REVERSAL_PROBLEMS = {
    "missing": "被冲正的记录不存在",
    "other_contract": "被冲正的记录属于另一份合同",
    "not_opposite": "冲正金额或课时与原记录不相抵",
    "reversed_twice": "同一记录被冲正了两次",
}


def _user_add(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.users import create_user

    actor = ctx.actor()
    password = read_password(NEW_PASSWORD_ENV, "新用户密码：")
    user = create_user(ctx.db(), actor, args.username, password, args.role, args.display)
    out(user.user_id, f"已添加用户 {user.username}（{user.role.value}）")
    return 0


def _user_bootstrap(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.users import bootstrap_admin

    password = read_password(NEW_PASSWORD_ENV, "管理员密码：")
    user = bootstrap_admin(ctx.db(), args.username, password, args.display, need_institution=True)
    out(user.user_id, f"已创建第一个管理员 {user.username}")
    return 0


def _user_list(args: argparse.Namespace, ctx: Context) -> int:
    from app.permissions import ROLE_LABELS
    from app.services.users import list_users

    for user in list_users(ctx.db(), ctx.actor()):
        state = "启用" if user.active else "已停用"
        out(user.user_id, user.username, user.display_name, ROLE_LABELS[user.role], state)
    return 0


def _user_id(ctx: Context, username: str) -> str:
    from app.errors import NotFound
    from app.services.users import list_users

    found = next((u for u in list_users(ctx.db(), ctx.actor()) if u.username == username), None)
    if found is None:
        raise NotFound("not_found", entity="app_user", entity_id=username, entity_label="用户")
    return found.user_id


def _user_reset(args: argparse.Namespace, ctx: Context) -> int:
    from app.services.users import reset_password

    user_id = _user_id(ctx, args.username)
    user = reset_password(ctx.db(), ctx.actor(), user_id, read_password(NEW_PASSWORD_ENV, "新密码："))
    out(user.user_id, f"已重设 {user.username} 的密码")
    return 0


def _set_active(args: argparse.Namespace, ctx: Context, active: bool) -> int:
    from app.services.users import set_active

    user = set_active(ctx.db(), ctx.actor(), _user_id(ctx, args.username), active)
    out(user.user_id, f"{'已恢复' if active else '已停用'} {user.username} 的登录")
    return 0


def _user_disable(args: argparse.Namespace, ctx: Context) -> int:
    return _set_active(args, ctx, False)


def _user_enable(args: argparse.Namespace, ctx: Context) -> int:
    return _set_active(args, ctx, True)
