"""The local database's encryption key: kept in the OS keyring, never in a file.

One random 32-byte key per OS user account (keyring service ``InstDesk``, entry ``local-database-key``):
every InstDesk database and every backup of that user is encrypted with it, so a backup restores and a
database file can move between folders without a key of its own. Which key a file needs is decided when
it is opened (``key_for``):

- an encrypted file needs the key from the keyring; without it, opening fails with ``dbkey.missing``;
- a plain file stays plain (``instdesk encrypt`` converts it);
- a new file is encrypted when the keyring can keep a key; without a usable keyring (a CI machine, a
  server without a Secret Service, the demo in a container) it is created plain with a warning
  (``PLAIN_NO_KEYRING``) — the key is never written anywhere else. See docs/encryption.md.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import keyring
import keyring.errors

from app.errors import InstDeskError
from app.safe_keyring import unusable_keyring
from localdb.cipher import KEY_BYTES, is_encrypted_file

SERVICE = "InstDesk"
KEY_ENTRY = "local-database-key"
InstDeskError.register(
    {
        "dbkey.missing": (
            "数据库 {path} 已加密，但系统密钥环中没有它的密钥（换了电脑或用户，或密钥环被清空）。"
            "请在原来的电脑和用户下打开，或从未加密的备份恢复。"
        ),
        "dbkey.wrong": "数据库 {path} 的密钥与系统密钥环中的密钥不符，无法打开。",
        "dbkey.keyring_failed": "无法访问系统密钥环：{detail}",
        "dbkey.no_keyring": (
            "没有可用的系统密钥环（{backend}），无法保存数据库密钥，数据库不能加密。"
            "请在装有 GNOME Keyring/KWallet（Linux）或系统自带钥匙串的桌面环境中运行。"
        ),
    }
)


class Encryption(Enum):
    """How a database file is stored."""

    ENCRYPTED = "encrypted"
    PLAIN = "plain"  # an existing plain file (``instdesk encrypt`` converts it)
    PLAIN_NO_KEYRING = "plain_no_keyring"  # created plain because no keyring could keep a key


PLAIN_WARNING = "警告：没有可用的系统密钥环，新数据库未加密保存。有密钥环后可运行 instdesk encrypt 加密。"


@dataclass(frozen=True)
class KeyChoice:
    key: bytes | None
    encryption: Encryption


def load_key() -> bytes | None:
    """The key from the keyring (None: no usable keyring, or no key stored yet)."""
    if unusable_keyring() is not None:
        return None
    try:
        text = keyring.get_password(SERVICE, KEY_ENTRY)
    except keyring.errors.KeyringError as exc:
        raise InstDeskError("dbkey.keyring_failed", detail=type(exc).__name__) from exc
    return bytes.fromhex(text) if text else None


def load_or_create_key() -> bytes | None:
    """The stored key, or a new random one saved in the keyring; None when no keyring can keep one (one
    that fails, e.g. a locked keyring whose unlock prompt was dismissed, counts as none)."""
    try:
        key = load_key()
    except InstDeskError:
        return None
    if key is not None or unusable_keyring() is not None:
        return key
    new = secrets.token_bytes(KEY_BYTES)
    try:
        keyring.set_password(SERVICE, KEY_ENTRY, new.hex())
        stored = keyring.get_password(SERVICE, KEY_ENTRY)
    except keyring.errors.KeyringError:
        return None
    return new if stored == new.hex() else None  # a backend that silently dropped it: stay plain


def require_key() -> bytes:
    """The key for encrypting now (``instdesk encrypt``): created if needed; refused without a keyring."""
    key = load_or_create_key()
    if key is None:
        raise InstDeskError("dbkey.no_keyring", backend=unusable_keyring() or "?")
    return key


def is_new_file(path: Path) -> bool:
    return not path.exists() or (path.is_file() and path.stat().st_size == 0)


def key_for(path: str | Path) -> KeyChoice:
    """The key to open ``path`` with, by what the file is (see the module's docstring)."""
    path = Path(path)
    if is_encrypted_file(path):
        key = load_key()
        if key is None:
            raise InstDeskError("dbkey.missing", path=str(path))
        return KeyChoice(key, Encryption.ENCRYPTED)
    if not is_new_file(path):
        return KeyChoice(None, Encryption.PLAIN)
    key = load_or_create_key()
    if key is None:
        return KeyChoice(None, Encryption.PLAIN_NO_KEYRING)
    return KeyChoice(key, Encryption.ENCRYPTED)
