"""The week view: days across, time of day down, each lesson a block; double bookings and rule violations
in red with the reasons on hover. Overlapping lessons of one day share the column side by side."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.codes import SessionStatus
from app.views.schedule import WeekLesson
from ui.errors import violation_text
from ui.i18n import tr
from ui.models.codes import WARN, WEEKDAYS
from ui.qt_compat import emit

TIME_COLUMN = 52
HEADER = 30
FOOTER = 10
FIRST_HOUR, LAST_HOUR = 8, 21
COLOURS = {"normal": "#dbe8fb", "border": "#5b8bd6", "conflict": "#fbe0e3", "cancelled": "#eeeeee"}


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


@dataclass(frozen=True)
class Block:
    rect: QRectF
    lesson: WeekLesson


def lanes(lessons: list[WeekLesson]) -> dict[str, tuple[int, int]]:
    """Lesson id → (lane, lanes in its group): overlapping lessons of a day sit side by side."""
    placed: dict[str, tuple[int, int]] = {}
    group: list[tuple[str, int]] = []
    ends: list[int] = []  # the end minute of each lane of the current group
    for lesson in sorted(lessons, key=lambda s: (minutes(s.start), minutes(s.end), s.session_id)):
        start, end = minutes(lesson.start), minutes(lesson.end)
        if group and start >= max(ends):
            placed.update({sid: (lane, len(ends)) for sid, lane in group})
            group, ends = [], []
        lane = next((i for i, lane_end in enumerate(ends) if lane_end <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        else:
            ends[lane] = end
        group.append((lesson.session_id, lane))
    placed.update({sid: (lane, len(ends)) for sid, lane in group})
    return placed


def describe(lesson: WeekLesson) -> str:
    """The hover text: what, when, who, where, then each problem on its own line."""
    lines = [
        tr("{klass}（{course}）", klass=lesson.klass_name, course=lesson.course_name),
        f"{lesson.day:%m-%d} {lesson.start}–{lesson.end}",
        tr("教师：{name}", name=lesson.teacher_name or tr("未指定")),
        tr("教室：{name}", name=lesson.room_name or tr("未指定")),
    ]
    if lesson.status == SessionStatus.CANCELLED:
        lines.append(tr("已取消"))
    lines += [tr("⚠ {problem}", problem=violation_text(p)) for p in lesson.problems]
    return "\n".join(lines)


class WeekGrid(QWidget):
    lesson_clicked = Signal(object)  # the WeekLesson clicked (None: empty space)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selected: str | None = None  # the session id drawn as selected
        self.days: list[date] = []
        self.today: date | None = None
        self.lessons: list[WeekLesson] = []
        self.setMinimumSize(640, 420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def show_week(self, days: list[date], lessons: list[WeekLesson], today: date | None = None) -> None:
        self.days, self.lessons, self.today = days, lessons, today
        self.update()

    # --- geometry --------------------------------------------------------------------------------------
    def _hours(self) -> tuple[int, int]:
        starts = [minutes(s.start) // 60 for s in self.lessons] + [FIRST_HOUR]
        ends = [-(-minutes(s.end) // 60) for s in self.lessons] + [LAST_HOUR]
        return min(starts), max(ends)

    def _day_width(self) -> float:
        return (self.width() - TIME_COLUMN) / 7

    def _y(self, minute: int) -> float:
        first, last = self._hours()
        span = max(1, (last - first) * 60)
        return HEADER + (minute - first * 60) * (self.height() - HEADER - FOOTER) / span

    def blocks(self) -> list[Block]:
        found = []
        width = self._day_width()
        for day_index, day in enumerate(self.days):
            todays = [s for s in self.lessons if s.day == day]
            placed = lanes(todays)
            for lesson in todays:
                lane, count = placed[lesson.session_id]
                left = TIME_COLUMN + day_index * width + 2 + lane * (width - 4) / count
                top, bottom = self._y(minutes(lesson.start)), self._y(minutes(lesson.end))
                found.append(
                    Block(QRectF(left, top, (width - 4) / count - 2, max(14.0, bottom - top)), lesson)
                )
        return found

    def lesson_at(self, point: QPoint) -> WeekLesson | None:
        return next((b.lesson for b in reversed(self.blocks()) if b.rect.contains(point.toPointF())), None)

    # --- painting --------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        self._paint_grid(painter)
        for block in self.blocks():
            self._paint_block(painter, block)
        painter.end()

    def _paint_grid(self, painter: QPainter) -> None:
        first, last = self._hours()
        line, text = QPen(QColor("#d0d0d0")), QPen(self.palette().text().color())
        width = self._day_width()
        for hour in range(first, last + 1):
            y = self._y(hour * 60)
            painter.setPen(line)
            painter.drawLine(TIME_COLUMN, int(y), self.width(), int(y))
            painter.setPen(text)
            label = QRectF(0, y - 8, TIME_COLUMN - 6, 16)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight, f"{hour:02d}:00")
        font = painter.font()
        for i, day in enumerate(self.days):
            x = TIME_COLUMN + i * width
            painter.setPen(line)
            painter.drawLine(int(x), 0, int(x), self.height())
            painter.setPen(text)
            font.setBold(day == self.today)
            painter.setFont(font)
            title = f"{WEEKDAYS[day.weekday()]()} {day:%m-%d}"
            painter.drawText(QRectF(x, 0, width, HEADER), Qt.AlignmentFlag.AlignCenter, title)
        font.setBold(False)
        painter.setFont(font)

    def _paint_block(self, painter: QPainter, block: Block) -> None:
        lesson = block.lesson
        if lesson.status == SessionStatus.CANCELLED:
            fill, border = COLOURS["cancelled"], "#9e9e9e"
        elif lesson.conflicted:
            fill, border = COLOURS["conflict"], WARN
        else:
            fill, border = COLOURS["normal"], COLOURS["border"]
        selected = lesson.session_id == self.selected
        painter.setPen(
            QPen(QColor("#202020" if selected else border), 3 if selected else 2 if lesson.conflicted else 1)
        )
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(block.rect, 3, 3)
        painter.setPen(QColor("#202020"))
        text = f"{lesson.start} {lesson.klass_name}\n{lesson.teacher_name or ''} {lesson.room_name or ''}"
        if lesson.conflicted:
            text = "⚠ " + text
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        painter.drawText(block.rect.adjusted(4, 2, -2, -2), int(flags), text)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        lesson = self.lesson_at(event.position().toPoint())
        self.selected = lesson.session_id if lesson is not None else None
        self.update()
        emit(self.lesson_clicked, lesson)

    # --- hover -----------------------------------------------------------------------------------------
    def tooltip_at(self, point: QPoint) -> str:
        lesson = self.lesson_at(point)
        return describe(lesson) if lesson is not None else ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
