"""Staff: hiring, who may teach what, and the staffing-ratio warnings."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.errors import RuleViolation
from app.policy import NATIONAL_DEFAULT
from app.rules.staff import (
    StaffFacts,
    certificate_matches,
    check_can_hire,
    check_can_teach,
    class_ratio_warning,
    ratio_warnings,
)
from localdb.codes import BackgroundCheck, Employment, StaffKind

TEACHER = StaffFacts(
    kind=StaffKind.TEACHING,
    employment=Employment.FULL_TIME,
    background_check=BackgroundCheck.PASSED,
    teacher_cert_subject="初中数学",
    ability_cert_no=None,
    serving_school_teacher=False,
)


def teach_code(staff: StaffFacts, category: str = "subject", subject: str = "数学") -> str | None:
    try:
        check_can_teach(staff, category, subject)
    except RuleViolation as exc:
        return exc.code
    return None


def test_qualified_teacher_may_teach() -> None:
    assert teach_code(TEACHER) is None
    assert teach_code(replace(TEACHER, kind=StaffKind.RESEARCH)) is None


@pytest.mark.parametrize("status", [BackgroundCheck.NONE, BackgroundCheck.PENDING, BackgroundCheck.FAILED])
def test_nobody_teaches_before_passing_the_check(status: BackgroundCheck) -> None:
    staff = replace(TEACHER, background_check=status)
    assert teach_code(staff) == "staff.background_check_not_passed"
    assert teach_code(staff, "non_subject", "美术") == "staff.background_check_not_passed"


def test_serving_school_teacher_never() -> None:
    serving = replace(TEACHER, serving_school_teacher=True)
    assert teach_code(serving) == "staff.serving_school_teacher"
    with pytest.raises(RuleViolation) as info:
        check_can_hire(serving)
    assert info.value.code == "staff.serving_school_teacher"


def test_hiring() -> None:
    check_can_hire(replace(TEACHER, background_check=BackgroundCheck.PENDING))
    check_can_hire(replace(TEACHER, background_check=BackgroundCheck.NONE))
    with pytest.raises(RuleViolation) as info:
        check_can_hire(replace(TEACHER, background_check=BackgroundCheck.FAILED))
    assert info.value.code == "staff.background_check_failed"


def test_other_staff_do_not_teach() -> None:
    assert teach_code(replace(TEACHER, kind=StaffKind.OTHER)) == "staff.not_teaching_staff"


def test_subject_needs_a_matching_teacher_certificate() -> None:
    assert teach_code(TEACHER, subject="物理") == "staff.no_teacher_certificate"
    assert teach_code(replace(TEACHER, teacher_cert_subject=None)) == "staff.no_teacher_certificate"
    assert teach_code(replace(TEACHER, teacher_cert_subject="  ")) == "staff.no_teacher_certificate"


def test_non_subject_needs_an_ability_certificate() -> None:
    assert teach_code(TEACHER, "non_subject", "美术") == "staff.no_ability_certificate"
    assert teach_code(replace(TEACHER, ability_cert_no="  "), "non_subject", "美术") == (
        "staff.no_ability_certificate"
    )
    assert teach_code(replace(TEACHER, ability_cert_no="ART-2024-001"), "non_subject", "美术") is None


@pytest.mark.parametrize(
    ("cert", "subject", "ok"),
    [
        ("数学", "数学", True),
        ("高级中学数学", "数学", True),
        ("英语", "外语", True),
        ("初中英语", "英语", True),
        ("外语", "日语", True),
        ("日语", "英语", False),
        ("思想品德", "道德与法治", True),
        ("生物学", "生物", True),
        ("语文", "数学", False),
        ("小学全科", "数学", False),
        ("音乐", "音乐", True),
        ("", "数学", False),
        (None, "数学", False),
    ],
)
def test_certificate_matching(cert: str | None, subject: str, ok: bool) -> None:
    assert certificate_matches(cert, subject) is ok


def staff(kind: str, employment: str) -> StaffFacts:
    return replace(TEACHER, kind=StaffKind(kind), employment=Employment(employment))


def test_full_time_ratio_50_percent_ok_below_warns() -> None:
    half = [staff("teaching", "full_time"), staff("research", "full_time")] + [
        staff("other", "full_time")
    ] * 2
    assert ratio_warnings(half, NATIONAL_DEFAULT) == []
    below = [*half, staff("teaching", "part_time")]
    [w] = ratio_warnings(below, NATIONAL_DEFAULT)
    assert w.code == "staff.full_time_ratio_low"
    assert w.params == {"full_time": 2, "total": 5, "min_pct": "50"}
    assert "50%" in w.message
    assert ratio_warnings([], NATIONAL_DEFAULT) == []


def test_class_ratio_2_percent_and_6_percent_for_preschool() -> None:
    assert class_ratio_warning(1, 50, False, NATIONAL_DEFAULT) is None
    warning = class_ratio_warning(1, 51, False, NATIONAL_DEFAULT)
    assert warning is not None and warning.code == "staff.class_ratio_low"
    assert warning.params["min_pct"] == "2"
    assert class_ratio_warning(3, 50, True, NATIONAL_DEFAULT) is None
    preschool = class_ratio_warning(2, 50, True, NATIONAL_DEFAULT)
    assert preschool is not None and preschool.params["min_pct"] == "6"
    assert class_ratio_warning(0, 0, False, NATIONAL_DEFAULT) is None
    assert class_ratio_warning(0, 1, False, NATIONAL_DEFAULT) is not None


def test_ratio_parameters_come_from_the_profile() -> None:
    strict = replace(NATIONAL_DEFAULT, class_teacher_ratio_min=Decimal("0.05"))
    assert class_ratio_warning(1, 21, False, strict) is not None
    assert class_ratio_warning(1, 20, False, strict) is None
