"""Models of training materials (per course) and of the platform's spot checks, with translated labels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.codes import MaterialFiling, MaterialKind, SpotAnswerState, SpotCheckStatus
from app.views.materials import MaterialRow, SpotCheckItem
from ui.i18n import tr
from ui.labels import Labels, label
from ui.models.codes import WARN
from ui.models.paged import Column, PagedTableModel

MATERIAL_KINDS: Labels[MaterialKind] = {
    MaterialKind.TEXTBOOK: lambda: tr("教材"),
    MaterialKind.HANDOUT: lambda: tr("讲义"),
    MaterialKind.SLIDES: lambda: tr("课件"),
    MaterialKind.OTHER: lambda: tr("其他"),
}
FILING: Labels[MaterialFiling] = {
    MaterialFiling.LOCAL: lambda: tr("待报送"),
    MaterialFiling.FILE_PENDING: lambda: tr("文件待上传"),
    MaterialFiling.FILED: lambda: tr("已报送"),
}
CHECK_STATUS: Labels[SpotCheckStatus] = {
    SpotCheckStatus.OPEN: lambda: tr("待答复"),
    SpotCheckStatus.ANSWERED: lambda: tr("已按时答复"),
    SpotCheckStatus.LATE: lambda: tr("逾期答复"),
}
ANSWER_STATE: Labels[SpotAnswerState] = {
    SpotAnswerState.PENDING: lambda: tr("答复待同步"),
    SpotAnswerState.SENT: lambda: tr("平台已收到"),
    SpotAnswerState.LATE: lambda: tr("平台已收到（逾期）"),
    SpotAnswerState.FAILED: lambda: tr("平台未接受，请重新答复"),
}


def size_text(n: int) -> str:
    if n < 1024 * 1024:
        return tr("{n} KB", n=max(1, round(n / 1024)))
    return tr("{n} MB", n=f"{n / (1024 * 1024):.1f}")


def materials_model() -> PagedTableModel[MaterialRow]:
    columns: list[Column[MaterialRow]] = [
        Column(tr("名称"), lambda m: m.title, tooltip=lambda m: m.file_name),
        Column(tr("类型"), lambda m: label(MATERIAL_KINDS, m.kind)),
        Column(tr("版本"), lambda m: m.version_label),
        Column(tr("作者/来源"), lambda m: m.author or "—"),
        Column(tr("审核人"), lambda m: m.reviewer or "—"),
        Column(tr("审核日期"), lambda m: m.reviewed_on.isoformat() if m.reviewed_on else "—"),
        Column(tr("使用班级"), lambda m: m.klass_names or tr("未指定")),
        Column(tr("大小"), lambda m: size_text(m.size_bytes)),
        Column(
            tr("报送平台"),
            lambda m: label(FILING, m.filing),
            foreground=lambda m: None if m.filing == MaterialFiling.FILED else WARN,
        ),
    ]
    return PagedTableModel(columns)


def time_left_text(item: SpotCheckItem, now: datetime | None = None) -> str:
    """“剩 2 天 5 小时”, “已逾期 3 小时”, or “—” once answered."""
    left = item.time_left(now or datetime.now(UTC))
    if item.status != SpotCheckStatus.OPEN or left is None:
        return "—"
    if left < timedelta(0):
        return tr("已逾期 {hours} 小时", hours=int(-left.total_seconds() // 3600))
    hours = int(left.total_seconds() // 3600)
    if hours >= 24:
        return tr("剩 {days} 天 {hours} 小时", days=hours // 24, hours=hours % 24)
    return tr("剩 {hours} 小时 {minutes} 分", hours=hours, minutes=int(left.total_seconds() // 60) % 60)


def _overdue(item: SpotCheckItem) -> bool:
    left = item.time_left(datetime.now(UTC))
    return item.needs_answer and left is not None and left < timedelta(hours=24)


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "—"


def spot_checks_model() -> PagedTableModel[SpotCheckItem]:
    columns: list[Column[SpotCheckItem]] = [
        Column(tr("课程"), lambda s: s.course_name),
        Column(tr("状态"), lambda s: label(CHECK_STATUS, s.status)),
        Column(tr("提出时间"), lambda s: _when(s.requested_at)),
        Column(tr("答复截止"), lambda s: _when(s.deadline_at)),
        Column(tr("剩余时间"), time_left_text, foreground=lambda s: WARN if _overdue(s) else None),
        Column(
            tr("本机答复"), lambda s: label(ANSWER_STATE, s.answer_state) if s.answer_state else tr("未答复")
        ),
        Column(tr("说明"), lambda s: s.note or "—", tooltip=lambda s: s.note or ""),
    ]
    return PagedTableModel(columns)
