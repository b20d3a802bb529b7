"""The API's rate limit helpers on a request built by hand (tests/security/ replays the floods live)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis

from bot.api.errors import TooFast
from bot.api.throttle import client_address, limit_ticket_lookups
from bot.limits.buckets import AsyncBuckets
from bot.limits.guard import Guard
from bot.limits.policy import load_limits
from bot.settings import PROJECT_ROOT
from tests.conftest import TEST_REDIS_URL

LIMITS = load_limits(PROJECT_ROOT / "config" / "limits.yml")


def _lookups(address: str, count: int) -> None:
    async def run() -> None:
        client = aioredis.Redis.from_url(TEST_REDIS_URL)
        guard = Guard(AsyncBuckets(client), LIMITS, client)
        request: Any = SimpleNamespace(
            app=SimpleNamespace(ctx=SimpleNamespace(guard=lambda: guard)), remote_addr=address, ip=address
        )
        try:
            await limit_ticket_lookups(request, count)
        finally:
            await client.close()

    asyncio.run(run())


def test_looking_up_more_tickets_than_the_limit_is_a_429_with_retry_after(
    redis_client: redis.Redis[bytes],
) -> None:
    _lookups("198.51.100.20", int(LIMITS.ticket_lookups_per_address.burst))
    with pytest.raises(TooFast, match="too many tickets") as refused:
        _lookups("198.51.100.20", 1)
    assert int(refused.value.retry_after) >= 1


def test_the_address_is_the_proxy_forwarded_one_when_trusted() -> None:
    request: Any = SimpleNamespace(remote_addr="203.0.113.9", ip="10.0.0.2")
    assert client_address(request) == "203.0.113.9"
    request = SimpleNamespace(remote_addr="", ip="10.0.0.2")
    assert client_address(request) == "10.0.0.2"
