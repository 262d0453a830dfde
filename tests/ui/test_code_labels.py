"""Every member of every code enum the screens show has a label, translated: no code reaches the screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any

import pytest

from app import codes
from ui import labels
from ui.dialogs.student_dialog import ID_TYPES
from ui.i18n import install_translators, tr
from ui.messages import Message
from ui.models import codes as screen_codes
from ui.models import confirmations
from ui.notices import TITLES
from ui.panels.frontdesk_parts import CHECK_IN_TEXTS

TABLES: list[tuple[type[StrEnum], Mapping[Any, Callable[..., str]]]] = [
    (codes.AttendanceStatus, labels.ATTENDANCE),
    (codes.PaymentMethod, labels.PAYMENT_METHODS),
    (codes.ContractStatus, labels.CONTRACT_STATUS),
    (codes.SessionStatus, labels.SESSION_STATUS),
    (codes.LedgerKind, labels.LEDGER_KINDS),
    (codes.Gender, labels.GENDERS),
    (codes.IdType, ID_TYPES),
    (codes.CourseCategory, screen_codes.CATEGORIES),
    (codes.Delivery, screen_codes.DELIVERIES),
    (codes.Stage, screen_codes.STAGES),
    (codes.ClassFormat, screen_codes.CLASS_FORMATS),
    (codes.AbsentPolicy, screen_codes.ABSENT_POLICIES),
    (codes.ReviewStatus, screen_codes.REVIEW_STATUS),
    (codes.StaffKind, screen_codes.STAFF_KINDS),
    (codes.Employment, screen_codes.EMPLOYMENTS),
    (codes.BackgroundCheck, screen_codes.BACKGROUND_CHECKS),
    (codes.InboxStatus, screen_codes.INBOX_STATUS),
    (codes.NoticeKind, TITLES),
    (codes.ConfirmationStatus, confirmations.CONFIRMATION_STATUS),
    (codes.AnswerState, confirmations.ANSWER_STATE),
    (codes.DisputeDecision, confirmations.DECISIONS),
]


def _name(value: object) -> str:
    return getattr(value, "__name__", "")


def _texts(table: Mapping[Any, Callable[..., str]]) -> Iterator[tuple[str, str]]:
    for code, text in table.items():
        yield code, text("Zhang San") if table is CHECK_IN_TEXTS else text()


@pytest.fixture
def english(shown: list[Message]) -> Iterator[None]:
    install_translators("en")
    try:
        yield
    finally:
        install_translators("zh_CN")


@pytest.mark.parametrize(("enum", "table"), [*TABLES, (codes.CheckIn, CHECK_IN_TEXTS)], ids=_name)
def test_every_member_has_a_label_and_nothing_else_does(
    enum: type[StrEnum], table: Mapping[Any, Callable[..., str]]
) -> None:
    assert set(table) == set(enum) and all(isinstance(code, enum) for code in table)
    for code, text in _texts(table):
        assert text and code not in text, (enum.__name__, code)


@pytest.mark.parametrize(("enum", "table"), [*TABLES, (codes.CheckIn, CHECK_IN_TEXTS)], ids=_name)
def test_every_label_is_translated(
    english: None, enum: type[StrEnum], table: Mapping[Any, Callable[..., str]]
) -> None:
    for code, text in _texts(table):
        assert text.isascii() and text.strip(), (enum.__name__, code, text)


def test_a_code_no_member_stands_for_shows_as_unknown_not_as_the_code() -> None:
    assert labels.label(screen_codes.INBOX_STATUS, "auto_confirmed") == tr("未知")
    assert labels.label(labels.ATTENDANCE, "present") == tr("出勤")
    assert labels.label(labels.ATTENDANCE, None) == ""
