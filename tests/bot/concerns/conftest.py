"""The concerns store on both databases it supports: SQLite (default) and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.concerns.database import downgrade_all, make_engine, upgrade

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def migrated_postgres() -> str:
    """PostgreSQL migrated down to nothing and up again (the migrations are tested both ways)."""
    downgrade_all(POSTGRES_URL)
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concerns.db'}"
        upgrade(url)
    else:
        url = request.getfixturevalue("migrated_postgres")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM concern_notices"))
        connection.execute(text("DELETE FROM concern_events"))
        connection.execute(text("DELETE FROM concerns"))
    yield engine
    engine.dispose()
