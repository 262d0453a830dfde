"""Whether the active OS keyring keeps a secret safely: shared by the database key (``app/dbkey.py``) and
the platform token (``sync/credentials.py``).

The ``fail`` and ``null`` backends store nothing (``null`` silently), and ``keyrings.alt`` writes plain
or weakly wrapped files and silently becomes the default when installed: all refused, so no secret ever
lands in a file.
"""

from __future__ import annotations

import keyring
from keyring.backend import KeyringBackend

_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")
_UNSAFE_CLASSES = ("PlaintextKeyring", "EncryptedKeyring", "Windows.RegistryKeyring")


def _parts(backend: KeyringBackend) -> list[KeyringBackend]:
    chained = getattr(backend, "backends", None)
    return list(chained) if isinstance(chained, list | tuple) else [backend]


def _unsafe(backend: KeyringBackend) -> bool:
    cls = type(backend)
    name = f"{cls.__module__}.{cls.__qualname__}"
    return name.startswith(_UNSAFE_MODULES) or any(name.endswith(c) for c in _UNSAFE_CLASSES)


def unusable_keyring() -> str | None:
    """The name of the active keyring backend when it would not keep a secret safely, else None."""
    backend = keyring.get_keyring()
    parts = _parts(backend)
    if parts and not any(_unsafe(b) for b in parts):
        return None
    return f"{type(backend).__module__}.{type(backend).__qualname__}"
