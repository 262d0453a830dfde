"""A broken rule reported as data, so a screen can list every problem of a form at once.

Checks that look at one thing from several angles (a lesson slot, a course) return a list of
``Violation`` instead of raising on the first, and the use case decides: show them all, or raise the
first with ``raise_violations``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.errors import InstDeskError, RuleViolation


@dataclass(frozen=True)
class Violation:
    """One broken rule: its stable code, its parameters and the default Chinese message."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""


def violation(code: str, **params: Any) -> Violation:
    """Build a violation whose message is rendered from the registered Chinese template."""
    template = InstDeskError.messages.get(code, code)
    try:
        text = template.format(**params)
    except (KeyError, IndexError, ValueError):
        text = template
    return Violation(code=code, params=dict(params), message=text)


def raise_violations(violations: Iterable[Violation]) -> None:
    """Raise a ``RuleViolation`` for the first violation, carrying all of them as ``violations``.

    Does nothing when the list is empty, so callers can write ``raise_violations(check_slot(...))``.
    """
    found = tuple(violations)
    if not found:
        return
    first = found[0]
    params = dict(first.params)
    params["violations"] = found
    raise RuleViolation(first.code, first.message or None, **params)
