"""Pure domain rules of docs/domain.md: no database, no I/O, no Qt.

Importing this package registers the default Chinese message of every error code the core's rules and
validators raise; ``MESSAGES`` is the merged table (code → ``str.format`` template) for the UI's
translation files and for tests that check every code has a message.
"""

from __future__ import annotations

from app import money, policy, validators
from app.rules import charge, child, course, refund, staff, timetable
from app.rules.violation import Violation, raise_violations, violation

MESSAGES: dict[str, str] = {
    **money.MESSAGES,
    **validators.MESSAGES,
    **policy.MESSAGES,
    **charge.MESSAGES,
    **child.MESSAGES,
    **course.MESSAGES,
    **refund.MESSAGES,
    **staff.MESSAGES,
    **timetable.MESSAGES,
}

__all__ = ["MESSAGES", "Violation", "raise_violations", "violation"]
