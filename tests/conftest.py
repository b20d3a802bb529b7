"""Fixtures shared by every test: the real catalogues and language identification."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from bot.catalogue.bundle import Catalogues, LiveCatalogues, load_catalogues
from bot.language.identify import LanguageIdentifier
from bot.services import Services
from bot.settings import PROJECT_ROOT, load_settings

#: The CAP samples of ../shared/benchmarks/cap/, copied so the tests run from any clone.
CAP_SAMPLES = PROJECT_ROOT / "tests" / "data" / "cap"
#: Where the shared benchmark data lives, when it is there.
SHARED_BENCHMARKS = PROJECT_ROOT.parent / "shared" / "benchmarks"

#: Tests use a real Redis: TEST_REDIS_URL, else the machine's server on 6379, database 14.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


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
    redis_client: redis.Redis[bytes], identifier: LanguageIdentifier, live_catalogues: LiveCatalogues
) -> Services:
    """Baraza's services over the test Redis (emptied before and after), with the session's catalogues
    and language identifier (each takes a second or two to load)."""
    return with_session_parts(
        Services(load_settings({"REDIS_URL": TEST_REDIS_URL})), identifier, live_catalogues
    )


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
