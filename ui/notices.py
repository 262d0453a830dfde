"""The sentences of notices (``app.services.notices``): one per kind and state, translated."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.codes import InboxKind, NoticeKind, ReviewStatus
from app.services.notices import NoticeItem
from ui.i18n import tr
from ui.labels import Labels, label

_TEXTS: dict[tuple[str, str], Callable[[NoticeItem], str]] = {
    ("course_review", "approved"): lambda n: tr("课程“{name}”审核通过，已上架", name=n.subject),
    ("course_review", "rejected"): lambda n: tr("课程“{name}”被平台驳回", name=n.subject),
    ("staff_check", "pending"): lambda n: tr("{name} 的准入查询已提交，核验中", name=n.subject),
    ("staff_check", "passed"): lambda n: tr("{name} 通过准入查询，可以安排授课", name=n.subject),
    ("staff_check", "failed"): lambda n: tr("{name} 未通过准入查询，不能安排授课", name=n.subject),
    ("refund_request", "requested"): lambda n: tr("{name} 的家长申请退费，请在截止日前答复", name=n.subject),
    ("dispute", "disputed"): lambda n: tr("{name} 的家长对一次消课有异议", name=n.subject),
    ("sync_problem", "rejected"): lambda n: tr("平台拒绝了一项本机变更"),
    ("sync_problem", "conflict"): lambda n: tr("一项本机变更与平台的数据冲突"),
}
TITLES: Labels[NoticeKind] = {
    NoticeKind.COURSE_REVIEW: lambda: tr("课程审核"),
    NoticeKind.STAFF_CHECK: lambda: tr("准入查询"),
    NoticeKind.REFUND_REQUEST: lambda: tr("退费申请"),
    NoticeKind.DISPUTE: lambda: tr("消课异议"),
    NoticeKind.SYNC_PROBLEM: lambda: tr("同步问题"),
}
#: the 平台 tab where each kind is handled
HANDLED_IN = {
    NoticeKind.REFUND_REQUEST: InboxKind.REFUND,
    NoticeKind.DISPUTE: InboxKind.DISPUTE,
    NoticeKind.SYNC_PROBLEM: InboxKind.PROBLEM,
}


def notice_title(notice: NoticeItem) -> str:
    return label(TITLES, notice.kind)


def notice_text(notice: NoticeItem) -> str:
    """The sentence for ``notice``, with the platform's reason when it gave one."""
    if not notice.subject:  # a request about a contract this desk does not have (yet)
        notice = replace(notice, subject=tr("一位学员"))
    found = _TEXTS.get((notice.kind, notice.state))
    text = found(notice) if found else tr("{name} 有新的变化", name=notice.subject)
    with_reason = notice.kind != NoticeKind.COURSE_REVIEW or notice.state == ReviewStatus.REJECTED
    if notice.detail and with_reason and notice.kind != NoticeKind.STAFF_CHECK:
        text = tr("{sentence}：{detail}", sentence=text, detail=notice.detail)
    return text
