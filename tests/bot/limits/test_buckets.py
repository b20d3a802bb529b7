"""Token buckets on the real Redis: shared by every client, refill with time, charge below zero."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
import redis.asyncio as aioredis

from bot.limits.buckets import AsyncBuckets, Buckets, Decision, Rate
from tests.conftest import TEST_REDIS_URL


def test_a_bucket_lets_its_burst_through_then_refuses_with_the_wait(redis_client: redis.Redis[bytes]) -> None:
    buckets = Buckets(redis_client)
    rate = Rate(per_second=2, burst=5)
    assert all(buckets.take("t:a", rate).allowed for _ in range(5))
    refused = buckets.take("t:a", rate)
    assert not refused.allowed and 0 < refused.retry_after <= 0.5
    assert refused.retry_after_header == "1"
    time.sleep(0.6)
    assert buckets.take("t:a", rate).allowed  # refilled at 2 per second
    assert buckets.take("t:b", rate).allowed  # another subject has its own bucket


def test_two_clients_share_one_bucket(redis_client: redis.Redis[bytes]) -> None:
    rate = Rate(per_second=0.01, burst=3)
    first, second = Buckets(redis_client), Buckets(redis.Redis.from_url(TEST_REDIS_URL))
    taken = [first.take("t:shared", rate).allowed, second.take("t:shared", rate).allowed]
    taken += [first.take("t:shared", rate).allowed, second.take("t:shared", rate).allowed]
    assert taken == [True, True, True, False]


def test_charging_goes_below_zero_so_persistence_waits_longer(redis_client: redis.Redis[bytes]) -> None:
    buckets = Buckets(redis_client)
    rate = Rate(per_second=0.1, burst=2)
    assert buckets.charge("t:c", rate, floor=-10).allowed
    assert buckets.charge("t:c", rate, floor=-10).allowed
    waits = [buckets.charge("t:c", rate, floor=-10).retry_after for _ in range(5)]
    assert waits == sorted(waits) and waits[-1] > waits[0] + 30  # every try adds 10 s
    assert not buckets.check("t:c", rate).allowed
    for _ in range(100):
        buckets.charge("t:c", rate, floor=-10)
    assert buckets.check("t:c", rate).retry_after <= 111  # the floor bounds the lockout


def test_a_rate_must_refill_and_hold_a_token() -> None:
    with pytest.raises(ValueError):
        Rate(per_second=0, burst=5)
    with pytest.raises(ValueError):
        Rate(per_second=1, burst=0)
    assert Decision(False, 0.2).retry_after_header == "1"
    assert Decision(False, 7.3).retry_after_header == "8"


def test_the_asyncio_buckets_are_the_same_buckets(redis_client: redis.Redis[bytes]) -> None:
    rate = Rate(per_second=0.01, burst=2)
    assert Buckets(redis_client).take("t:d", rate).allowed

    async def take() -> list[bool]:
        client = aioredis.Redis.from_url(TEST_REDIS_URL)
        try:
            buckets = AsyncBuckets(client)
            return [(await buckets.take("t:d", rate)).allowed for _ in range(2)]
        finally:
            await client.close()

    assert asyncio.run(take()) == [True, False]
