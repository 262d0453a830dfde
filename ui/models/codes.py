"""Translated labels of the codes the manager's screens show: course, staff, review and inbox codes."""

from __future__ import annotations

from collections.abc import Callable

from app.codes import (
    AbsentPolicy,
    BackgroundCheck,
    ClassFormat,
    CourseCategory,
    Delivery,
    Employment,
    InboxStatus,
    ReviewStatus,
    StaffKind,
    Stage,
)
from ui.i18n import tr
from ui.labels import Labels

CATEGORIES: Labels[CourseCategory] = {
    CourseCategory.SUBJECT: lambda: tr("学科类"),
    CourseCategory.NON_SUBJECT: lambda: tr("非学科类"),
}
DELIVERIES: Labels[Delivery] = {Delivery.OFFLINE: lambda: tr("线下"), Delivery.ONLINE: lambda: tr("线上")}
STAGES: Labels[Stage] = {
    Stage.PRESCHOOL: lambda: tr("学龄前"),
    Stage.COMPULSORY: lambda: tr("义务教育"),
    Stage.HIGH_SCHOOL: lambda: tr("高中"),
    Stage.OTHER: lambda: tr("其他"),
}
CLASS_FORMATS: Labels[ClassFormat] = {
    ClassFormat.ONE_TO_ONE: lambda: tr("一对一"),
    ClassFormat.SMALL: lambda: tr("小班"),
    ClassFormat.LARGE: lambda: tr("大班"),
}
ABSENT_POLICIES: Labels[AbsentPolicy] = {
    AbsentPolicy.CHARGE: lambda: tr("缺勤扣课时"),
    AbsentPolicy.FREE: lambda: tr("缺勤不扣课时"),
}
REVIEW_STATUS: Labels[ReviewStatus] = {
    ReviewStatus.DRAFT: lambda: tr("草稿"),
    ReviewStatus.PENDING: lambda: tr("待审核"),
    ReviewStatus.APPROVED: lambda: tr("已上架"),
    ReviewStatus.REJECTED: lambda: tr("被驳回"),
}
STAFF_KINDS: Labels[StaffKind] = {
    StaffKind.TEACHING: lambda: tr("教学人员"),
    StaffKind.RESEARCH: lambda: tr("教研人员"),
    StaffKind.OTHER: lambda: tr("其他人员"),
}
EMPLOYMENTS: Labels[Employment] = {
    Employment.FULL_TIME: lambda: tr("专职"),
    Employment.PART_TIME: lambda: tr("兼职"),
}
BACKGROUND_CHECKS: Labels[BackgroundCheck] = {
    BackgroundCheck.NONE: lambda: tr("未提交"),
    BackgroundCheck.PENDING: lambda: tr("核验中"),
    BackgroundCheck.PASSED: lambda: tr("已通过"),
    BackgroundCheck.FAILED: lambda: tr("未通过"),
}
INBOX_STATUS: Labels[InboxStatus] = {
    InboxStatus.REQUESTED: lambda: tr("待答复"),
    InboxStatus.AGREED: lambda: tr("已同意"),
    InboxStatus.AUTO_AGREED: lambda: tr("逾期视为同意"),
    InboxStatus.REJECTED: lambda: tr("已拒绝"),
    InboxStatus.DISPUTED: lambda: tr("家长有异议"),
    InboxStatus.OPEN: lambda: tr("待处理"),
    InboxStatus.CONFLICT: lambda: tr("冲突"),
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
