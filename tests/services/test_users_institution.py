"""Users, sign-in and the institution's one-time set-up."""

from __future__ import annotations

import pytest

from app.db import Database
from app.errors import InstDeskError, NotFound, PermissionDenied, RuleViolation, ValidationError
from app.permissions import Permission, Role
from app.policy import PolicyParams
from app.services import institution, users
from tests.services.factory import DESK, MANAGER, USCC, audits, outbox


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its cheapest keeps these tests fast; sign-in then rehashes nothing it did not make."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


def test_init_creates_institution_policy_and_desk_code(blank_db: Database) -> None:
    info = institution.init_institution(blank_db, "鼓楼培训学校", USCC)
    assert info.uscc == USCC
    assert info.desk_code is not None and len(info.desk_code) == 2 and info.desk_code.isalnum()
    assert blank_db.desk_code() == info.desk_code
    assert institution.policy(blank_db) == PolicyParams()
    assert institution.get_institution(blank_db).name == "鼓楼培训学校"
    assert outbox(blank_db, "institution") == 1 and outbox(blank_db, "policy_profile") == 1
    assert audits(blank_db, "institution.init") == 1


def test_init_refuses_a_second_time_and_bad_input(blank_db: Database) -> None:
    with pytest.raises(NotFound):
        institution.get_institution(blank_db)
    with pytest.raises(ValidationError) as bad:
        institution.init_institution(blank_db, "x", USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
    assert bad.value.code == "uscc.checksum"
    with pytest.raises(ValidationError):
        institution.init_institution(blank_db, "x", USCC, "a-1")
    institution.init_institution(blank_db, "x", USCC, "b7")
    assert blank_db.desk_code() == "B7"
    with pytest.raises(RuleViolation) as again:
        institution.init_institution(blank_db, "y", USCC)
    assert again.value.code == "institution.exists"
    assert "不能重复" in str(again.value)


def test_bootstrap_and_sign_in(blank_db: Database) -> None:
    admin = users.bootstrap_admin(blank_db, "boss", "secret-pass")
    assert admin.role is Role.MANAGER
    with pytest.raises(RuleViolation):
        users.bootstrap_admin(blank_db, "other", "secret-pass")
    actor = users.authenticate(blank_db, "boss", "secret-pass")
    assert actor.role is Role.MANAGER and actor.user_id == admin.user_id
    desk = users.create_user(blank_db, actor, "front", "desk-pass-1", Role.FRONT_DESK, "前台小王")
    assert users.authenticate(blank_db, "front", "desk-pass-1").role is Role.FRONT_DESK
    assert [u.username for u in users.list_users(blank_db, actor)] == ["boss", "front"]
    with pytest.raises(RuleViolation):
        users.create_user(blank_db, actor, "front", "desk-pass-1", Role.STATS)
    with pytest.raises(ValidationError):
        users.create_user(blank_db, actor, "short", "1234", Role.STATS)
    assert desk.display_name == "前台小王"
    assert audits(blank_db, "user.create") == 2


def test_wrong_password_and_unknown_user_look_the_same(blank_db: Database) -> None:
    users.bootstrap_admin(blank_db, "boss", "secret-pass")
    errors = []
    for name, password in (("boss", "wrong-pass"), ("nobody", "secret-pass")):
        with pytest.raises(InstDeskError) as exc:
            users.authenticate(blank_db, name, password)
        errors.append((exc.value.code, str(exc.value)))
    assert errors[0] == errors[1] == ("auth.invalid", "用户名或密码错误")


def test_inactive_user_refused_and_password_change(blank_db: Database) -> None:
    users.bootstrap_admin(blank_db, "boss", "secret-pass")
    boss = users.authenticate(blank_db, "boss", "secret-pass")
    clerk = users.create_user(blank_db, boss, "clerk", "clerk-pass", Role.STATS)
    users.set_active(blank_db, boss, clerk.user_id, False)
    with pytest.raises(InstDeskError) as exc:
        users.authenticate(blank_db, "clerk", "clerk-pass")
    assert exc.value.code == "auth.inactive"
    with pytest.raises(RuleViolation):
        users.set_active(blank_db, boss, boss.user_id, False)
    users.change_password(blank_db, boss, "secret-pass", "new-secret-pass")
    with pytest.raises(InstDeskError):
        users.change_password(blank_db, boss, "secret-pass", "another-pass")
    assert users.authenticate(blank_db, "boss", "new-secret-pass").username == "boss"


def test_only_managers_manage_users(blank_db: Database) -> None:
    with pytest.raises(PermissionDenied):
        users.create_user(blank_db, DESK, "x", "password-1", Role.STATS)
    with pytest.raises(PermissionDenied):
        users.list_users(blank_db, DESK)
    with pytest.raises(PermissionDenied):
        institution.init_institution(blank_db, "x", USCC, actor=DESK)
    assert MANAGER.may(Permission.MANAGE_USERS)


def test_first_manager_of_a_desk_without_users(blank_db: Database) -> None:
    with pytest.raises(RuleViolation) as none:  # neither initialised nor joined: nothing to manage yet
        users.bootstrap_admin(blank_db, "boss", "password-1", need_institution=True)
    assert none.value.code == "user.no_institution" and not users.has_users(blank_db)
    institution.init_institution(blank_db, "测试培训学校", USCC)
    boss = users.bootstrap_admin(blank_db, "boss", "password-1", need_institution=True)
    assert boss.role is Role.MANAGER and users.has_users(blank_db)
    with pytest.raises(RuleViolation) as again:
        users.bootstrap_admin(blank_db, "boss2", "password-1", need_institution=True)
    assert again.value.code == "user.bootstrap_done"


def test_manager_adds_a_login_for_a_staff_member_resets_and_disables(blank_db: Database) -> None:
    from app.services import staffing

    institution.init_institution(blank_db, "测试培训学校", USCC)
    boss = users.authenticate(blank_db, *_boss(blank_db))
    person = staffing.add_staff(blank_db, boss, staffing.StaffInput("王前台", kind="other"))
    desk = users.create_user(blank_db, boss, "wang", "password-1", Role.FRONT_DESK, staff_id=person.staff_id)
    assert (desk.display_name, desk.role) == ("王前台", Role.FRONT_DESK)
    with pytest.raises(NotFound):
        users.create_user(blank_db, boss, "ghost", "password-1", Role.STATS, staff_id="no-such-staff")
    with pytest.raises(ValidationError):
        users.reset_password(blank_db, boss, desk.user_id, "short")
    with pytest.raises(PermissionDenied):
        users.reset_password(blank_db, DESK, desk.user_id, "password-2")
    users.reset_password(blank_db, boss, desk.user_id, "password-2")
    with pytest.raises(InstDeskError):
        users.authenticate(blank_db, "wang", "password-1")
    users.authenticate(blank_db, "wang", "password-2")
    users.set_active(blank_db, boss, desk.user_id, False)
    with pytest.raises(InstDeskError) as inactive:
        users.authenticate(blank_db, "wang", "password-2")
    assert inactive.value.code == "auth.inactive"
    assert audits(blank_db, "user.reset_password") == 1 and audits(blank_db, "user.set_active") == 1


def _boss(db: Database) -> tuple[str, str]:
    users.bootstrap_admin(db, "boss", "password-1")
    return "boss", "password-1"


def test_a_manager_approves_with_their_own_password(blank_db: Database) -> None:
    users.bootstrap_admin(blank_db, "boss", "boss-pass-1")
    manager = users.authenticate(blank_db, "boss", "boss-pass-1")
    users.create_user(blank_db, manager, "front", "front-pass-1", Role.FRONT_DESK)
    approver = users.approve(blank_db, "boss", "boss-pass-1", Permission.REFUND)
    assert approver.username == "boss" and approver.may(Permission.REFUND)
    with pytest.raises(InstDeskError) as wrong:
        users.approve(blank_db, "boss", "nope", Permission.REFUND)
    assert wrong.value.code == "auth.invalid"
    with pytest.raises(PermissionDenied):
        users.approve(blank_db, "front", "front-pass-1", Permission.REFUND)
