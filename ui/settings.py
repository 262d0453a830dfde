"""Typed settings in one place, over ``QSettings(IniFormat, UserScope)``, with defaults and a version.

Add a setting by adding one descriptor to ``Settings``; bump ``VERSION`` and add a step to ``_UPGRADES``
when a key is renamed or its meaning changes. Secrets (platform tokens, passwords) never go here: they live
only in the OS keyring (``sync`` keeps the refresh token there).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, overload

from PySide6.QtCore import QByteArray, QSettings

from ui.i18n import DEFAULT_LANGUAGE

T = TypeVar("T", str, int, bool, bytes)
ORGANIZATION = "InstDesk"
APPLICATION = "InstDesk"


class Setting(Generic[T]):
    """One typed key with a default; reading converts the INI text back to ``T``."""

    def __init__(self, key: str, default: T) -> None:
        self.key: str = key
        self.default: T = default

    @overload
    def __get__(self, obj: None, owner: type) -> Setting[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...
    def __get__(self, obj: Settings | None, owner: type) -> T | Setting[T]:
        if obj is None:
            return self
        return cast(T, self._convert(obj.store.value(self.key, None)))

    def __set__(self, obj: Settings, value: T) -> None:
        obj.store.setValue(self.key, QByteArray(value) if isinstance(value, bytes) else value)

    def _convert(self, raw: Any) -> Any:
        if raw is None:
            return self.default
        if isinstance(self.default, bool):
            return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "yes")
        if isinstance(self.default, bytes):
            return bytes(raw.data()) if isinstance(raw, QByteArray) else bytes(str(raw), "latin-1")
        try:
            return type(self.default)(raw)
        except (TypeError, ValueError):
            return self.default


def _upgrade_to_1(store: QSettings) -> None:
    """Version 0 had no keys worth keeping."""


_UPGRADES: dict[int, Callable[[QSettings], None]] = {1: _upgrade_to_1}


class Settings:
    VERSION = 1

    version = Setting("meta/version", 0)
    server_url = Setting("platform/server_url", "")
    platform_uscc = Setting("platform/uscc", "")
    language = Setting("ui/language", DEFAULT_LANGUAGE)
    last_user = Setting("session/last_user", "")
    window_geometry = Setting("ui/window_geometry", b"")
    window_state = Setting("ui/window_state", b"")
    database_path = Setting("storage/database_path", "")
    first_run_done = Setting("session/first_run_done", False)
    #: paper of printed receipts: ``a5``, ``thermal80`` or ``thermal58`` (``app.documents.receipt.Layout``)
    receipt_layout = Setting("documents/receipt_layout", "a5")

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )
        self.upgrade()

    @classmethod
    def at(cls, path: Path) -> Settings:
        """Settings kept in one INI file (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def upgrade(self) -> None:
        for target in sorted(_UPGRADES):
            if self.version < target:
                _UPGRADES[target](self.store)
                self.version = target

    def sync(self) -> None:
        self.store.sync()

    def file_name(self) -> str:
        return self.store.fileName()
