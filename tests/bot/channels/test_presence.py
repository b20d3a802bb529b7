"""Which web chat conversations are connected, as every Rasa replica sees it (real Redis)."""

from __future__ import annotations

import asyncio
import time

import redis
import redis.asyncio as aioredis

from bot import redis_keys
from bot.channels.presence import LIFETIME_SECONDS, WebChatPresence
from tests.conftest import TEST_REDIS_URL


def test_a_socket_held_by_one_replica_is_seen_by_another_until_it_leaves(
    redis_client: redis.Redis[bytes],
) -> None:
    async def run() -> list[bool]:
        client = aioredis.Redis.from_url(TEST_REDIS_URL)
        a, b = WebChatPresence(client, "replica-a"), WebChatPresence(client, "replica-b")
        seen = [await b.connected("web:x")]
        await a.arrive("web:x", "sid-1")
        await b.arrive("web:x", "sid-2")  # the same citizen's second tab, on the other replica
        seen.append(await b.connected("web:x"))
        await a.leave("web:x", "sid-1")
        seen.append(await a.connected("web:x"))  # the other tab still counts
        await b.leave("web:x", "sid-2")
        seen += [await a.connected("web:x"), await a.connected("web:y")]
        await client.close()
        return seen

    assert asyncio.run(run()) == [False, True, True, False, False]


def test_a_replica_gone_silent_stops_counting_and_renewed_sockets_keep_counting(
    redis_client: redis.Redis[bytes],
) -> None:
    key = redis_keys.web_chat_presence("web:z")

    async def run() -> list[bool]:
        client = aioredis.Redis.from_url(TEST_REDIS_URL)
        crashed, alive = WebChatPresence(client, "crashed"), WebChatPresence(client, "alive")
        await crashed.arrive("web:z", "sid-1")
        # the crashed replica's last renewal is a lifetime old
        redis_client.zadd(key, {"crashed:sid-1": time.time() - 1})
        gone = await alive.connected("web:z")
        await alive.renew([("web:z", "sid-2")])
        renewed = await alive.connected("web:z")
        await client.close()
        return [gone, renewed]

    assert asyncio.run(run()) == [False, True]
    assert redis_client.zrange(key, 0, -1) == [b"alive:sid-2"]  # the silent one's entry is swept
    assert 0 < redis_client.ttl(key) <= LIFETIME_SECONDS
