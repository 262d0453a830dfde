"""Local users' roles and what each may do; every use case calls ``require`` first."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import InstDeskError, PermissionDenied


class Role(StrEnum):
    FRONT_DESK = "front_desk"  # 前台
    MANAGER = "manager"  # 管理
    STATS = "stats"  # 统计


ROLE_LABELS: dict[Role, str] = {Role.FRONT_DESK: "前台", Role.MANAGER: "管理", Role.STATS: "统计"}


class Permission(StrEnum):
    ROLL_CALL = "roll_call"
    ENROLL = "enroll"
    TAKE_PAYMENT = "take_payment"
    EDIT_STUDENTS = "edit_students"
    VIEW_STUDENTS = "view_students"
    MANAGE_COURSES = "manage_courses"
    MANAGE_CLASSES = "manage_classes"
    MANAGE_SCHEDULE = "manage_schedule"
    MANAGE_STAFF = "manage_staff"
    REFUND = "refund"
    CORRECT_LEDGER = "correct_ledger"
    MANAGE_USERS = "manage_users"
    MANAGE_INSTITUTION = "manage_institution"
    VIEW_STATS = "view_stats"
    EXPORT = "export"
    IMPORT = "import"
    SYNC = "sync"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.ROLL_CALL: "点名消课",
    Permission.ENROLL: "报名签约",
    Permission.TAKE_PAYMENT: "收费",
    Permission.EDIT_STUDENTS: "编辑学员",
    Permission.VIEW_STUDENTS: "查看学员",
    Permission.MANAGE_COURSES: "管理课程",
    Permission.MANAGE_CLASSES: "管理班级",
    Permission.MANAGE_SCHEDULE: "排课",
    Permission.MANAGE_STAFF: "管理员工",
    Permission.REFUND: "退费",
    Permission.CORRECT_LEDGER: "冲正流水",
    Permission.MANAGE_USERS: "管理用户",
    Permission.MANAGE_INSTITUTION: "机构设置",
    Permission.VIEW_STATS: "查看统计",
    Permission.EXPORT: "导出数据",
    Permission.IMPORT: "导入数据",
    Permission.SYNC: "同步",
}

_FRONT_DESK = {
    Permission.ROLL_CALL,
    Permission.ENROLL,
    Permission.TAKE_PAYMENT,
    Permission.EDIT_STUDENTS,
    Permission.VIEW_STUDENTS,
    Permission.IMPORT,
    Permission.SYNC,
}
_STATS = {Permission.VIEW_STATS, Permission.EXPORT, Permission.VIEW_STUDENTS}
_MANAGER = set(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DESK: frozenset(_FRONT_DESK),
    Role.MANAGER: frozenset(_MANAGER),
    Role.STATS: frozenset(_STATS),
}

InstDeskError.register({"permission.denied": "权限不足:{role_label}不能执行“{permission_label}”"})


@dataclass(frozen=True)
class Actor:
    """The signed-in local user on whose behalf a use case runs."""

    user_id: str
    username: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]


def require(actor: Actor, permission: Permission) -> None:
    """Raise a clear permission error unless the actor's role allows ``permission``."""
    if not actor.may(permission):
        raise PermissionDenied(
            "permission.denied",
            role=actor.role.value,
            permission=permission.value,
            role_label=ROLE_LABELS[actor.role],
            permission_label=PERMISSION_LABELS[permission],
        )


#: used by the CLI's maintenance commands (init, demo-data, import from a script) and by tests
SYSTEM_ACTOR = Actor(user_id="system", username="system", role=Role.MANAGER)
