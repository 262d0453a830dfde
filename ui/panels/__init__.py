"""The screens of the left navigation, in order, each with the permission that shows it.

To add a screen: write a ``Panel`` subclass in its own module and add its ``PanelSpec`` below
(the title goes through ``tr()`` inside a lambda so it is translated when the window is built).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

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


def _frontdesk(ctx: AppContext) -> Panel:
    from ui.panels.frontdesk import FrontDeskPanel

    return FrontDeskPanel(ctx)


def _students(ctx: AppContext) -> Panel:
    from ui.panels.students import StudentsPanel

    return StudentsPanel(ctx)


def _lazy(module: str, name: str) -> Callable[[AppContext], Panel]:
    """The factory of a screen whose module is imported on first use (keeps start-up fast)."""

    def build(ctx: AppContext) -> Panel:
        panel: Panel = getattr(import_module(f"ui.panels.{module}"), name)(ctx)
        return panel

    return build


PANELS: list[PanelSpec] = [
    PanelSpec("today", lambda: tr("今日"), Permission.VIEW_STUDENTS, _lazy("today", "TodayPanel")),
    PanelSpec("frontdesk", lambda: tr("前台"), Permission.ROLL_CALL, _frontdesk),
    PanelSpec("students", lambda: tr("学员"), Permission.VIEW_STUDENTS, _students),
    PanelSpec("courses", lambda: tr("课程"), Permission.MANAGE_COURSES, _lazy("courses", "CoursesPanel")),
    PanelSpec("schedule", lambda: tr("排课"), Permission.MANAGE_SCHEDULE, _lazy("schedule", "SchedulePanel")),
    PanelSpec("staff", lambda: tr("员工"), Permission.MANAGE_STAFF, _lazy("staff", "StaffPanel")),
    PanelSpec("platform", lambda: tr("平台"), Permission.SYNC, _lazy("inbox", "InboxPanel")),
    PanelSpec("stats", lambda: tr("统计"), Permission.VIEW_STATS, _lazy("stats", "StatsPanel")),
    PanelSpec("users", lambda: tr("用户"), Permission.MANAGE_USERS, _lazy("users", "UsersPanel")),
]


def visible_panels(actor: Actor | None) -> list[PanelSpec]:
    return [spec for spec in PANELS if spec.allowed(actor)]
