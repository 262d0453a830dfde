"""Creating institutions and regulators (CLI, demo seed, tests)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.clock import Clock
from platform_server.models import Institution, InstitutionCounter, Regulator
from platform_server.security import Passwords, uscc_valid


class AccountError(ValueError):
    pass


def create_institution(
    session: Session, passwords: Passwords, clock: Clock, uscc: str, name: str, password: str
) -> Institution:
    uscc = uscc.strip().upper()
    if not uscc_valid(uscc):
        raise AccountError(f"统一社会信用代码无效 / invalid USCC: {uscc}")
    if len(password) < 8:
        raise AccountError("密码至少 8 位 / password needs at least 8 characters")
    if session.scalar(select(Institution.id).where(Institution.uscc == uscc)) is not None:
        raise AccountError(f"机构已存在 / institution already exists: {uscc}")
    inst = Institution(
        id=str(uuid.uuid4()),
        uscc=uscc,
        name=name,
        password_hash=passwords.hash(password),
        created_at=clock.now(),
    )
    session.add(inst)
    session.flush()
    session.add(InstitutionCounter(institution_id=inst.id, last_seq=0, pruned_seq=0))
    session.flush()
    return inst


def create_regulator(
    session: Session, passwords: Passwords, clock: Clock, name: str, password: str
) -> Regulator:
    if len(password) < 8:
        raise AccountError("密码至少 8 位 / password needs at least 8 characters")
    if session.scalar(select(Regulator.id).where(Regulator.name == name)) is not None:
        raise AccountError(f"监管账号已存在 / regulator already exists: {name}")
    reg = Regulator(
        id=str(uuid.uuid4()), name=name, password_hash=passwords.hash(password), created_at=clock.now()
    )
    session.add(reg)
    session.flush()
    return reg
