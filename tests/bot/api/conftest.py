"""The web app (ministry API and feeds) running as its own process on the test Redis."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from bot.alerts.model import utc_now
from bot.alerts.tables import alert_events, alert_outbox, alerts
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Role
from bot.auth.tables import api_keys
from bot.concerns.database import make_engine, upgrade
from bot.settings import PROJECT_ROOT

API_REDIS_URL = os.environ.get("API_REDIS_URL", "redis://127.0.0.1:6379/12")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Api:
    base: str

    def call(
        self,
        method: str,
        path: str,
        key: str | None = None,
        body: Any = None,
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> Reply:
        data = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
        headers = {"Accept": accept}
        if data is not None:
            headers["Content-Type"] = content_type
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return Reply(reply.status, reply.read(), {k.lower(): v for k, v in reply.headers.items()})
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), {k.lower(): v for k, v in error.headers.items()})


@pytest.fixture(scope="session")
def api_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The web app's concerns database (SQLite), migrated."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'concerns.db'}"
    upgrade(url)
    return url


#: The rate limits of the API tests' server: the defaults, but failed keys are not locked out (the
#: authorisation tests send hundreds of wrong keys; tests/security/ tries the real limits).
LOOSE_LIMITS = {"failed_keys_per_address": {"per_second": 1000, "burst": 100000}}


def serve_web_app(env: dict[str, str], folder: Path) -> Iterator[Api]:
    """The web app as its own process with ``env``, until the test is done (its log in ``folder``)."""
    log = folder.joinpath("web.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.web"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    api = Api(f"http://127.0.0.1:{env['BARAZA_WEB_PORT']}")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if api.call("GET", "/health").status == 200:
                break
        except OSError:
            pass
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the web app did not start")
    yield api
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory, api_database: str) -> Iterator[Api]:
    port = _free_port()
    limits = yaml.safe_load((PROJECT_ROOT / "config" / "limits.yml").read_text(encoding="utf-8"))
    limits_file = tmp_path_factory.mktemp("limits") / "limits.yml"
    limits_file.write_text(yaml.safe_dump({**limits, **LOOSE_LIMITS}), encoding="utf-8")
    env = {
        **os.environ,
        "BARAZA_LIMITS_FILE": str(limits_file),
        "DATABASE_URL": api_database,
        "REDIS_URL": API_REDIS_URL,
        "BARAZA_WEB_PORT": str(port),
        "BARAZA_WEB_HOST": "127.0.0.1",
        "BARAZA_PUBLIC_URL": f"http://127.0.0.1:{port}",  # feed links are built from it
    }
    yield from serve_web_app(env, tmp_path_factory.mktemp("web"))


@pytest.fixture()
def api_redis() -> Iterator[redis.Redis[bytes]]:
    client = redis.Redis.from_url(API_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


#: The handoff desks of each test ministry's agent key (meteo has no desk of its own: it answers disasters).
AGENT_DESKS = {"health": ("health_line",), "meteo": ("disaster_desk",)}


@pytest.fixture()
def api_key_store(api_database: str) -> Iterator[ApiKeyStore]:
    """The web app's API keys (in its database), none issued yet, and no alert filed yet (their records
    are in the same database, and Redis, emptied by ``api_redis``, holds only what was shown of them)."""
    engine = make_engine(api_database)
    with engine.begin() as connection:
        connection.execute(api_keys.delete())
        for table in (alert_outbox, alert_events, alerts):
            connection.execute(table.delete())
    yield ApiKeyStore(engine)
    engine.dispose()


@pytest.fixture()
def keys(api_redis: redis.Redis[bytes], api_key_store: ApiKeyStore) -> dict[str, str]:
    """A key per (ministry, role) used by the tests, e.g. keys["health/author"]; agent keys answer for
    :data:`AGENT_DESKS`, and "health/agent2" is a second agent of the health line."""
    store = api_key_store
    issued = {}
    for ministry in ("health", "meteo"):
        for role in Role:
            desks = AGENT_DESKS[ministry] if role is Role.AGENT else ()
            person = f"{ministry}-agent" if role is Role.AGENT else ""
            key, _ = store.create(
                ministry, role, f"{ministry} {role.value}", utc_now(), person=person, desks=desks
            )
            issued[f"{ministry}/{role.value}"] = key
    key, _ = store.create(
        "health",
        Role.AGENT,
        "second health agent",
        utc_now(),
        person="health-agent-2",
        desks=("health_line",),
    )
    issued["health/agent2"] = key
    key, _ = store.create("health", Role.APPROVER, "second health approver", utc_now())
    issued["health/approver2"] = key
    return issued


@pytest.fixture()
def health_concern(api_database: str) -> str:
    """A concern routed to the Ministry of Health, with consent to be contacted; its ticket."""
    from bot.catalogue.bundle import load_catalogues
    from bot.concerns.model import NewConcern
    from bot.concerns.service import ConcernService
    from bot.concerns.store import ConcernStore

    catalogues = load_catalogues(PROJECT_ROOT / "config")
    service = ConcernService(ConcernStore(make_engine(api_database)), lambda: catalogues, utc_now)
    new = NewConcern(
        "health",
        "No medicine at the Ziwani clinic. Call me on 0712 345 678.",
        "lakes",
        "Ziwani",
        "en",
        "rest",
        "rest:api-test",
        True,
    )
    return service.file(new).ticket
