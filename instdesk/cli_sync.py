"""Sync commands of the ``instdesk`` CLI: login, logout, sync, sync-status, and ``check --server``.

``instdesk.cli`` calls ``register(subparsers)``; ``check_server(args)`` is the handler ``instdesk check``
uses when given ``--server``. Passwords come from stdin (when piped) or a prompt, never argv.
"""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from app.db import Database
from app.errors import InstDeskError
from app.paths import default_db_path
from sync.check import compare
from sync.engine import SyncEngine
from sync.push import pending_count
from sync.status import SyncStatus


def _db(args: argparse.Namespace) -> Database:
    path = getattr(args, "db", None) or default_db_path()
    return Database.open(Path(path))


def _password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False) or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("密码: ")


def _fail(exc: InstDeskError) -> int:
    print(str(exc), file=sys.stderr)
    return 2


def cmd_login(args: argparse.Namespace) -> int:
    db = _db(args)
    try:
        engine = SyncEngine(db, args.server)
        device = engine.login(args.uscc, _password(args), args.device_name)
        print(f"已登录,设备编号 {device}。运行 instdesk sync 下载机构数据。")
        return 0
    except InstDeskError as exc:
        return _fail(exc)
    finally:
        db.close()


def cmd_logout(args: argparse.Namespace) -> int:
    db = _db(args)
    try:
        SyncEngine(db).logout()
        print("已退出登录,本机登录凭据已删除。")
        return 0
    except InstDeskError as exc:
        return _fail(exc)
    finally:
        db.close()


def _print_report(engine: SyncEngine) -> None:
    s = engine.status.snapshot()
    print(f"同步完成:待上传 {s.pending_ops},同步问题 {s.problems}")
    if s.clock_skewed:
        print(f"警告:本机时钟与平台相差 {s.clock_skew_seconds:.0f} 秒,请校准系统时间。")


def cmd_sync(args: argparse.Namespace) -> int:
    db = _db(args)
    engine = SyncEngine(db)
    try:
        if args.once:
            report = engine.sync_once()
            print(
                f"上传 {report.pushed} 条,下载 {report.pulled + report.snapshot_rows} 条,"
                f"用时 {report.seconds:.1f} 秒"
            )
            if report.resent:
                print(f"监管平台曾从备份恢复,已重新上传平台缺少的 {report.resent} 条记录。")
            _print_report(engine)
            return 0
        stop = threading.Event()

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        engine.status.subscribe(_echo)
        engine.run(stop, interval=args.interval)
        return 0
    except InstDeskError as exc:
        return _fail(exc)
    finally:
        engine.close()
        db.close()


def _echo(status: SyncStatus) -> None:
    if status.last_error and not status.running:
        print(f"同步失败:{status.last_error}", file=sys.stderr)


LOGIN_LABELS = {
    "logged_in": "已登录",
    "expired": "登录已失效,请运行 instdesk login 重新登录",
    "logged_out": "未登录",
}


def cmd_sync_status(args: argparse.Namespace) -> int:
    db = _db(args)
    try:
        engine = SyncEngine(db)
        data = engine.status.snapshot().as_dict()
        stored = engine._state()  # persisted by the process that synced last
        data.update(
            last_success=stored.get("last_success"),
            last_error=stored.get("last_error"),
            server_url=stored.get("server_url"),
            uscc=stored.get("uscc"),
        )
        try:
            login = engine.login_state()
        except InstDeskError as exc:  # no usable keyring: say so, the rest of the status still shows
            login = "expired"
            data["keyring_error"] = str(exc)
        data.update(login=login, logged_in=login == "logged_in", login_expired=login == "expired")
        if args.json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            print(
                f"平台: {data['server_url'] or '未设置'}  机构: {data['uscc'] or '-'}"
                f"  登录: {LOGIN_LABELS[login]}"
            )
            print(f"待上传: {data['pending_ops']}  同步问题: {data['problems']}")
            print(f"上次成功: {data['last_success'] or '从未'}  上次错误: {data['last_error'] or '无'}")
        return 0
    finally:
        db.close()


def check_server(args: argparse.Namespace) -> int:
    """Sync, then compare local and server totals and row counts; exit 1 when they differ."""
    db = _db(args)
    engine = SyncEngine(db)
    try:
        engine.sync_once()
        with db.reading() as session:
            pending = pending_count(session.connection())
        diffs = compare(db, engine.api())
        for d in diffs:
            print(f"不一致 {d.what}: 本机 {d.local} / 平台 {d.server}")
        if pending:
            print(f"注意:仍有 {pending} 条修改未上传。")
        print("本机与平台一致。" if not diffs else f"共 {len(diffs)} 处不一致。")
        return 1 if diffs else 0
    except InstDeskError as exc:
        return _fail(exc)
    finally:
        engine.close()
        db.close()


def _with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    if not any(a.dest == "db" for a in parser._actions):
        parser.add_argument(
            "--db", type=Path, default=argparse.SUPPRESS, help="数据库文件(默认在用户数据目录)"
        )
    return parser


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add login, logout, sync and sync-status to the ``instdesk`` command."""
    p = _with_db(subparsers.add_parser("login", help="登录监管平台(新前台登录后首次同步下载机构数据)"))
    p.add_argument("--server", required=True, help="平台地址,如 https://platform.example.cn")
    p.add_argument("--uscc", required=True, help="统一社会信用代码")
    p.add_argument("--device-name", default=None, help="本机名称(默认主机名)")
    p.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    p.set_defaults(func=cmd_login)
    p = _with_db(subparsers.add_parser("logout", help="退出登录并删除本机凭据"))
    p.set_defaults(func=cmd_logout)
    p = _with_db(subparsers.add_parser("sync", help="与监管平台同步"))
    p.add_argument("--once", action="store_true", help="只同步一次")
    p.add_argument("--interval", type=float, default=30.0, help="持续同步的间隔秒数")
    p.set_defaults(func=cmd_sync)
    p = _with_db(subparsers.add_parser("sync-status", help="显示同步状态"))
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_sync_status)
