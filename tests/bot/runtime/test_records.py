"""The move of old records from Redis into the database, on SQLite and the real PostgreSQL.

Redis is seeded as the releases before kept it (written here key by key, not through today's
stores), the migration runs, everything is then read back through the services' own stores, and a
second run changes nothing.
"""

from __future__ import annotations

import hashlib
import json

import redis
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot import redis_keys
from bot.auth.keys import ApiKeyStore
from bot.auth.roles import Actor, Role
from bot.auth.tables import api_keys
from bot.runtime.records import Moved, migrate

OLD_KEY = "bz_a1b2c3d4e5f6_old-secret-issued-before-the-move-0000000000"
OLD_LEGACY_KEY = "bz_0a0b0c0d0e0f_a-key-from-before-persons-were-recorded-000"


def _seed_old_keys(client: redis.Redis[bytes]) -> None:
    client.hset(
        redis_keys.api_keys(),
        mapping={
            "a1b2c3d4e5f6": json.dumps(
                {
                    "digest": hashlib.sha256(OLD_KEY.encode()).hexdigest(),
                    "ministry": "health",
                    "role": "approver",
                    "name": "Dr A. Mwangi",
                    "person": "MOH-42",
                    "created_at": "2026-11-02T09:30:00+00:00",
                }
            ),
            "0a0b0c0d0e0f": json.dumps(  # no "person": keys issued before persons were recorded
                {
                    "digest": hashlib.sha256(OLD_LEGACY_KEY.encode()).hexdigest(),
                    "ministry": "meteo",
                    "role": "author",
                    "name": "forecaster",
                    "created_at": "2026-10-01T06:00:00+00:00",
                }
            ),
        },
    )


def _rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(api_keys)).scalar_one())


def test_old_api_keys_keep_working_after_the_move_and_a_second_run_changes_nothing(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_keys(redis_client)
    assert migrate(redis_client, database) == Moved(api_keys=2)
    store = ApiKeyStore(database)
    assert store.authenticate(OLD_KEY) == Actor(
        "a1b2c3d4e5f6", "health", Role.APPROVER, "Dr A. Mwangi", "MOH-42"
    )
    legacy = store.authenticate(OLD_LEGACY_KEY)
    assert legacy is not None and legacy.person_id == "key:0a0b0c0d0e0f"
    assert [(i.key_id, i.created_at) for i in store.list()] == [
        ("a1b2c3d4e5f6", "2026-11-02T09:30:00+00:00"),
        ("0a0b0c0d0e0f", "2026-10-01T06:00:00+00:00"),
    ]
    assert not redis_client.exists(redis_keys.api_keys())  # Redis no longer holds the record
    assert migrate(redis_client, database) == Moved()
    assert _rows(database) == 2
    assert store.revoke("a1b2c3d4e5f6")
    assert migrate(redis_client, database) == Moved()
    assert store.authenticate(OLD_KEY) is None  # a revoked key never comes back from Redis


def test_a_move_interrupted_after_copying_is_finished_by_the_next_run(
    redis_client: redis.Redis[bytes], database: Engine
) -> None:
    _seed_old_keys(redis_client)
    migrate(redis_client, database)
    _seed_old_keys(redis_client)  # as if the run had stopped before deleting what it had copied
    assert migrate(redis_client, database) == Moved()
    assert _rows(database) == 2 and not redis_client.exists(redis_keys.api_keys())
