"""Which 校历 (school calendar) the timetable checks use, with the advice to check it locally.

The national default's 寒暑假 are InstDesk's conservative estimate (app/school_calendar.py); a region's
profile replaces them. Shown in 设置 and in the schedule dialog so nobody mistakes the estimate for the
local 教育局 calendar.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QWidget

from app.db import Database
from app.services.institution import SchoolCalendar, school_calendar
from ui.i18n import tr
from ui.ops import Op


def calendar_text(calendar: SchoolCalendar) -> str:
    """The calendar's name, its breaks and the advice, as lines."""
    name = tr("全国默认校历（InstDesk 的保守估计）") if calendar.national else calendar.name
    ranges = "；".join(
        tr("{start} 至 {end}", start=a.isoformat(), end=b.isoformat()) for a, b in calendar.breaks
    )
    lines = [tr("当前校历：{name}", name=name), tr("寒暑假：{ranges}", ranges=ranges or tr("未设置"))]
    lines.append(tr("寒暑假日期请以当地教育局公布的校历为准。"))
    return "\n".join(lines)


class CalendarNote(QLabel):
    """A label that loads the calendar in force (off the GUI thread) and shows it."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(tr("正在读取校历…"), parent)
        self.setWordWrap(True)
        year = date.today().year
        op = Op(lambda: school_calendar(db, year)).success(self.show_calendar)
        self.destroyed.connect(op.cancel)  # the dialog may close before the answer comes
        op.run()

    def show_calendar(self, calendar: SchoolCalendar) -> None:
        self.setText(calendar_text(calendar))
