"""The screens of the left navigation, in order, each with the permission that shows it.

To add a screen: write a ``Panel`` subclass in its own module and add its ``PanelSpec`` below
(the title goes through ``tr()`` inside a lambda so it is translated when the window is built).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.permissions import Actor, Permission
from ui.context import AppContext
from ui.i18n import tr
from ui.panels.base import Panel


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: Callable[[], str]
    permission: Permission
    factory: Callable[[AppContext], Panel]

    def allowed(self, actor: Actor | None) -> bool:
        return actor is not None and actor.may(self.permission)


# Each factory imports its screen on first use: only the first screen's module is loaded at start-up.


def _today(ctx: AppContext) -> Panel:
    from ui.panels.today import TodayPanel

    return TodayPanel(ctx)


def _frontdesk(ctx: AppContext) -> Panel:
    from ui.panels.frontdesk import FrontDeskPanel

    return FrontDeskPanel(ctx)


def _students(ctx: AppContext) -> Panel:
    from ui.panels.students import StudentsPanel

    return StudentsPanel(ctx)


def _courses(ctx: AppContext) -> Panel:
    from ui.panels.courses import CoursesPanel

    return CoursesPanel(ctx)


def _schedule(ctx: AppContext) -> Panel:
    from ui.panels.schedule import SchedulePanel

    return SchedulePanel(ctx)


def _staff(ctx: AppContext) -> Panel:
    from ui.panels.staff import StaffPanel

    return StaffPanel(ctx)


def _inbox(ctx: AppContext) -> Panel:
    from ui.panels.inbox import InboxPanel

    return InboxPanel(ctx)


def _stats(ctx: AppContext) -> Panel:
    from ui.panels.stats import StatsPanel

    return StatsPanel(ctx)


def _users(ctx: AppContext) -> Panel:
    from ui.panels.users import UsersPanel

    return UsersPanel(ctx)


def _owed(ctx: AppContext) -> Panel:
    from ui.panels.owed import OwedPanel

    return OwedPanel(ctx)


PANELS: list[PanelSpec] = [
    PanelSpec("today", lambda: tr("今日"), Permission.VIEW_STUDENTS, _today),
    PanelSpec("frontdesk", lambda: tr("前台"), Permission.ROLL_CALL, _frontdesk),
    PanelSpec("students", lambda: tr("学员"), Permission.VIEW_STUDENTS, _students),
    PanelSpec("courses", lambda: tr("课程"), Permission.MANAGE_COURSES, _courses),
    PanelSpec("schedule", lambda: tr("排课"), Permission.MANAGE_SCHEDULE, _schedule),
    PanelSpec("staff", lambda: tr("员工"), Permission.MANAGE_STAFF, _staff),
    PanelSpec("platform", lambda: tr("平台"), Permission.SYNC, _inbox),
    PanelSpec("stats", lambda: tr("统计"), Permission.VIEW_STATS, _stats),
    PanelSpec("users", lambda: tr("用户"), Permission.MANAGE_USERS, _users),
    # last, so the Ctrl+1…9 keys of the screens before it stay as they were
    PanelSpec("owed", lambda: tr("先学后付"), Permission.TAKE_PAYMENT, _owed),
]


def visible_panels(actor: Actor | None) -> list[PanelSpec]:
    return [spec for spec in PANELS if spec.allowed(actor)]
