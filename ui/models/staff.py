"""The staff list: certificates, the platform's 准入查询 result and the classes each person teaches."""

from __future__ import annotations

from app.codes import BackgroundCheck
from app.views.staff import StaffRow
from ui.i18n import tr
from ui.labels import label
from ui.models.codes import BACKGROUND_CHECKS, EMPLOYMENTS, OK, STAFF_KINDS, WARN
from ui.models.paged import Column, PagedTableModel

CHECK_COLOURS: dict[str, str] = {
    BackgroundCheck.PASSED: OK,
    BackgroundCheck.FAILED: WARN,
    BackgroundCheck.NONE: WARN,
}


def teacher_cert(row: StaffRow) -> str:
    if not row.teacher_cert_subject and not row.teacher_cert_no:
        return ""
    return tr("{subject} {no}", subject=row.teacher_cert_subject or "", no=row.teacher_cert_no or "").strip()


def check_tooltip(row: StaffRow) -> str:
    text = tr("准入查询结果以监管平台为准")
    if row.background_checked_at is not None:
        when = row.background_checked_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text += "\n" + tr("记录时间：{when}", when=when)
    return text


def staff_model(page_size: int = 200) -> PagedTableModel[StaffRow]:
    columns: list[Column[StaffRow]] = [
        Column(tr("姓名"), lambda s: s.name),
        Column(tr("人员类别"), lambda s: label(STAFF_KINDS, s.kind)),
        Column(tr("聘用方式"), lambda s: label(EMPLOYMENTS, s.employment)),
        Column(tr("教师资格证"), teacher_cert),
        Column(tr("能力证明"), lambda s: s.ability_cert_no or ""),
        Column(
            tr("准入查询"),
            lambda s: label(BACKGROUND_CHECKS, s.background_check),
            tooltip=check_tooltip,
            foreground=lambda s: CHECK_COLOURS.get(s.background_check),
        ),
        Column(tr("手机"), lambda s: s.phone or ""),
        Column(tr("证件号"), lambda s: s.id_number_masked or ""),
        Column(tr("任教班级"), lambda s: str(s.classes)),
    ]
    return PagedTableModel(columns, page_size=page_size)
