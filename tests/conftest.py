"""Fixtures shared by every test: the real catalogues and language identification."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml
from sqlalchemy.engine import Engine

from bot.catalogue.bundle import Catalogues, LiveCatalogues, load_catalogues
from bot.concerns.database import downgrade_all, make_engine, upgrade
from bot.language.identify import LanguageIdentifier
from bot.schema import every_table
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings

#: The CAP samples of ../shared/benchmarks/cap/, copied so the tests run from any clone.
CAP_SAMPLES = PROJECT_ROOT / "tests" / "data" / "cap"
#: Where the shared benchmark data lives, when it is there.
SHARED_BENCHMARKS = PROJECT_ROOT.parent / "shared" / "benchmarks"

#: Tests use a real Redis: TEST_REDIS_URL, else the machine's server on 6379, database 14.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
#: The stores' tests also run against a real PostgreSQL: TEST_DATABASE_URL (a database of its own).
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated SQLite file, made once: each test gets a copy (migrating takes a second)."""
    path = tmp_path_factory.mktemp("schema") / "baraza.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture()
def sqlite_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    """A fresh, migrated SQLite database of this test's own."""
    path = tmp_path / "baraza.db"
    shutil.copyfile(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def postgres_schema() -> str:
    """PostgreSQL migrated down to nothing and up again (the migrations are tested both ways)."""
    downgrade_all(POSTGRES_URL)
    upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on each database Baraza supports, every table empty (SQLite: the embedded default)."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_schema")
    engine = make_engine(url)
    with engine.begin() as connection:
        for table in reversed(every_table()):
            connection.execute(table.delete())
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def config_dir() -> Path:
    return PROJECT_ROOT / "config"


@pytest.fixture(scope="session")
def catalogues(config_dir: Path) -> Catalogues:
    return load_catalogues(config_dir)


@pytest.fixture(scope="session")
def live_catalogues(config_dir: Path) -> LiveCatalogues:
    """The catalogues as the processes follow them, loaded once (the question index takes a second)."""
    return LiveCatalogues(config_dir)


@pytest.fixture(scope="session")
def identifier(catalogues: Catalogues) -> LanguageIdentifier:
    return LanguageIdentifier(catalogues.languages.codes)


@pytest.fixture()
def redis_client() -> redis.Redis[bytes]:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture()
def services(
    redis_client: redis.Redis[bytes],
    sqlite_url: str,
    identifier: LanguageIdentifier,
    live_catalogues: LiveCatalogues,
) -> Iterator[Services]:
    """Baraza's services over the test Redis (emptied before and after) and a fresh SQLite database,
    with the session's catalogues and language identifier (each takes a second or two to load)."""
    built = Services(load_settings({"REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": sqlite_url}))
    yield with_session_parts(built, identifier, live_catalogues)
    if "database" in built.__dict__:
        built.database.dispose()


def with_session_parts(built: Services, identifier: LanguageIdentifier, live: LiveCatalogues) -> Services:
    """``built`` using the catalogues and language identifier loaded once for the test session."""
    built.live_catalogues = live
    built.__dict__["language_identifier"] = identifier
    return built


@pytest.fixture()
def config_copy(tmp_path: Path, config_dir: Path) -> Path:
    """A copy of config/ a test may edit."""
    target = tmp_path / "config"
    shutil.copytree(config_dir, target)
    return target


def edit_yaml(path: Path, change: Callable[[Any], object]) -> None:
    """Load a YAML data file, let ``change`` edit it in place, write it back (tests on ``config_copy``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
