"""Translated labels of the codes the manager's screens show: course, staff, review and inbox codes."""

from __future__ import annotations

from collections.abc import Callable

from ui.i18n import tr

Labels = dict[str, Callable[[], str]]

CATEGORIES: Labels = {"subject": lambda: tr("学科类"), "non_subject": lambda: tr("非学科类")}
DELIVERIES: Labels = {"offline": lambda: tr("线下"), "online": lambda: tr("线上")}
STAGES: Labels = {
    "preschool": lambda: tr("学龄前"),
    "compulsory": lambda: tr("义务教育"),
    "high_school": lambda: tr("高中"),
    "other": lambda: tr("其他"),
}
CLASS_FORMATS: Labels = {
    "one_to_one": lambda: tr("一对一"),
    "small": lambda: tr("小班"),
    "large": lambda: tr("大班"),
}
ABSENT_POLICIES: Labels = {"charge": lambda: tr("缺勤扣课时"), "free": lambda: tr("缺勤不扣课时")}
REVIEW_STATUS: Labels = {
    "draft": lambda: tr("草稿"),
    "pending": lambda: tr("待审核"),
    "approved": lambda: tr("已上架"),
    "rejected": lambda: tr("被驳回"),
}
STAFF_KINDS: Labels = {
    "teaching": lambda: tr("教学人员"),
    "research": lambda: tr("教研人员"),
    "other": lambda: tr("其他人员"),
}
EMPLOYMENTS: Labels = {"full_time": lambda: tr("专职"), "part_time": lambda: tr("兼职")}
BACKGROUND_CHECKS: Labels = {
    "none": lambda: tr("未提交"),
    "pending": lambda: tr("核验中"),
    "passed": lambda: tr("已通过"),
    "failed": lambda: tr("未通过"),
}
INBOX_STATUS: Labels = {
    "requested": lambda: tr("待答复"),
    "agreed": lambda: tr("已同意"),
    "auto_agreed": lambda: tr("逾期视为同意"),
    "rejected": lambda: tr("已拒绝"),
    "disputed": lambda: tr("家长有异议"),
    "open": lambda: tr("待处理"),
    "conflict": lambda: tr("冲突"),
}
WEEKDAYS: tuple[Callable[[], str], ...] = (
    lambda: tr("周一"),
    lambda: tr("周二"),
    lambda: tr("周三"),
    lambda: tr("周四"),
    lambda: tr("周五"),
    lambda: tr("周六"),
    lambda: tr("周日"),
)
#: colours the screens share (the same red as the low-balance warning of the front desk)
WARN = "#b00020"
OK = "#1b6e20"
