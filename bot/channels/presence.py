"""Which web chat conversations have a socket open, on any Rasa replica.

A push (an alert, news of a concern) handled by one replica must go live to a citizen whose socket
another replica holds, and only a conversation nobody holds goes to the offline inbox
(:mod:`bot.channels.inbox`). Each replica records its sockets here, per conversation, with a time after
which they stop counting (:data:`LIFETIME_SECONDS`), and renews them while they stay open
(:data:`RENEW_EVERY_SECONDS`): a replica that crashes without saying goodbye is forgotten within a
minute and a half, and the pushes for its citizens go to their inbox again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import redis.asyncio as aioredis

from bot import redis_keys

#: How long a socket counts as connected without being renewed.
LIFETIME_SECONDS = 90
#: How often each replica renews its sockets (well within their lifetime).
RENEW_EVERY_SECONDS = 30


class WebChatPresence:
    """The sockets connected to each web chat conversation, shared by every replica through Redis."""

    def __init__(self, client: aioredis.Redis[bytes], process: str) -> None:
        self._redis = client
        self._process = process

    def _member(self, socket_id: str) -> str:
        return f"{self._process}:{socket_id}"

    async def arrive(self, conversation_id: str, socket_id: str) -> None:
        """A socket of this process now holds ``conversation_id``."""
        await self.renew([(conversation_id, socket_id)])

    async def leave(self, conversation_id: str, socket_id: str) -> None:
        """The socket closed, or asked for another conversation."""
        await self._redis.zrem(redis_keys.web_chat_presence(conversation_id), self._member(socket_id))

    async def renew(self, held: Iterable[tuple[str, str]]) -> None:
        """(conversation, socket) pairs this process still holds: they count for another lifetime."""
        until = time.time() + LIFETIME_SECONDS
        pipe = self._redis.pipeline(transaction=False)
        count = 0
        for conversation_id, socket_id in held:
            key = redis_keys.web_chat_presence(conversation_id)
            pipe.zadd(key, {self._member(socket_id): until})
            pipe.zremrangebyscore(key, "-inf", time.time())  # sockets of replicas gone silent
            pipe.expire(key, LIFETIME_SECONDS)
            count += 1
        if count:
            await pipe.execute()

    async def connected(self, conversation_id: str) -> bool:
        """Whether any replica holds a socket of ``conversation_id`` now."""
        key = redis_keys.web_chat_presence(conversation_id)
        return bool(await self._redis.zcount(key, time.time(), "+inf"))
