"""The key check every ``/api/`` route passes through (tests/bot/api/test_authorization.py calls every
route of the running app; here the check itself, on a request built by hand)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from bot.api.auth import CHALLENGE, actor_of, presented_key, require_key
from bot.api.errors import ApiError, TooFast
from bot.auth.roles import Actor, Role
from bot.limits.buckets import AsyncBuckets
from bot.limits.guard import Guard
from bot.limits.policy import load_limits
from bot.settings import PROJECT_ROOT
from tests.conftest import TEST_REDIS_URL

KEYS = {
    "bz_author_secret": Actor("author", "health", Role.AUTHOR),
    "bz_reporter_secret": Actor("reporter", "health", Role.REPORTER),
}


class FakeBlueprint:
    """Keeps the middleware :func:`require_key` installs."""

    def __init__(self) -> None:
        self.middleware: list[Callable[[Any], Any]] = []

    def on_request(self, function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        self.middleware.append(function)
        return function


LIMITS = load_limits(PROJECT_ROOT / "config" / "limits.yml")


def _request(headers: dict[str, str], guard: Guard | None = None, address: str = "192.0.2.7") -> Any:
    app = SimpleNamespace(ctx=SimpleNamespace(authenticate=KEYS.get, guard=lambda: guard))
    return SimpleNamespace(headers=headers, app=app, ctx=SimpleNamespace(), remote_addr=address, ip=address)


def _check(headers: dict[str, str], address: str = "192.0.2.7") -> Any:
    blueprint = FakeBlueprint()
    require_key(blueprint)  # type: ignore[arg-type]
    [authenticate] = blueprint.middleware

    async def run() -> Any:
        client = aioredis.Redis.from_url(TEST_REDIS_URL)
        request = _request(headers, Guard(AsyncBuckets(client), LIMITS, client), address)
        try:
            await authenticate(request)
        finally:
            await client.close()
        return request

    return asyncio.run(run())


def test_the_key_is_read_from_the_bearer_header_or_x_api_key() -> None:
    assert presented_key(_request({"authorization": "Bearer  bz_a_b "})) == "bz_a_b"
    assert presented_key(_request({"authorization": "bearer bz_a_b"})) == "bz_a_b"
    assert presented_key(_request({"x-api-key": " bz_c_d"})) == "bz_c_d"
    assert presented_key(_request({"authorization": "Basic dXNlcg=="})) == ""
    assert presented_key(_request({})) == ""


def test_a_known_key_sets_the_actor() -> None:
    request = _check({"authorization": "Bearer bz_author_secret"})
    assert actor_of(request) == KEYS["bz_author_secret"]


@pytest.mark.parametrize(
    "headers,status,message",
    [
        ({}, 401, "needs a ministry key"),
        ({"authorization": "Bearer bz_nobody_secret"}, 401, "unknown or revoked"),
        ({"x-api-key": "bz_reporter_secret"}, 403, "a reporter key may only file concerns through Open311"),
    ],
)
def test_requests_without_a_valid_reading_key_are_refused(
    headers: dict[str, str], status: int, message: str
) -> None:
    with pytest.raises(ApiError, match=message) as refused:
        _check(headers)
    assert refused.value.status == status
    assert refused.value.headers == (CHALLENGE if status == 401 else {})


def test_an_address_sending_wrong_keys_is_locked_out_even_with_the_right_key(
    redis_client: redis.Redis[bytes],
) -> None:
    burst = int(LIMITS.failed_keys_per_address.burst)
    for _ in range(burst):
        with pytest.raises(ApiError, match="unknown or revoked"):
            _check({"authorization": "Bearer bz_nobody_secret"}, address="198.51.100.9")
    with pytest.raises(TooFast, match="too many wrong keys") as locked:
        _check({"authorization": "Bearer bz_author_secret"}, address="198.51.100.9")
    assert int(locked.value.retry_after) >= 1
    # Another address is not affected.
    assert actor_of(_check({"authorization": "Bearer bz_author_secret"}, address="198.51.100.10"))
