"""Every error code of the core has a default Chinese message, and the message renders."""

from __future__ import annotations

import string

import app.rules
from app.errors import InstDeskError, RuleViolation


def test_every_code_is_dotted_and_registered_with_chinese_text() -> None:
    assert len(app.rules.MESSAGES) > 50
    for code, template in app.rules.MESSAGES.items():
        area, _, name = code.partition(".")
        assert area and name, code
        assert InstDeskError.messages[code] == template
        assert any("\u4e00" <= c <= "\u9fff" for c in template), code


def test_every_template_formats_with_its_named_parameters() -> None:
    for code, template in app.rules.MESSAGES.items():
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        error = RuleViolation(code, **dict.fromkeys(names, "X"))
        assert "{" not in str(error), code


def test_violation_message_uses_the_registry() -> None:
    v = app.rules.violation("charge.stored_value")
    assert v.message == app.rules.MESSAGES["charge.stored_value"]
    unknown = app.rules.violation("nowhere.unknown", x=1)
    assert unknown.message == "nowhere.unknown"
