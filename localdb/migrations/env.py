"""Alembic environment for the local database.

Runs only with a connection handed over by ``localdb.engine.upgrade_to_head`` (or a developer script), so
no alembic.ini or URL is needed at runtime; the caller owns the transaction.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from localdb.models import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("localdb migrations run through localdb.engine.upgrade_to_head(engine_or_path)")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported for the local database")
run_migrations_online()
