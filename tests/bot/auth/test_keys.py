"""Ministry API keys on both databases (SQLite and the real PostgreSQL): shown once, stored as a
digest, revocable.

Also the command line that manages them, ``python -m bot.auth``, run as a process.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Actor, Role
from bot.auth.tables import api_keys
from bot.concerns.database import make_engine
from bot.settings import PROJECT_ROOT
from tests.conftest import TEST_REDIS_URL

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def test_a_new_key_authenticates_its_holder_and_only_its_digest_is_stored(database: Engine) -> None:
    store = ApiKeyStore(database)
    key, info = store.create("health", Role.APPROVER, "Dr A. Mwangi", NOW)
    assert key.startswith(f"bz_{info.key_id}_") and info.created_at == NOW.isoformat()
    assert store.authenticate(key) == Actor(info.key_id, "health", Role.APPROVER, "Dr A. Mwangi")
    assert store.authenticate(f" {key} ") is not None
    with database.connect() as connection:
        [stored] = connection.execute(select(api_keys)).mappings().all()
    assert key not in {str(value) for value in stored.values()}
    assert stored["digest"] == hashlib.sha256(key.encode()).hexdigest()
    assert store.list()[0].created_at == NOW.isoformat()  # read back as it was given, in UTC


def test_wrong_malformed_and_revoked_keys_are_refused(database: Engine) -> None:
    store = ApiKeyStore(database)
    key, info = store.create("meteo", Role.AUTHOR, "forecaster", NOW)
    prefix, key_id, secret = key.split("_", 2)
    for wrong in (
        f"{prefix}_{key_id}_{'x' * len(secret)}",  # the right id, another secret
        f"xx_{key_id}_{secret}",
        f"bz__{secret}",
        "bz_only-two-parts",
        key + "x" * 200,
        "",
    ):
        assert store.authenticate(wrong) is None, wrong
    assert store.revoke(info.key_id) is True
    assert store.authenticate(key) is None
    assert store.revoke(info.key_id) is False


def test_keys_are_listed_by_ministry_then_name_without_secrets(database: Engine) -> None:
    store = ApiKeyStore(database)
    for ministry, name in (("meteo", "b"), ("health", "z"), ("meteo", "a")):
        store.create(ministry, Role.AUTHOR, name, NOW)
    assert [(i.ministry, i.name) for i in store.list()] == [("health", "z"), ("meteo", "a"), ("meteo", "b")]


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.auth", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "REDIS_URL": TEST_REDIS_URL, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_creates_lists_and_revokes_keys(sqlite_url: str) -> None:
    store = ApiKeyStore(make_engine(sqlite_url))
    created = _cli(
        sqlite_url,
        "create",
        "--ministry",
        "water",
        "--role",
        "admin",
        "--name",
        "Water admin",
        "--person",
        "WAT-7",
    )
    assert created.returncode == 0, created.stderr
    header, key = created.stdout.splitlines()
    actor = store.authenticate(key)
    assert actor is not None and (actor.ministry, actor.role, actor.person) == ("water", Role.ADMIN, "WAT-7")
    assert header.startswith(f"key id {actor.key_id} (admin, water, Water admin, WAT-7)")
    nobody = _cli(sqlite_url, "create", "--ministry", "water", "--role", "admin", "--name", "Water admin")
    assert nobody.returncode == 2 and "--person" in nobody.stderr  # every key names its person
    listed = _cli(sqlite_url, "list")
    assert actor.key_id in listed.stdout and key not in listed.stdout  # the secret is shown only once
    assert _cli(sqlite_url, "revoke", actor.key_id).stdout.strip() == f"revoked {actor.key_id}"
    assert store.authenticate(key) is None
    again = _cli(sqlite_url, "revoke", actor.key_id)
    assert again.returncode == 1 and "no key with id" in again.stderr
    unknown = _cli(
        sqlite_url, "create", "--ministry", "spaceflight", "--role", "author", "--name", "x", "--person", "p"
    )
    assert unknown.returncode == 2 and "unknown ministry 'spaceflight'" in unknown.stderr


def test_a_key_carries_its_person_and_unnamed_keys_are_their_own_person(database: Engine) -> None:
    store = ApiKeyStore(database)
    first, _ = store.create("health", Role.AUTHOR, "A. Mwangi (laptop)", NOW, person="MOH-42")
    second, _ = store.create("health", Role.APPROVER, "A. Mwangi (phone)", NOW, person="MOH-42")
    one, two = store.authenticate(first), store.authenticate(second)
    assert one is not None and two is not None and one.key_id != two.key_id
    assert one.person_id == two.person_id == "MOH-42"
    legacy, info = store.create("health", Role.AUTHOR, "old key", NOW)
    assert store.authenticate(legacy).person_id == f"key:{info.key_id}"  # type: ignore[union-attr]
    assert [i.person for i in store.list() if i.name.startswith("A. Mwangi")] == ["MOH-42", "MOH-42"]


def test_an_agent_key_names_its_desks_and_only_an_agent_key_does(database: Engine) -> None:
    store = ApiKeyStore(database)
    key, info = store.create(
        "health", Role.AGENT, "H. Otieno", NOW, person="MOH-107", desks=("health_line", "health_line")
    )
    actor = store.authenticate(key)
    assert actor is not None and actor.desks == frozenset({"health_line"}) and info.desks == ("health_line",)
    assert [i.desks for i in store.list()] == [("health_line",)]
    for role, desks in ((Role.AGENT, ()), (Role.AUTHOR, ("health_line",))):
        with pytest.raises(ValueError):
            store.create("health", role, "x", NOW, person="p", desks=desks)


def test_the_command_line_issues_agent_keys_for_the_ministrys_own_desks(sqlite_url: str) -> None:
    agent = (
        "create",
        "--ministry",
        "health",
        "--role",
        "agent",
        "--name",
        "H. Otieno",
        "--person",
        "MOH-107",
    )
    created = _cli(sqlite_url, *agent, "--desk", "health_line")
    assert created.returncode == 0, created.stderr
    header, key = created.stdout.splitlines()
    actor = ApiKeyStore(make_engine(sqlite_url)).authenticate(key)
    assert actor is not None and actor.role is Role.AGENT and actor.desks == frozenset({"health_line"})
    assert header.endswith("(agent, health, H. Otieno, MOH-107, desks health_line):")
    assert "desks health_line" in _cli(sqlite_url, "list").stdout
    missing = _cli(sqlite_url, *agent)
    assert missing.returncode == 2 and "at least one --desk" in missing.stderr
    other = _cli(sqlite_url, *agent, "--desk", "water_desk")
    assert other.returncode == 2 and "'water_desk' is not a desk of health" in other.stderr
    author = _cli(
        sqlite_url,
        "create",
        "--ministry",
        "health",
        "--role",
        "author",
        "--name",
        "a",
        "--person",
        "p",
        "--desk",
        "health_line",
    )
    assert author.returncode == 2 and "only an agent key names desks" in author.stderr
