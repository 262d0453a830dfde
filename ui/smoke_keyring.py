"""An in-memory keyring backend for the frozen app's smoke test on machines without a Secret Service.

Selected only explicitly (``PYTHON_KEYRING_BACKEND=ui.smoke_keyring.MemoryKeyring``); it forgets
everything when the process ends and never writes a secret anywhere.
"""

from __future__ import annotations

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = 0.1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._store.pop((service, username), None)
