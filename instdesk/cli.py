"""``instdesk``: the command line entry point; it parses arguments and wires the parts together.

Subcommands live in small modules (``instdesk.cli_*``), each with ``register(subparsers)``;
``COMMAND_GROUPS`` lists them, so adding a command group is one import and one entry. ``gui`` imports
Qt only inside its handler, so the other commands never load it. Expected
failures (``InstDeskError``: bad input, a rule, a permission, a storage problem; and the file system's
``OSError``) print one Chinese line to stderr and exit 1 — never a traceback; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from app.errors import InstDeskError
from app.logging_setup import configure_logging
from app.paths import default_db_path
from instdesk import (
    cli_backup,
    cli_data,
    cli_desk,
    cli_disputes,
    cli_evaluation,
    cli_gui,
    cli_inbox,
    cli_lessons,
    cli_materials,
    cli_owed,
    cli_setup,
    cli_sync,
)
from instdesk.cli_common import Context
from localdb.errors import StorageError as LocalStorageError

#: the command groups, each a module with ``register(subparsers)``. A handler is either
#: ``set_defaults(handler=fn(args, context))`` or ``set_defaults(func=fn(args))`` (``gui``, ``sync``).
COMMAND_GROUPS: tuple[ModuleType, ...] = (
    cli_setup,
    cli_data,
    cli_desk,
    cli_lessons,
    cli_inbox,
    cli_disputes,
    cli_owed,
    cli_backup,
    cli_evaluation,
    cli_materials,
    cli_gui,
    cli_sync,
)
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="instdesk", description="InstDesk 机构工作台（命令行）")
    parser.add_argument("--db", default=str(default_db_path()), help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--user", help="以该本机用户身份执行（密码取自 INSTDESK_PASSWORD 或提示输入）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def _run(args: argparse.Namespace, context: Context) -> int:
    if getattr(args, "handler", None):
        return int(args.handler(args, context))
    return int(args.func(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 success, 1 expected failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:  # no command: open the desktop app
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "gui"])
    if not getattr(args, "handler", None) and not getattr(args, "func", None):
        parser.print_help()
        return 2
    configure_logging()
    context = Context(args)
    try:
        return _run(args, context)
    except InstDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    except LocalStorageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the file system refused (permissions, a full disk): not a bug of ours
        log.warning("command failed on the file system: %s", exc)
        print(f"错误：无法读写文件 {exc.filename or ''}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    finally:
        context.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
