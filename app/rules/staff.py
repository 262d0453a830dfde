"""Who may be hired and who may teach (《校外培训机构从业人员管理办法(试行)》, 教监管厅函〔2023〕9号).

Serving 中小学/幼儿园 teachers may not be hired. Nobody teaches before the platform's 准入查询 has
passed. 学科类 teaching needs a 教师资格证 for the subject taught; 非学科 a professional ability
certificate. The staffing ratios are warnings for the manager, not blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from app.errors import InstDeskError, RuleViolation
from app.policy import PolicyParams
from app.rules.course import SUBJECT_ALIASES, SUBJECT_CATEGORY_SUBJECTS, canonical_subject
from app.rules.violation import Violation, violation
from localdb.codes import BackgroundCheck, CourseCategory, Employment, StaffKind

MESSAGES: dict[str, str] = {
    "staff.serving_school_teacher": "不得聘用中小学、幼儿园在职教师",
    "staff.background_check_failed": "该人员准入查询未通过，不得聘用",
    "staff.background_check_not_passed": "该人员尚未通过准入查询（当前状态：{status}），不得安排授课",
    "staff.not_teaching_staff": "其他人员不得安排授课",
    "staff.no_teacher_certificate": "学科类（{subject}）授课人员须持有相应学科的教师资格证",
    "staff.no_ability_certificate": "非学科类授课人员须持有相应的职业（专业）能力证明",
    "staff.full_time_ratio_low": (
        "专职教学和教研人员{full_time}人，占全部从业人员{total}人的比例低于{min_pct}%"
    ),
    "staff.class_ratio_low": "专职教师{teachers}人，不足学生人数{students}人的{min_pct}%",
}
InstDeskError.register(MESSAGES)

_TEACHING_KINDS = (StaffKind.TEACHING, StaffKind.RESEARCH)


@dataclass(frozen=True)
class StaffFacts:
    """What the rules need to know about one person on the staff."""

    kind: StaffKind
    employment: Employment
    background_check: BackgroundCheck
    teacher_cert_subject: str | None
    ability_cert_no: str | None
    serving_school_teacher: bool


def _subject_in(text: str) -> tuple[str, str] | None:
    """Find a 学科 named in free text (``'初中英语'``): ``(canonical, as written)``, or ``None``."""
    names = sorted((*SUBJECT_CATEGORY_SUBJECTS, *SUBJECT_ALIASES), key=len, reverse=True)
    for name in names:
        if name in text:
            return canonical_subject(name) or name, name
    return None


def certificate_matches(cert_subject: str | None, subject: str) -> bool:
    """Whether a 教师资格证's subject covers the course subject.

    Subjects match by canonical name; a specific language (英语) only matches the same language, while
    the generic 外语 on either side matches any language.
    """
    if not cert_subject or not cert_subject.strip():
        return False
    cert, course = _subject_in(cert_subject), _subject_in(subject)
    if cert is None or course is None:
        return cert_subject.strip() == subject.strip()
    if cert[0] != course[0]:
        return False
    if cert[0] != "外语":
        return True
    return cert[1] == course[1] or "外语" in (cert[1], course[1])


def check_can_hire(staff: StaffFacts) -> None:
    """Raise if the person may not be hired at all (a serving school teacher, or a failed check)."""
    if staff.serving_school_teacher:
        raise RuleViolation("staff.serving_school_teacher")
    if staff.background_check == BackgroundCheck.FAILED:
        raise RuleViolation("staff.background_check_failed")


def check_can_teach(staff: StaffFacts, category: str, subject: str) -> None:
    """Raise if the person may not be scheduled to teach a lesson of this category and subject."""
    if staff.serving_school_teacher:
        raise RuleViolation("staff.serving_school_teacher")
    if staff.background_check != BackgroundCheck.PASSED:
        raise RuleViolation("staff.background_check_not_passed", status=staff.background_check)
    if staff.kind not in _TEACHING_KINDS:
        raise RuleViolation("staff.not_teaching_staff")
    if category == CourseCategory.SUBJECT:
        if not certificate_matches(staff.teacher_cert_subject, subject):
            raise RuleViolation("staff.no_teacher_certificate", subject=subject)
    elif not (staff.ability_cert_no or "").strip():
        raise RuleViolation("staff.no_ability_certificate", subject=subject)


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


def ratio_warnings(staff_list: Iterable[StaffFacts], params: PolicyParams) -> list[Violation]:
    """Warn when full-time teaching and research staff are fewer than 50% of all staff."""
    people = list(staff_list)
    if not people:
        return []
    full_time = sum(1 for s in people if s.employment == Employment.FULL_TIME and s.kind in _TEACHING_KINDS)
    if Fraction(full_time, len(people)) >= Fraction(params.full_time_teaching_ratio_min):
        return []
    return [
        violation(
            "staff.full_time_ratio_low",
            full_time=full_time,
            total=len(people),
            min_pct=_pct(params.full_time_teaching_ratio_min),
        )
    ]


def class_ratio_warning(
    full_time_teachers: int, students: int, preschool: bool, params: PolicyParams
) -> Violation | None:
    """Warn when an offline class's full-time teachers are under 2% of its students (6% pre-school)."""
    if students <= 0:
        return None
    minimum = params.preschool_class_teacher_ratio_min if preschool else params.class_teacher_ratio_min
    if Fraction(full_time_teachers, students) >= Fraction(minimum):
        return None
    return violation(
        "staff.class_ratio_low", teachers=full_time_teachers, students=students, min_pct=_pct(minimum)
    )
