"""Models of the courses screen: the lazy course list and the classes of the selected course."""

from __future__ import annotations

from app.codes import ReviewStatus
from app.views.courses import CourseRow, KlassRow
from ui.i18n import tr
from ui.labels import label, units, yuan
from ui.models.codes import CATEGORIES, DELIVERIES, REVIEW_STATUS, STAGES, WARN
from ui.models.paged import Column, PagedTableModel


def review_text(row: CourseRow) -> str:
    status = label(REVIEW_STATUS, row.review_status)
    if row.review_status == ReviewStatus.REJECTED and row.review_reason:
        return tr("{status}：{reason}", status=status, reason=row.review_reason)
    return status


def courses_model(page_size: int = 200) -> PagedTableModel[CourseRow]:
    columns: list[Column[CourseRow]] = [
        Column(tr("课程名称"), lambda c: c.name),
        Column(tr("类别"), lambda c: label(CATEGORIES, c.category)),
        Column(tr("科目"), lambda c: c.subject),
        Column(tr("形式"), lambda c: label(DELIVERIES, c.delivery)),
        Column(tr("学段"), lambda c: label(STAGES, c.stage)),
        Column(
            tr("课时包"),
            lambda c: tr("{units} 课时 {price}", units=units(c.lessons_per_package), price=yuan(c.price_fen)),
        ),
        Column(tr("班级数"), lambda c: str(c.classes)),
        Column(
            tr("上架审核"),
            lambda c: label(REVIEW_STATUS, c.review_status),
            tooltip=review_text,
            foreground=lambda c: WARN if c.review_status == ReviewStatus.REJECTED else None,
        ),
    ]
    return PagedTableModel(columns, page_size=page_size)


def classes_model() -> PagedTableModel[KlassRow]:
    columns: list[Column[KlassRow]] = [
        Column(tr("班级"), lambda k: k.name),
        Column(tr("教师"), lambda k: k.teacher_name or tr("未指定")),
        Column(tr("教室"), lambda k: k.room_name or tr("未指定")),
        Column(tr("在读/容量"), lambda k: f"{k.members}/{k.capacity}"),
        Column(tr("最低开班人数"), lambda k: str(k.min_size)),
    ]
    return PagedTableModel(columns)
