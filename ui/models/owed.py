"""先学后付: the families that owe (lazy list) and one family's unpaid lessons."""

from __future__ import annotations

from app.views.pay_after import OwedLesson, OwingFamily
from ui.i18n import tr
from ui.labels import ATTENDANCE, label, yuan
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel

#: a family owing for longer than this is shown in the warning colour
LATE_DAYS = 14


def _reminded(row: OwingFamily) -> str:
    return tr("{day} 已提醒", day=row.reminded_on.isoformat()) if row.reminded_on else tr("未提醒")


def families_model(page_size: int = 200) -> PagedTableModel[OwingFamily]:
    columns: list[Column[OwingFamily]] = [
        Column(tr("学员"), lambda f: f.student_name),
        Column(tr("家长"), lambda f: f.guardian_name or ""),
        Column(tr("电话"), lambda f: f.guardian_phone or ""),
        Column(tr("欠费"), lambda f: yuan(f.owed_fen)),
        Column(tr("未付节数"), lambda f: str(f.lessons)),
        Column(tr("最早未付的课"), lambda f: f.oldest_lesson.isoformat()),
        Column(
            tr("已欠天数"),
            lambda f: tr("{n} 天", n=f.days_outstanding),
            foreground=lambda f: WARN if f.days_outstanding > LATE_DAYS else None,
        ),
        Column(tr("提醒"), _reminded),
    ]
    return PagedTableModel(columns, page_size=page_size)


def lessons_model() -> PagedTableModel[OwedLesson]:
    columns: list[Column[OwedLesson]] = [
        Column(tr("上课日期"), lambda line: line.lesson_date.isoformat()),
        Column(tr("课程"), lambda line: line.course_name),
        Column(tr("班级"), lambda line: line.klass_name),
        Column(tr("考勤"), lambda line: label(ATTENDANCE, line.status or None)),
        Column(tr("课费"), lambda line: yuan(line.amount_fen)),
        Column(tr("已付"), lambda line: yuan(line.paid_fen)),
        Column(tr("未付"), lambda line: yuan(line.owed_fen)),
    ]
    return PagedTableModel(columns)
