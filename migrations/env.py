"""Alembic environment for the contributions store (workforce/store.py). The URL comes from the caller
(`workforce.store.upgrade(url)`), else WORKFORCE_STORE_URL, else the embedded SQLite file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from workforce import store

config = context.config
url = config.get_main_option("sqlalchemy.url") or store.url_from_env()


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=store.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=store.metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
