"""Messages kept for a web chat user who is not connected: an alert pushed while their page was
closed waits here, and is shown when they come back with the same session.

Kept briefly and in small number (data protection): at most ``MAX_MESSAGES``, for ``KEEP_DAYS``.
"""

from __future__ import annotations

import json
from typing import Any

import redis.asyncio as aioredis

from bot import redis_keys

MAX_MESSAGES = 20
KEEP_DAYS = 7


class OfflineInbox:
    """Holds and releases messages per conversation, in Redis."""

    def __init__(self, redis_url: str, channel: str = "socketio") -> None:
        self._url = redis_url
        self._channel = channel
        self._client: aioredis.Redis[bytes] | None = None

    def _redis(self) -> aioredis.Redis[bytes]:
        if self._client is None:
            self._client = aioredis.Redis.from_url(self._url, socket_timeout=5)
        return self._client

    async def hold(self, conversation_id: str, message: dict[str, Any]) -> None:
        """Keep a message until the user returns."""
        key = redis_keys.offline_inbox(self._channel, conversation_id)
        pipe = self._redis().pipeline(transaction=True)
        pipe.rpush(key, json.dumps(message, ensure_ascii=False))
        pipe.ltrim(key, -MAX_MESSAGES, -1)
        pipe.expire(key, KEEP_DAYS * 86400)
        await pipe.execute()

    async def release(self, conversation_id: str) -> list[dict[str, Any]]:
        """The messages kept for a returning user, oldest first; they are removed."""
        key = redis_keys.offline_inbox(self._channel, conversation_id)
        pipe = self._redis().pipeline(transaction=True)
        pipe.lrange(key, 0, -1)
        pipe.delete(key)
        held, _ = await pipe.execute()
        return [json.loads(item) for item in held]
