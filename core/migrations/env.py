"""Alembic environment: runs migrations on the URL (or connection) given by core.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection

from core.db import make_engine
from core.migrate import check_foreign_keys, sqlite_foreign_keys_suspended
from core.model_registry import load_all_models

config = context.config
target_metadata = load_all_models()


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=config.attributes["database_url"],
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run on the given connection, or on a throwaway engine for the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.attributes["database_url"], poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: Connection) -> None:
    is_sqlite = connection.dialect.name == "sqlite"
    with sqlite_foreign_keys_suspended(connection):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER constraints: batch mode rebuilds the table instead.
            render_as_batch=is_sqlite,
            # SQLite DDL is transactional: one transaction makes a failed upgrade a no-op.
            transactional_ddl=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            check_foreign_keys(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
