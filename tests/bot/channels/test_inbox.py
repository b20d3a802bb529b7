"""Messages held for a web chat user who is away: released once, oldest first, few and not for long."""

from __future__ import annotations

import asyncio

import redis

from bot import redis_keys
from bot.channels.inbox import KEEP_DAYS, MAX_MESSAGES, OfflineInbox
from tests.conftest import TEST_REDIS_URL


def test_held_messages_are_released_once_in_order(redis_client: redis.Redis[bytes]) -> None:
    async def run() -> tuple[list[object], list[object], list[object]]:
        inbox = OfflineInbox(TEST_REDIS_URL)
        await inbox.hold("conv-1", {"text": "first", "metadata": {"language": "sw"}})
        await inbox.hold("conv-1", {"text": "ſecond ✓"})
        await inbox.hold("conv-2", {"text": "someone else's"})
        return await inbox.release("conv-1"), await inbox.release("conv-1"), await inbox.release("conv-3")

    released, again, nobody = asyncio.run(run())
    assert released == [{"text": "first", "metadata": {"language": "sw"}}, {"text": "ſecond ✓"}]
    assert again == [] and nobody == []
    assert redis_client.llen(redis_keys.offline_inbox("socketio", "conv-2")) == 1


def test_only_the_latest_messages_are_kept_for_a_few_days(redis_client: redis.Redis[bytes]) -> None:
    key = redis_keys.offline_inbox("webchat", "conv-1")

    async def run() -> list[dict[str, object]]:
        inbox = OfflineInbox(TEST_REDIS_URL, channel="webchat")
        for i in range(MAX_MESSAGES + 5):
            await inbox.hold("conv-1", {"text": str(i)})
        assert redis_client.llen(key) == MAX_MESSAGES
        assert 0 < redis_client.ttl(key) <= KEEP_DAYS * 86400
        return await inbox.release("conv-1")

    assert [m["text"] for m in asyncio.run(run())] == [str(i) for i in range(5, MAX_MESSAGES + 5)]
