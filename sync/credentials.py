"""The refresh token lives only in the OS keyring; the access token only in memory.

A machine without a usable keyring (the ``fail`` or ``null`` backend, or a plaintext file keyring from
``keyrings.alt``) gets a coded error saying how to get one, and nothing is ever written in plain text
(docs/sync.md: keyrings.alt silently becomes the default, the null backend silently stores nothing).
"""

from __future__ import annotations

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from app.safe_keyring import unusable_keyring
from sync.errors import SyncError

SERVICE = "InstDesk"


def account_key(server_url: str, uscc: str, desk_key: str = "") -> str:
    """One keyring entry per server, institution and local database (``desk_key``, a random id kept in
    the database): two platforms, or two desks' databases under one user account, never share a token."""
    base = f"{server_url.rstrip('/')}|{uscc.strip().upper()}"
    return f"{base}|{desk_key}" if desk_key else base


def usable_keyring() -> KeyringBackend:
    """The active keyring, or ``sync.keyring_unavailable`` when it would not keep a secret safely."""
    unusable = unusable_keyring()
    if unusable is not None:
        raise SyncError("sync.keyring_unavailable", backend=unusable)
    return keyring.get_keyring()


class TokenStore:
    """Refresh token in the keyring under ``account_key``; the access token in this object only."""

    def __init__(self, server_url: str, uscc: str, desk_key: str = "") -> None:
        self.key = account_key(server_url, uscc, desk_key)
        self.access_token: str | None = None

    def refresh_token(self) -> str | None:
        try:
            return usable_keyring().get_password(SERVICE, self.key)
        except keyring.errors.KeyringError as exc:
            raise SyncError("sync.keyring_failed", detail=type(exc).__name__) from exc

    def save_refresh_token(self, token: str) -> None:
        try:
            usable_keyring().set_password(SERVICE, self.key, token)
        except keyring.errors.NoKeyringError as exc:
            raise SyncError("sync.keyring_unavailable", backend="none") from exc
        except keyring.errors.KeyringError as exc:
            raise SyncError("sync.keyring_failed", detail=type(exc).__name__) from exc

    def forget(self) -> None:
        """Drop both tokens (logout, or a refresh token the server no longer accepts)."""
        self.access_token = None
        try:
            usable_keyring().delete_password(SERVICE, self.key)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise SyncError("sync.keyring_failed", detail=type(exc).__name__) from exc
