"""A raw DB-API connection to a test database of either kind (plain, or encrypted with the keyring's key)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.dbkey import key_for
from localdb.cipher import connect
from localdb.engine import open_engine


def raw_connect(path: str | Path, **kwargs: Any) -> sqlite3.Connection:
    return connect(path, key_for(path).key, **kwargs)


def file_engine(path: str | Path) -> Engine:
    """``open_engine`` on a test database of either kind."""
    return open_engine(path, key=key_for(path).key)
