"""Password hashing (argon2) and random tokens stored as HMAC-SHA256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.models import ServerSecret

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self.hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self.dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        """Verify; with ``stored`` None, burn the same time against a dummy hash."""
        try:
            return self.hasher.verify(stored or self.dummy_hash, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self.hasher.check_needs_rehash(stored)


class TokenHasher:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def hash(self, token: str) -> str:
        return hmac.new(self.key, token.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def load_or_create_secret(session: Session, configured: str) -> bytes:
    if configured:
        return configured.encode()
    row = session.scalar(select(ServerSecret).where(ServerSecret.name == "token_hmac"))
    if row is None:
        row = ServerSecret(name="token_hmac", value=secrets.token_hex(32))
        session.add(row)
        session.commit()
    return row.value.encode()


EPOCH = "platform_epoch"


def load_or_create_epoch(session: Session) -> str:
    """The generation id of this platform's data (made once, kept in the database)."""
    row = session.scalar(select(ServerSecret).where(ServerSecret.name == EPOCH))
    if row is None:
        return new_epoch(session)
    return row.value


def new_epoch(session: Session) -> str:
    """Start a new generation: after restoring the database from a backup, every desk then re-sends what
    the platform lost (docs/sync.md, "A platform restored from a backup"). Commits."""
    value = secrets.token_hex(16)
    row = session.scalar(select(ServerSecret).where(ServerSecret.name == EPOCH))
    if row is None:
        session.add(ServerSecret(name=EPOCH, value=value))
    else:
        row.value = value
    session.commit()
    return value


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    """统一社会信用代码 check (GB 32100-2015)."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]
