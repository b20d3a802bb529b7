"""The variables endpoints.yml reads, derived from one REDIS_URL."""

from __future__ import annotations

import pytest

from bot.runtime.redis_env import redis_endpoint_env, tracker_expiry_env


def test_redis_url_becomes_the_endpoint_variables() -> None:
    assert redis_endpoint_env("redis://:s%40cret@cache.internal:6380/2") == {
        "REDIS_HOST": "cache.internal",
        "REDIS_PORT": "6380",
        "REDIS_DB": "2",
        "REDIS_PASSWORD": "s@cret",
    }
    assert redis_endpoint_env("redis://localhost")["REDIS_DB"] == "0"


@pytest.mark.parametrize("bad", ["http://x:1/0", "redis://x:1/abc"])
def test_bad_redis_url_is_refused_with_a_reason(bad: str) -> None:
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_endpoint_env(bad)


def test_tls_urls_and_defaults() -> None:
    assert redis_endpoint_env("rediss://cache.example") == {
        "REDIS_HOST": "cache.example",
        "REDIS_PORT": "6379",
        "REDIS_DB": "0",
        "REDIS_PASSWORD": "",
    }


def test_conversations_expire_after_the_retention_from_their_first_save() -> None:
    assert tracker_expiry_env(90) == {"TRACKER_EXPIRY_SECONDS": "7776000"}
    assert tracker_expiry_env(0) == {"TRACKER_EXPIRY_SECONDS": "86400"}  # never 0: Rasa reads it as "keep"
