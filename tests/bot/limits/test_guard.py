"""The checks each door makes, on the real Redis, with the shipped limits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

import redis
import redis.asyncio as aioredis

from bot.limits.buckets import AsyncBuckets, Rate
from bot.limits.guard import Guard
from bot.limits.policy import Limits, load_limits
from bot.settings import PROJECT_ROOT
from tests.conftest import TEST_REDIS_URL

LIMITS = load_limits(PROJECT_ROOT / "config" / "limits.yml")


def _run(check: Callable[[Guard], Awaitable[Any]], url: str = TEST_REDIS_URL, limits: Limits = LIMITS) -> Any:
    async def run() -> Any:
        client = aioredis.Redis.from_url(url, socket_timeout=1)
        try:
            return await check(Guard(AsyncBuckets(client), limits, client))
        finally:
            await client.close()

    return asyncio.run(run())


def test_a_conversation_flooding_is_refused_and_told_once(redis_client: redis.Redis[bytes]) -> None:
    async def flood(guard: Guard) -> tuple[list[bool], list[bool]]:
        flood = int(LIMITS.messages_per_conversation.burst) + 10
        allowed = [(await guard.message("sms:+254700000001", None)).allowed for _ in range(flood)]
        told = [await guard.first_refusal("sms:+254700000001") for _ in range(3)]
        return allowed, told

    allowed, told = _run(flood)
    burst = int(LIMITS.messages_per_conversation.burst)
    assert allowed[:burst] == [True] * burst and not any(allowed[burst:])
    assert told == [True, False, False]
    assert _run(lambda guard: guard.message("sms:+254700000002", None)).allowed  # others go on


def test_one_address_is_limited_across_conversations(redis_client: redis.Redis[bytes]) -> None:
    async def flood(guard: Guard) -> list[bool]:
        return [(await guard.message(f"rest:c{n}", "198.51.100.1")).allowed for n in range(8)]

    tight = replace(LIMITS, messages_per_address=Rate(per_second=0.01, burst=5))
    assert _run(flood, limits=tight) == [True] * 5 + [False] * 3


def test_ticket_lookups_count_each_ticket(redis_client: redis.Redis[bytes]) -> None:
    burst = int(LIMITS.ticket_lookups_per_address.burst)
    assert _run(lambda guard: guard.ticket_lookups("198.51.100.2", burst)).allowed
    refused = _run(lambda guard: guard.ticket_lookups("198.51.100.2", 1))
    assert not refused.allowed and refused.retry_after > 0
    assert _run(lambda guard: guard.ticket_lookups("198.51.100.2", 0)).allowed


def test_without_redis_the_limits_let_requests_through() -> None:
    down = "redis://127.0.0.1:1/0"
    assert _run(lambda guard: guard.message("rest:x", "198.51.100.3"), down).allowed
    assert _run(lambda guard: guard.locked_out("198.51.100.3"), down).allowed
    assert _run(lambda guard: guard.failed_key("198.51.100.3"), down).allowed
    assert not _run(lambda guard: guard.first_refusal("rest:x"), down)


def test_exempt_addresses_skip_the_per_address_limits_only(redis_client: redis.Redis[bytes]) -> None:
    tight = replace(
        LIMITS,
        messages_per_address=Rate(per_second=0.01, burst=1),
        messages_per_conversation=Rate(per_second=0.01, burst=2),
        exempt_addresses=frozenset({"10.0.0.1"}),
    )

    async def flood(guard: Guard) -> tuple[list[bool], bool, bool]:
        exempt = [(await guard.message(f"rest:e{n}", "10.0.0.1")).allowed for n in range(5)]
        same_conversation = [(await guard.message("rest:one", "10.0.0.1")).allowed for _ in range(3)]
        return exempt, same_conversation[-1], (await guard.api_request("10.0.0.1")).allowed

    exempt, third_in_conversation, api = _run(flood, limits=tight)
    assert exempt == [True] * 5 and not third_in_conversation and api
