"""What a course may be: its category, subject, delivery, target stage and price.

A course is checked when it is published (上架) rather than at each lesson, so the checks return every
violation for the form to show. Subjects are matched by name: 学科类 is the fixed list of the 双减
opinion; anything outside it is 非学科 (体育, 艺术, 综合实践…).
"""

from __future__ import annotations

from fractions import Fraction

from app.errors import InstDeskError, ValidationError
from app.policy import PolicyParams
from app.rules.violation import Violation, violation
from localdb.codes import CategoryScope, CourseCategory, Delivery, Stage

MESSAGES: dict[str, str] = {
    "course.not_a_subject": (
        "“{subject}”不属于学科类科目（道德与法治、语文、历史、地理、数学、外语、物理、化学、生物）"
    ),
    "course.subject_as_non_subject": "“{subject}”属于学科类科目，不能作为非学科类课程开设",
    "course.category_not_licensed": "机构的办学许可范围不包含{category_label}课程",
    "course.delivery_not_licensed": "机构的办学许可范围不包含{delivery_label}课程",
    "course.preschool_online": "不得面向学龄前儿童开展线上培训",
    "course.preschool_subject": "不得面向学龄前儿童开展学科类（含外语）培训",
    "course.bad_minutes": "每课时时长必须为正数（分钟）：{minutes}",
    "course.online_too_long": "线上课程每课时不得超过{max_minutes}分钟，当前为{minutes}分钟",
    "course.bad_price": "课时单价不能为负数",
    "course.price_above_cap": (
        "学科类课程单价{price_fen}分超过政府指导价上限{max_fen}分（{tier}班型，含上浮{float_pct}%）"
    ),
    "course.bad_capacity": "班级人数必须为正整数：{capacity}",
}
InstDeskError.register(MESSAGES)

SUBJECT_CATEGORY_SUBJECTS: tuple[str, ...] = (
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

#: other names people use for the 学科类 subjects; specific languages are kept apart from each other
SUBJECT_ALIASES: dict[str, str] = {
    "思想品德": "道德与法治",
    "品德与社会": "道德与法治",
    "生物学": "生物",
    "英语": "外语",
    "日语": "外语",
    "俄语": "外语",
    "德语": "外语",
    "法语": "外语",
    "西班牙语": "外语",
}

NON_SUBJECT_EXAMPLES: dict[str, tuple[str, ...]] = {
    "体育": ("篮球", "足球", "游泳", "跆拳道", "乒乓球", "羽毛球", "田径"),
    "艺术": ("音乐", "美术", "舞蹈", "书法", "戏剧", "钢琴", "声乐"),
    "综合实践": ("信息技术", "劳动与技术", "科学实验", "研学实践", "编程"),
}

LABELS: dict[str, str] = {
    CourseCategory.SUBJECT: "学科类",
    CourseCategory.NON_SUBJECT: "非学科类",
    Delivery.OFFLINE: "线下",
    Delivery.ONLINE: "线上",
}


def canonical_subject(name: str) -> str | None:
    """The 学科类 subject a name stands for (``'英语'`` → ``'外语'``), or ``None`` if it is not one."""
    stripped = name.strip()
    if stripped in SUBJECT_CATEGORY_SUBJECTS:
        return stripped
    return SUBJECT_ALIASES.get(stripped)


def class_size_tier(capacity: int) -> str:
    """The 政府指导价 tier of a class: ``small`` (<10), ``medium`` (10–35) or ``large`` (>35)."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise ValidationError("course.bad_capacity", capacity=capacity)
    if capacity < 10:
        return "small"
    return "medium" if capacity <= 35 else "large"


def _in_scope(value: str, scope: str) -> bool:
    return scope == CategoryScope.BOTH or scope == value


def _category_checks(category: str, subject: str, stage: str) -> list[Violation]:
    found: list[Violation] = []
    canonical = canonical_subject(subject)
    if category == CourseCategory.SUBJECT and canonical is None:
        found.append(violation("course.not_a_subject", subject=subject))
    if category == CourseCategory.NON_SUBJECT and canonical is not None:
        found.append(violation("course.subject_as_non_subject", subject=subject))
    if stage == Stage.PRESCHOOL and category == CourseCategory.SUBJECT:
        found.append(violation("course.preschool_subject"))
    return found


def _scope_checks(category: str, delivery: str, category_scope: str, delivery_scope: str) -> list[Violation]:
    found: list[Violation] = []
    if not _in_scope(category, category_scope):
        found.append(
            violation("course.category_not_licensed", category=category, category_label=LABELS[category])
        )
    if not _in_scope(delivery, delivery_scope):
        found.append(
            violation("course.delivery_not_licensed", delivery=delivery, delivery_label=LABELS[delivery])
        )
    return found


def _length_checks(delivery: str, stage: str, minutes: int, params: PolicyParams) -> list[Violation]:
    found: list[Violation] = []
    if stage == Stage.PRESCHOOL and delivery == Delivery.ONLINE:
        found.append(violation("course.preschool_online"))
    if minutes <= 0:
        found.append(violation("course.bad_minutes", minutes=minutes))
    elif delivery == Delivery.ONLINE and minutes > params.online_max_minutes:
        found.append(
            violation("course.online_too_long", minutes=minutes, max_minutes=params.online_max_minutes)
        )
    return found


def price_cap_fen(tier: str, delivery: str, minutes: int, params: PolicyParams) -> Fraction | None:
    """The exact highest price of a lesson of ``minutes``, or ``None`` when no cap is configured.

    The cap is per standard lesson (30 min online, 45 offline) plus the allowed float, pro rata for other
    lengths. A ``"online:small"`` key overrides ``"small"`` for that delivery.
    """
    cap = params.price_caps.get(f"{delivery}:{tier}", params.price_caps.get(tier))
    if cap is None:
        return None
    factor = Fraction(100 + params.price_float_pct, 100)
    return cap * factor * Fraction(minutes, params.standard_lesson_minutes(delivery))


def _price_checks(
    category: str, delivery: str, minutes: int, price_fen: int, tier: str, params: PolicyParams
) -> list[Violation]:
    if price_fen < 0:
        return [violation("course.bad_price", price_fen=price_fen)]
    if category != CourseCategory.SUBJECT or minutes <= 0:
        return []
    cap = price_cap_fen(tier, delivery, minutes, params)
    if cap is None or price_fen <= cap:
        return []
    return [
        violation(
            "course.price_above_cap",
            price_fen=price_fen,
            max_fen=int(cap),  # floor: the highest whole-fen price allowed
            tier=tier,
            float_pct=params.price_float_pct,
        )
    ]


def check_course(
    category: str,
    subject: str,
    delivery: str,
    stage: str,
    minutes_per_lesson: int,
    price_fen_per_lesson: int,
    class_size_tier: str,
    institution_category_scope: str,
    institution_delivery_scope: str,
    params: PolicyParams,
) -> list[Violation]:
    """Every rule a course breaks (empty list when it may be published).

    Scopes are ``"subject"``/``"non_subject"``/``"both"`` and ``"offline"``/``"online"``/``"both"``.
    """
    return [
        *_category_checks(category, subject, stage),
        *_scope_checks(category, delivery, institution_category_scope, institution_delivery_scope),
        *_length_checks(delivery, stage, minutes_per_lesson, params),
        *_price_checks(category, delivery, minutes_per_lesson, price_fen_per_lesson, class_size_tier, params),
    ]
