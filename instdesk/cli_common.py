"""What every CLI command shares: the database, who is acting, and argument parsing for dates and money.

Commands act as a local user (``--user NAME``, password from ``INSTDESK_PASSWORD`` or a prompt);
maintenance commands may act as the system. Passwords are never taken from the command line, where
they would land in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.db import Database
from app.dbkey import PLAIN_WARNING, Encryption
from app.errors import InstDeskError, ValidationError
from app.money import parse_yuan
from app.paths import default_db_path
from app.permissions import SYSTEM_ACTOR, Actor

PASSWORD_ENV = "INSTDESK_PASSWORD"
NEW_PASSWORD_ENV = "INSTDESK_NEW_PASSWORD"

InstDeskError.register(
    {
        "cli.need_user": (
            "此命令需要以本机用户身份执行：请加上 --user 用户名"
            "（密码取自环境变量 INSTDESK_PASSWORD 或提示输入）"
        ),
        "cli.bad_date": "日期格式不正确（应为 YYYY-MM-DD）：{text}",
        "cli.bad_units": "课时数不正确：{text}",
        "cli.no_password": "未提供密码：请设置环境变量 {env} 或在提示时输入",
        "cli.no_database": "数据库 {path} 不存在，请先运行 instdesk init 或 instdesk demo",
    }
)

Handler = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """Opens the database lazily (``--db``) and signs the acting user in once."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Database | None = None
        self._actor: Actor | None = None

    @property
    def path(self) -> Path:
        return Path(self.args.db)

    def db(self, *, create: bool = False) -> Database:
        """The ``--db`` database, checked (``PRAGMA quick_check``) as it opens; ``create`` for a new one."""
        if self._db is None:
            if not create and not self.path.exists():
                raise InstDeskError("cli.no_database", path=str(self.path))
            if create or self.path == default_db_path():  # a new database's folder (init asks for one)
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = Database.open(self.path, verify=True)
            warn_if_plain_for_lack_of_keyring(self._db)
        return self._db

    def actor(self, *, system_ok: bool = False) -> Actor:
        """The signed-in ``--user``; the system actor for maintenance commands run without one."""
        if self._actor is None:
            if not self.args.user:
                if not system_ok:
                    raise InstDeskError("cli.need_user")
                return SYSTEM_ACTOR
            from app.services.users import authenticate

            self._actor = authenticate(self.db(), self.args.user, read_password(PASSWORD_ENV, "密码："))
        return self._actor

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def warn_if_plain_for_lack_of_keyring(db: Database) -> None:
    """A new database that could not be encrypted (no usable keyring) says so once, when created."""
    if db.encryption is Encryption.PLAIN_NO_KEYRING:
        print(PLAIN_WARNING, file=sys.stderr)


def read_password(env: str, prompt: str) -> str:
    """From ``env``, else a hidden prompt on a terminal, else one line of standard input (scripts)."""
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InstDeskError("cli.no_password", env=env)
    return line


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError("cli.bad_date", text=text) from None


def parse_units(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValidationError("cli.bad_units", text=text) from None
    if not value.is_finite() or value < 0:
        raise ValidationError("cli.bad_units", text=text)
    return value


def yuan_arg(text: str) -> int:
    """An amount in 元 as typed (``5000``, ``¥5,000.00``) → fen; negatives and fractions of a 分 refused."""
    return parse_yuan(text)


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, handler: Handler, help_text: str
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.set_defaults(handler=handler)
    return parser


def out(*parts: object) -> None:
    """One tab-separated output line (the first field is the id where there is one, for scripts)."""
    print("\t".join(str(p) for p in parts))
