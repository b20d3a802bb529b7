"""Connecting to the concerns database and bringing its schema up to date (Alembic).

``python -m bot.concerns.database upgrade`` migrates the configured database (``./baraza run`` and the
containers do it at start).
"""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.pool import QueuePool

from bot.settings import PROJECT_ROOT, load_settings

MIGRATIONS = PROJECT_ROOT / "migrations"
SQLITE_BUSY_SECONDS = 5
#: SQLite connections kept open per process (one writer at a time anyway; readers in parallel).
SQLITE_POOL = 5


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets WAL (readers do not block the writer) and foreign keys on.

    A SQLite writer waits at most :data:`SQLITE_BUSY_SECONDS` for another's lock, then fails: the
    citizen is told to try again rather than kept waiting. SQLite connections are kept in a pool
    (SQLAlchemy 1.4 opens and closes one per use for a file): the last connection to close a WAL
    database checkpoints it, a disk flush at every use that made an alert's approval 50 ms slower.
    Errors never carry the statement's values (``hide_parameters``): they are logged, and the values
    are what citizens wrote.
    """
    if url.startswith("sqlite"):
        _make_sqlite_folder(url)
        engine = create_engine(
            url,
            future=True,
            hide_parameters=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
            poolclass=QueuePool,
            pool_size=SQLITE_POOL,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(
        url, future=True, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20
    )


def _make_sqlite_folder(url: str) -> None:
    """SQLite creates its file, not the folder it goes in (``.data/`` on a fresh clone)."""
    path = url.split("///", 1)[-1]
    if url.startswith("sqlite") and path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def alembic_config(url: str) -> Config:
    """Alembic's configuration, built in code (no alembic.ini to keep in step)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Apply every migration not yet applied."""
    _make_sqlite_folder(url)
    command.upgrade(alembic_config(url), "head")


def downgrade_all(url: str) -> None:
    """Undo every migration (tests of the migrations themselves)."""
    command.downgrade(alembic_config(url), "base")


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv != ["upgrade"]:
        print("usage: python -m bot.concerns.database upgrade", file=sys.stderr)
        return 2
    upgrade(load_settings().effective_database_url)
    print("concerns database is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
