"""Runtime settings of the platform server (one frozen dataclass, built by the CLI or the tests)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

PROTOCOL_MIN = 1
PROTOCOL_MAX = 1
SCHEMA_VERSION = 2


def default_db_url() -> str:
    """SQLite file in the user data directory (created when missing)."""
    data_dir = Path(platformdirs.user_data_dir("instdesk-platform", "InstDesk"))
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'platform.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    access_ttl_seconds: int = 15 * 60
    refresh_ttl_days: int = 90
    retention_days: int = 30
    max_body_bytes: int = 8 * 1024 * 1024
    max_ops_per_push: int = 1000
    max_page_limit: int = 5000
    # Parent simulation without a regulator token: for tests and local demos only.
    parent_sim_open: bool = False
    # argon2 cost; tests lower it so hundreds of logins stay fast.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # Failed logins: per (account, client address) a lock after login_max_failures; per account from
    # all addresses a ceiling (login_account_max_failures); per address over all accounts a high one (a
    # whole school behind one NAT must not be locked out by one mistyping user). None of these ever
    # stops a desk that holds a refresh token: refreshing is not a login.
    login_max_failures: int = 5
    login_account_max_failures: int = 100
    login_addr_max_failures: int = 1000
    login_window_seconds: int = 15 * 60
    login_lock_max_seconds: int = 15 * 60
    # HMAC key for token hashes; empty means "generate once and keep it in the database".
    token_secret: str = field(default_factory=lambda: os.environ.get("INSTDESK_PLATFORM_SECRET", ""))
    # A refresh token whose answer was lost may come back within this window, as long as the token that
    # replaced it was never used: the desk gets a new pair instead of being logged out. A day covers a
    # school's network going down for the night right after a lost answer; a copy used meanwhile is
    # caught when the desk's own token comes back (see auth.rotate_refresh).
    refresh_grace_seconds: int = 24 * 3600
    # Addresses of reverse proxies whose X-Forwarded-For is believed; without one the peer address is
    # the client (a header anyone can write must not choose whose login is throttled).
    trusted_proxies: tuple[str, ...] = ()
    confirm_working_days: int = 15
    # Training-material files (docs/materials.md): where they are kept ("" = a ``material_files`` folder
    # beside a SQLite database, else in the user data directory), the largest one accepted (the desk's
    # own limit, 50 MiB) and the default time a spot check gives the institution to answer.
    files_dir: str = ""
    max_file_bytes: int = 50 * 1024 * 1024
    spot_check_hours: int = 72
    refund_working_days: int = 5
