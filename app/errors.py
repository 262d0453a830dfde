"""Errors the Qt-free layers raise: a stable code, its parameters, and a default Chinese message.

The CLI prints ``str(error)`` (the Chinese message); the UI looks the code up and translates it with the
same parameters, so no layer below ``ui`` needs Qt to speak to a person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class InstDeskError(Exception):
    """An expected failure a person can act on (bad input, a rule, a permission)."""

    #: default Chinese message templates by code; subclasses and modules register more with ``register``
    messages: dict[str, str] = {}

    def __init__(self, code: str, message: str | None = None, **params: Any) -> None:
        self.code = code
        self.params: Mapping[str, Any] = params
        template = message or self.messages.get(code) or code
        try:
            text = template.format(**params)
        except (KeyError, IndexError, ValueError):
            text = template
        super().__init__(text)

    @property
    def message(self) -> str:
        return str(self.args[0])

    @classmethod
    def register(cls, templates: Mapping[str, str]) -> None:
        """Add default message templates (``str.format`` with the error's parameters)."""
        cls.messages.update(templates)


class ValidationError(InstDeskError):
    """Input that is malformed: a wrong ID number, a negative amount, an unknown column."""


class RuleViolation(InstDeskError):
    """Input that is well formed but breaks a regulation of docs/domain.md or a business rule."""


class PermissionDenied(InstDeskError):
    """The signed-in local user's role may not perform this use case."""


class NotFound(InstDeskError):
    """A referenced row does not exist (or was deleted)."""


class StorageError(InstDeskError):
    """The local database could not be written (disk full, locked, read-only)."""
