"""Courses: 学科类 list, licence scope, pre-school, online length and the 政府指导价 cap."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.errors import ValidationError
from app.policy import NATIONAL_DEFAULT, PolicyParams
from app.rules.course import (
    NON_SUBJECT_EXAMPLES,
    SUBJECT_CATEGORY_SUBJECTS,
    canonical_subject,
    check_course,
    class_size_tier,
    price_cap_fen,
)

CAPS = replace(
    NATIONAL_DEFAULT, price_caps={"small": 10000, "medium": 5000, "large": 3000, "online:small": 6000}
)


def codes(params: PolicyParams = NATIONAL_DEFAULT, /, **overrides: Any) -> list[str]:
    course: dict[str, Any] = {
        "category": "subject",
        "subject": "数学",
        "delivery": "offline",
        "stage": "compulsory",
        "minutes_per_lesson": 45,
        "price_fen_per_lesson": 10000,
        "class_size_tier": "small",
        "institution_category_scope": "subject",
        "institution_delivery_scope": "offline",
        "params": params,
    }
    course.update(overrides)
    return [v.code for v in check_course(**course)]


def test_a_plain_subject_course_is_fine() -> None:
    assert codes() == []


def test_the_subject_list() -> None:
    assert SUBJECT_CATEGORY_SUBJECTS == (
        "道德与法治",
        "语文",
        "历史",
        "地理",
        "数学",
        "外语",
        "物理",
        "化学",
        "生物",
    )
    for subject in [*SUBJECT_CATEGORY_SUBJECTS, "英语", "日语", " 语文 "]:
        assert codes(subject=subject) == []
    assert canonical_subject("英语") == "外语"
    assert canonical_subject("美术") is None
    assert codes(subject="美术") == ["course.not_a_subject"]


def test_a_school_subject_cannot_be_labelled_non_subject() -> None:
    assert codes(category="non_subject", subject="英语", institution_category_scope="both") == [
        "course.subject_as_non_subject"
    ]
    for examples in NON_SUBJECT_EXAMPLES.values():
        for subject in examples:
            assert (
                codes(category="non_subject", subject=subject, institution_category_scope="non_subject") == []
            )


def test_licence_scope() -> None:
    assert codes(institution_category_scope="non_subject") == ["course.category_not_licensed"]
    assert codes(institution_category_scope="both") == []
    assert codes(delivery="online", minutes_per_lesson=30) == ["course.delivery_not_licensed"]
    assert codes(institution_delivery_scope="online") == ["course.delivery_not_licensed"]
    assert codes(delivery="online", minutes_per_lesson=30, institution_delivery_scope="both") == []


def test_preschool() -> None:
    assert codes(stage="preschool") == ["course.preschool_subject"]
    assert codes(stage="preschool", subject="外语") == ["course.preschool_subject"]
    online_art = {"category": "non_subject", "subject": "美术", "institution_category_scope": "non_subject"}
    assert codes(stage="preschool", **online_art) == []
    assert codes(
        stage="preschool",
        delivery="online",
        minutes_per_lesson=20,
        institution_delivery_scope="both",
        **online_art,
    ) == ["course.preschool_online"]


def test_lesson_length() -> None:
    online = {"delivery": "online", "institution_delivery_scope": "online"}
    assert codes(minutes_per_lesson=30, **online) == []
    assert codes(minutes_per_lesson=31, **online) == ["course.online_too_long"]
    assert codes(minutes_per_lesson=0) == ["course.bad_minutes"]
    assert codes(price_fen_per_lesson=-1) == ["course.bad_price"]


def test_class_size_tiers() -> None:
    assert [class_size_tier(n) for n in (1, 9, 10, 35, 36, 200)] == [
        "small", "small", "medium", "medium", "large", "large"
    ]  # fmt: skip
    for bad in (0, -1, True):
        with pytest.raises(ValidationError):
            class_size_tier(bad)


def test_no_cap_configured_means_no_price_check() -> None:
    assert codes(price_fen_per_lesson=10**9) == []


def test_price_cap_with_float_and_pro_rata() -> None:
    # small offline: 100 元 per 45 minutes, +10% → 110 元
    assert codes(CAPS, price_fen_per_lesson=11000) == []
    [v] = check_course(
        "subject", "数学", "offline", "compulsory", 45, 11001, "small", "subject", "offline", CAPS
    )
    assert v.code == "course.price_above_cap"
    assert v.params["max_fen"] == 11000
    # 60 minutes offline: 110 × 60/45 = 146.666… 元 → 14666 fen allowed, 14667 not
    assert codes(CAPS, minutes_per_lesson=60, price_fen_per_lesson=14666) == []
    assert codes(CAPS, minutes_per_lesson=60, price_fen_per_lesson=14667) == ["course.price_above_cap"]
    # medium and large tiers
    assert codes(CAPS, class_size_tier="medium", price_fen_per_lesson=5500) == []
    assert codes(CAPS, class_size_tier="large", price_fen_per_lesson=3301) == ["course.price_above_cap"]
    # the non-subject price is not capped
    art = {"category": "non_subject", "subject": "美术", "institution_category_scope": "both"}
    assert codes(CAPS, price_fen_per_lesson=10**7, **art) == []


def test_delivery_specific_cap_overrides_the_tier_cap() -> None:
    online = {"delivery": "online", "institution_delivery_scope": "online", "minutes_per_lesson": 30}
    assert codes(CAPS, price_fen_per_lesson=6600, **online) == []
    assert codes(CAPS, price_fen_per_lesson=6601, **online) == ["course.price_above_cap"]
    assert price_cap_fen("medium", "online", 15, CAPS) == 2750  # 50 元 × 1.1 × 15/30
    assert price_cap_fen("small", "offline", 45, NATIONAL_DEFAULT) is None
