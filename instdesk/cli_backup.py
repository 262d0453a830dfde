"""Backups, restore and encryption of the local database: ``backup``, ``restore``, ``encrypt``."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.backup import backup_dir, default_backup_dir, list_backups, make_backup, restore
from app.db import Database
from app.encrypt import encrypt_database
from app.errors import InstDeskError
from instdesk.cli_common import Context, add_parser

InstDeskError.register({"cli.restore_no_database": "数据库 {path} 不存在"})


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_parser(sub, "backup", _backup, "备份数据库（在线一致备份，写完即校验；保留 7 天 + 4 周）")
    p.add_argument("--to", help="备份文件夹（默认：设置中选定的文件夹，或数据库旁的 backups/）")
    p.add_argument("--list", action="store_true", help="只列出已有的备份")
    p = add_parser(sub, "restore", _restore, "从备份文件恢复数据库（先校验备份；当前数据库改名保留）")
    p.add_argument("file", help="备份文件")
    add_parser(sub, "encrypt", _encrypt, "把未加密的数据库就地加密（SQLCipher，密钥保存在系统密钥环）")


def _backup(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db()
    directory = Path(args.to) if args.to else backup_dir(db)
    if args.list:
        for item in list_backups(directory, ctx.path):
            print(f"{item.path}\t{item.taken_at:%Y-%m-%d %H:%M:%S} UTC\t{format_bytes(item.size)}")
        return 0
    made = make_backup(db, directory)
    print(f"{made.path}\t已备份并校验（{format_bytes(made.size)}）")
    return 0


def _restore(args: argparse.Namespace, ctx: Context) -> int:
    result = restore(ctx.path, Path(args.file))
    print(f"已从 {result.restored_from} 恢复到 {ctx.path}")
    print(f"原数据库已改名保留为 {result.aside}")
    if result.materials_restored:
        print(f"已恢复 {result.materials_restored} 个培训材料文件")
    if result.materials_missing:
        missing = len(result.materials_missing)
        print(f"警告：备份文件夹中缺少 {missing} 个培训材料文件，请从平台重新下载或重新添加")
    print("请运行 instdesk sync 与平台同步：未确认的变更会重新发送。")
    return 0


def _encrypt(args: argparse.Namespace, ctx: Context) -> int:
    if not ctx.path.exists():
        raise InstDeskError("cli.restore_no_database", path=str(ctx.path))
    folders = [default_backup_dir(ctx.path)]
    chosen = _chosen_backup_dir(ctx.path)
    if chosen is not None and chosen not in folders:
        folders.append(chosen)
    result = encrypt_database(ctx.path, folders)
    print(f"已加密 {result.path}（密钥保存在系统密钥环中）")
    for path in result.backups:
        print(f"已加密备份 {path}")
    return 0


def _chosen_backup_dir(path: Path) -> Path | None:
    """The backup folder chosen in 设置, read before the file is swapped (the database is closed after)."""
    db = Database.open(path, migrate=False)
    try:
        return backup_dir(db)
    finally:
        db.close()


def format_bytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
