"""Local users (前台 / 管理 / 统计): creation, sign-in, password changes, deactivation.

Passwords are hashed with argon2id (argon2-cffi) and re-hashed on sign-in when the parameters change.
A wrong password and an unknown user give the same error (and cost the same hash), so the sign-in form
does not tell an attacker which user names exist.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import now_utc
from app.db import Database, audit
from app.errors import InstDeskError, RuleViolation, ValidationError
from app.permissions import SYSTEM_ACTOR, Actor, Permission, Role, require
from app.services.lookups import get_live
from app.validators import validate_name
from localdb.models import AppUser, Institution, Staff

MESSAGES: dict[str, str] = {
    "auth.invalid": "用户名或密码错误",
    "auth.inactive": "该用户已停用，请联系管理员",
    "user.exists": "用户名“{username}”已存在",
    "user.bootstrap_done": "已存在用户，请由管理员登录后创建新用户",
    "user.weak_password": "密码至少需要{min_length}个字符",
    "user.bad_username": "用户名只能包含字母、数字、下划线、点和横线（1–50个字符）",
    "user.last_manager": "不能停用最后一个启用的管理员",
    "user.self_deactivate": "不能停用当前登录的用户",
    "user.no_institution": "本机还没有机构：请先创建机构（instdesk init）或登录平台下载（instdesk login）",
}
InstDeskError.register(MESSAGES)

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both failures cost one argon2 verification.

    Computed on first need, not at import: hashing costs ~0.16 s of every cold start otherwise.
    """
    return _hasher.hash("instdesk-no-such-user")


@dataclass(frozen=True)
class UserInfo:
    user_id: str
    username: str
    display_name: str
    role: Role
    active: bool


def _info(row: AppUser) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name, Role(row.role), row.active)


def _check_username(username: str) -> str:
    name = (username or "").strip()
    if not name or len(name) > 50 or not all(c.isalnum() or c in "_.-" for c in name):
        raise ValidationError("user.bad_username")
    return name


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("user.weak_password", min_length=MIN_PASSWORD_LENGTH)


def _insert_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    staff_id: str | None = None,
) -> UserInfo:
    name = _check_username(username)
    _check_password(password)
    shown = validate_name(display_name, "显示名称") if display_name.strip() else name
    if session.scalar(select(AppUser.id).where(AppUser.username == name)) is not None:
        raise RuleViolation("user.exists", username=name)
    row = AppUser(
        username=name, display_name=shown, role=Role(role).value, password_hash=_hasher.hash(password)
    )
    session.add(row)
    session.flush()
    link = {"staff_id": staff_id} if staff_id else {}
    audit(session, actor, "user.create", "app_user", row.id, username=name, role=row.role, **link)
    return _info(row)


def login_problems(username: str | None, password: str, confirm: str) -> dict[str, str]:
    """What ``create_user``/``reset_password`` would refuse, by field (``username`` None: not asked), plus
    a confirmation that differs, in plain Chinese — for a form that shows them as the user types."""
    found: dict[str, str] = {}
    if username is not None:
        try:
            _check_username(username)
        except InstDeskError as exc:
            found["username"] = exc.message
    try:
        _check_password(password)
    except InstDeskError as exc:
        found["password"] = exc.message
    if confirm != password:
        found["confirm"] = "两次输入的密码不一致"
    return found


@dataclass(frozen=True)
class StaffChoice:
    staff_id: str
    name: str


def staff_choices(db: Database, actor: Actor) -> list[StaffChoice]:
    """The staff on file, by name: whom a new login can be for."""
    require(actor, Permission.MANAGE_USERS)
    query = select(Staff.id, Staff.name).where(Staff.deleted_at.is_(None)).order_by(Staff.name, Staff.id)
    with db.reading() as session:
        return [StaffChoice(str(sid), str(name)) for sid, name in session.execute(query)]


def has_users(db: Database) -> bool:
    """Whether any local user exists (a desk that joined by platform login starts with none)."""
    with db.reading() as session:
        return bool(session.scalar(select(func.count()).select_from(AppUser)))


def bootstrap_admin(
    db: Database, username: str, password: str, display_name: str = "", *, need_institution: bool = False
) -> UserInfo:
    """Create the first manager; refused as soon as any user exists (then a manager creates users).

    ``need_institution``: refuse on a database with no institution yet (``user bootstrap`` on a desk
    that has neither been initialised nor joined the platform).
    """
    with db.transaction() as session:
        if need_institution and session.scalar(select(func.count()).select_from(Institution)) == 0:
            raise RuleViolation("user.no_institution")
        if session.scalar(select(func.count()).select_from(AppUser)):
            raise RuleViolation("user.bootstrap_done")
        return _insert_user(session, SYSTEM_ACTOR, username, password, Role.MANAGER, display_name)


def create_user(
    db: Database,
    actor: Actor,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    staff_id: str | None = None,
) -> UserInfo:
    """A manager adds a local user with a role; for a staff member (``staff_id``) the login shows the
    person's name, and the audit row records whose login it is."""
    require(actor, Permission.MANAGE_USERS)
    with db.transaction() as session:
        if staff_id:
            display_name = get_live(session, Staff, staff_id).name
        return _insert_user(session, actor, username, password, Role(role), display_name, staff_id)


def _verify(row: AppUser | None, password: str) -> bool:
    try:
        return _hasher.verify(row.password_hash if row else _dummy_hash(), password) and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(db: Database, username: str, password: str) -> Actor:
    """Sign in: the ``Actor`` every later use case runs as. Rehashes an outdated hash on the way."""
    with db.transaction() as session:
        row = session.scalars(select(AppUser).where(AppUser.username == (username or "").strip())).first()
        if row is None or not _verify(row, password):
            raise InstDeskError("auth.invalid")
        if not row.active:
            raise InstDeskError("auth.inactive")
        if _hasher.check_needs_rehash(row.password_hash):
            row.password_hash = _hasher.hash(password)
        actor = Actor(user_id=row.id, username=row.username, role=Role(row.role))
        audit(session, actor, "user.login", "app_user", row.id)
        return actor


def change_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    """Every user may change their own password after proving the old one."""
    _check_password(new_password)
    with db.transaction() as session:
        row = session.get(AppUser, actor.user_id)
        if row is None or not _verify(row, old_password):
            raise InstDeskError("auth.invalid")
        row.password_hash = _hasher.hash(new_password)
        row.updated_at = now_utc()
        audit(session, actor, "user.change_password", "app_user", row.id)


def reset_password(db: Database, actor: Actor, user_id: str, new_password: str) -> UserInfo:
    """A manager sets a new password for a user who forgot theirs (audited; the password is not)."""
    require(actor, Permission.MANAGE_USERS)
    _check_password(new_password)
    with db.transaction() as session:
        row = get_live(session, AppUser, user_id)
        row.password_hash = _hasher.hash(new_password)
        row.updated_at = now_utc()
        audit(session, actor, "user.reset_password", "app_user", row.id, username=row.username)
        return _info(row)


def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    require(actor, Permission.MANAGE_USERS)
    with db.reading() as session:
        return [_info(r) for r in session.scalars(select(AppUser).order_by(AppUser.username))]


def set_active(db: Database, actor: Actor, user_id: str, active: bool) -> UserInfo:
    """Enable or disable a user; the last active manager and oneself cannot be disabled (no lock-out)."""
    require(actor, Permission.MANAGE_USERS)
    with db.transaction() as session:
        row = get_live(session, AppUser, user_id)
        if not active and row.id == actor.user_id:
            raise RuleViolation("user.self_deactivate")
        if not active and row.role == Role.MANAGER.value and row.active:
            managers = session.scalar(
                select(func.count()).where(AppUser.role == Role.MANAGER.value, AppUser.active.is_(True))
            )
            if (managers or 0) <= 1:
                raise RuleViolation("user.last_manager")
        row.active = active
        audit(session, actor, "user.set_active", "app_user", row.id, active=active)
        return _info(row)


def approve(db: Database, username: str, password: str, permission: Permission) -> Actor:
    """A colleague with ``permission`` confirms an action at this desk with their own password (a
    manager approving a refund the front desk prepares); the approver is the ``Actor`` to run it as."""
    approver = authenticate(db, username, password)
    require(approver, permission)
    return approver
