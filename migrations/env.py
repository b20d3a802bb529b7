"""Alembic environment: the URL comes from Baraza's settings (DATABASE_URL, or SQLite in .data/)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.schema import every_table, metadata

url = context.config.get_main_option("sqlalchemy.url")


def run() -> None:
    """Run the migrations online (Baraza never generates SQL offline)."""
    every_table()  # the metadata knows every feature's tables
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
