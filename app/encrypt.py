"""``instdesk encrypt``: turn a plain database (and its plain backups) into SQLCipher files in place.

The plain file is copied into a new encrypted file beside it (``sqlcipher_export``), the copy is checked
(``quick_check``, InstDesk's tables, the same row count in every table), and then renamed over the plain
file in one step: a crash leaves either the old plain file or the new encrypted one, never a mix, and no
plain copy stays behind (the WAL is folded in first, so there is no plain ``-wal`` either). The key is the
keyring's (``app/dbkey.py``); without a usable keyring the command refuses and changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from app.backup import list_backups, refuse_if_in_use, verify_database_file
from app.dbkey import require_key
from app.errors import InstDeskError
from localdb.cipher import connect, export_encrypted, is_encrypted_file

InstDeskError.register(
    {
        "encrypt.already": "数据库 {path} 已经加密",
        "encrypt.mismatch": "加密后的副本与原数据库不一致（{table}），未替换原文件",
    }
)


@dataclass
class EncryptResult:
    path: Path
    backups: list[Path] = field(default_factory=list)  # plain backups encrypted too


def encrypt_database(db_path: Path, backup_dirs: list[Path]) -> EncryptResult:
    """Encrypt the closed plain database ``db_path`` in place, then the plain backups of it in
    ``backup_dirs``."""
    if is_encrypted_file(db_path):
        raise InstDeskError("encrypt.already", path=str(db_path))
    verify_database_file(db_path)
    key = require_key()
    refuse_if_in_use(db_path)  # also folds the WAL into the file
    encrypt_file(db_path, key)
    result = EncryptResult(db_path)
    for directory in backup_dirs:
        for backup in list_backups(directory, db_path):
            if not is_encrypted_file(backup.path):
                encrypt_file(backup.path, key)
                result.backups.append(backup.path)
    return result


def encrypt_file(path: Path, key: bytes) -> None:
    """Replace the plain SQLite file ``path`` by an encrypted copy, checked before the swap."""
    target = path.with_name(f".{path.name}.encrypting")
    target.unlink(missing_ok=True)
    try:
        export_encrypted(path, target, key)
        verify_database_file(target, key)
        _same_rows(path, target, key)
        os.replace(target, path)
    finally:
        target.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):  # left by the plain file; SQLite would not read them any more
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _table_counts(path: Path, key: bytes | None) -> dict[str, int]:
    conn = connect(path, key)
    try:
        names = [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}
    finally:
        conn.close()


def _same_rows(plain: Path, encrypted: Path, key: bytes) -> None:
    before, after = _table_counts(plain, None), _table_counts(encrypted, key)
    for table in sorted(set(before) | set(after)):
        if before.get(table) != after.get(table):
            raise InstDeskError("encrypt.mismatch", table=table)
