"""What each door asks before doing any work: may this conversation, address or key go on?

Every check is one Redis script call (well under a millisecond), so refusing a flood costs almost
nothing. When Redis does not answer, the check lets the request through (logged): the limits protect
the service, they must not be what takes it down; the request then meets the store's own error.
"""

from __future__ import annotations

import logging

import redis

from bot.limits.buckets import AsyncBuckets, Decision, Rate
from bot.limits.policy import Limits, bucket, told

log = logging.getLogger(__name__)

ALLOWED = Decision(True)


class Guard:
    """The rate limits of :class:`~bot.limits.policy.Limits`, checked on shared buckets."""

    def __init__(self, buckets: AsyncBuckets, limits: Limits, client: redis.asyncio.Redis[bytes]) -> None:
        self._buckets = buckets
        self.limits = limits
        self._redis = client

    async def _take(self, limit: str, subject: str, rate: Rate, cost: float = 1) -> Decision:
        try:
            return await self._buckets.take(bucket(limit, subject), rate, cost)
        except (OSError, redis.RedisError) as error:
            log.warning("rate limit %s not checked: Redis unavailable (%s)", limit, type(error).__name__)
            return ALLOWED

    def _limited(self, address: str | None) -> bool:
        return bool(address) and address not in self.limits.exempt_addresses

    async def message(self, conversation: str, address: str | None) -> Decision:
        """A citizen's message: per conversation, and per network address when it is known."""
        if self._limited(address):
            assert address is not None
            by_address = await self._take("messages_per_address", address, self.limits.messages_per_address)
            if not by_address.allowed:
                return by_address
        return await self._take(
            "messages_per_conversation", conversation, self.limits.messages_per_conversation
        )

    async def first_refusal(self, conversation: str) -> bool:
        """True once per spell of refusals (as long as the conversation's bucket takes to fill again):
        whether the citizen should be told they send too fast."""
        rate = self.limits.messages_per_conversation
        spell = max(60, int(rate.burst / rate.per_second))
        try:
            return bool(await self._redis.set(told(conversation), b"1", nx=True, ex=spell))
        except (OSError, redis.RedisError):
            return False

    async def api_request(self, address: str) -> Decision:
        """Any request to the ministry API or Open311, per network address (before the key is read)."""
        if not self._limited(address):
            return ALLOWED
        return await self._take("api_per_address", address, self.limits.api_per_address)

    async def api_key(self, key_id: str) -> Decision:
        """A request made with a valid key, per key."""
        return await self._take("api_per_key", key_id, self.limits.api_per_key)

    async def locked_out(self, address: str) -> Decision:
        """Whether ``address`` tried too many wrong keys: every key it sends is refused for now, and
        each try pushes the end of the lockout a little further."""
        if not self._limited(address):
            return ALLOWED
        rate = self.limits.failed_keys_per_address
        key = bucket("failed_keys_per_address", address)
        try:
            state = await self._buckets.check(key, rate)
            if state.allowed:
                return state
            return await self._buckets.charge(key, rate, self.limits.lockout_floor)
        except (OSError, redis.RedisError):
            return ALLOWED

    async def failed_key(self, address: str) -> Decision:
        """Count a wrong or revoked key from ``address``."""
        if not self._limited(address):
            return ALLOWED
        rate = self.limits.failed_keys_per_address
        try:
            return await self._buckets.charge(
                bucket("failed_keys_per_address", address), rate, self.limits.lockout_floor
            )
        except (OSError, redis.RedisError):
            return ALLOWED

    async def ticket_lookups(self, address: str, count: int) -> Decision:
        """``count`` tickets looked up by id: per address, then for everyone together."""
        if count <= 0 or not self._limited(address):
            return ALLOWED
        per_address = self.limits.ticket_lookups_per_address
        mine = await self._take("ticket_lookups_per_address", address, per_address, count)
        if not mine.allowed:
            return mine
        return await self._take("ticket_lookups_all", "", self.limits.ticket_lookups_all, count)
