"""Models of the front desk: today's lessons and the roster of one lesson with pending marks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ui.i18n import tr
from ui.labels import ATTENDANCE, SESSION_STATUS, label, units
from ui.models.paged import Column, PagedTableModel
from ui.qt_compat import emit

if TYPE_CHECKING:  # the read models pull in pypinyin (~0.4 s): not at start-up
    from app.views.students import RosterLine, SessionLine

WARN = "#b00020"


def sessions_model() -> PagedTableModel[SessionLine]:
    columns: list[Column[SessionLine]] = [
        Column(tr("时间"), lambda s: f"{s.start_time}–{s.end_time}"),
        Column(tr("班级"), lambda s: s.klass_name),
        Column(tr("课程"), lambda s: s.course_name),
        Column(tr("老师"), lambda s: s.teacher_name or ""),
        Column(tr("教室"), lambda s: s.room_name or ""),
        Column(tr("已点名"), lambda s: f"{s.marked}/{s.members}"),
        Column(tr("状态"), lambda s: label(SESSION_STATUS, s.status)),
    ]
    return PagedTableModel(columns)


class RosterModel(PagedTableModel["RosterLine"]):
    """The roster with the marks typed but not saved yet shown in their place (marked with ✎)."""

    def __init__(self) -> None:
        self.pending: dict[str, str] = {}
        self.cleared: set[str] = set()  # saved marks to clear (given back) on save
        columns: list[Column[RosterLine]] = [
            Column(tr("学员"), lambda r: r.name if r.member else tr("{name}（非本班）", name=r.name)),
            Column(tr("卡号"), lambda r: r.card_code or ""),
            Column(tr("考勤"), self._status_text),
            Column(tr("剩余课时"), self._units_text, foreground=self._units_colour),
            Column(tr("提醒"), self._warning, foreground=lambda _r: WARN),
        ]
        super().__init__(columns)

    def _status_text(self, row: RosterLine) -> str:
        if row.student_id in self.pending:
            return "✎ " + label(ATTENDANCE, self.pending[row.student_id])
        if row.student_id in self.cleared:
            return "✎ " + tr("清除")
        if row.status and row.owing:
            return tr("{status}（欠课时）", status=label(ATTENDANCE, row.status))
        return label(ATTENDANCE, row.status) if row.status else tr("未点名")

    @staticmethod
    def _units_text(row: RosterLine) -> str:
        return tr("先学后付") if row.pay_after else units(row.units_left)

    @staticmethod
    def _units_colour(row: RosterLine) -> str | None:
        return WARN if row.low_balance and not row.pay_after else None

    @staticmethod
    def _warning(row: RosterLine) -> str:
        if row.pay_after:
            return ""  # each lesson is owed after it (the 先学后付 screen)
        if row.owing:
            return tr("欠课时：续费后结清")
        if row.expired:
            return tr("合同已到期，不能再扣课时")
        if row.units_left <= 0:
            return tr("课时不足，请续费")
        if row.low_balance:
            return tr("课时即将用完")
        return ""

    def set_roster(self, rows: Sequence[RosterLine], keep_pending: bool = False) -> None:
        """Show ``rows``; marks typed but not saved survive a refresh of the same lesson, whose rows are
        updated in place (no model reset: selection and scroll position stay)."""
        if not keep_pending:
            self.pending.clear()
            self.cleared.clear()
            self.set_rows(rows)
        else:
            self.replace_rows(rows, key=lambda r: r.student_id)

    def mark(self, row: int, status: str) -> None:
        line = self.row_at(row)
        if line is None:
            return
        self.pending[line.student_id] = status
        self.cleared.discard(line.student_id)
        self._row_changed(row)

    def clear_mark(self, row: int) -> None:
        """0/Del: forget a mark typed but not saved, or clear a saved one when the roll call is saved."""
        line = self.row_at(row)
        if line is None:
            return
        if self.pending.pop(line.student_id, None) is None and line.status is not None:
            self.cleared.add(line.student_id)
        self._row_changed(row)

    def has_changes(self) -> bool:
        return bool(self.pending or self.cleared)

    def _row_changed(self, row: int) -> None:
        emit(self.dataChanged, self.index(row, 0), self.index(row, self.columnCount() - 1))

    def mark_all(self, status: str) -> None:
        for i in range(self.rowCount()):
            line = self.row_at(i)
            if line is not None and line.member and line.status is None:
                self.pending[line.student_id] = status
        if self.rowCount():
            emit(self.dataChanged, self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
