"""Token buckets in Redis: one Lua script, so every replica of every process shares each bucket.

A bucket holds up to ``burst`` tokens and refills at ``per_second``; a request takes one (or
``cost``) and is refused when there are not enough, with the seconds until there will be
(``Retry-After``). :meth:`Buckets.charge` takes tokens even when there are too few, down to a floor
below zero: failed key attempts use it, so a caller who keeps trying waits longer (backoff), and
nothing is allowed until the bucket is back above one token (lockout). The clock is Redis's own, so
replicas with drifting clocks agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis
    import redis.asyncio as aioredis

# KEYS: bucket. ARGV: per second, burst, cost, floor (tokens may fall to it; 0 = refuse instead),
# ttl (ms). Returns {1 if allowed else 0, tokens left as a string}.
_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local floor = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= math.max(cost, 1) then
  allowed = 1
end
if allowed == 1 or floor < 0 then
  tokens = math.max(floor, tokens - cost)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return {allowed, tostring(tokens)}
"""


@dataclass(frozen=True)
class Rate:
    """A bucket's refill rate (tokens per second) and size."""

    per_second: float
    burst: float

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a rate needs per_second > 0 and burst >= 1")

    def ttl_ms(self, floor: float = 0) -> int:
        """How long an untouched bucket is worth keeping (until it would be full again)."""
        return int((self.burst - floor) / self.per_second * 1000) + 1000


@dataclass(frozen=True)
class Decision:
    """Whether a request may go on, and if not, in how many seconds it may."""

    allowed: bool
    retry_after: float = 0.0

    @property
    def retry_after_header(self) -> str:
        """The ``Retry-After`` value: whole seconds, at least 1."""
        return str(max(1, int(self.retry_after + 0.999)))


def _decision(reply: Any, rate: Rate, cost: float) -> Decision:
    allowed, tokens = int(reply[0]), float(reply[1])
    if allowed:
        return Decision(True)
    return Decision(False, (max(1.0, cost) - tokens) / rate.per_second)


def _args(rate: Rate, cost: float, floor: float) -> list[float | int]:
    return [rate.per_second, rate.burst, cost, floor, rate.ttl_ms(floor)]


class Buckets:
    """Token buckets on a synchronous client (the web app's threads, tools, the benchmark)."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._script = client.register_script(_SCRIPT)

    def take(self, key: str, rate: Rate, cost: float = 1) -> Decision:
        """Take ``cost`` tokens if there are enough; refused (nothing taken) otherwise."""
        return _decision(self._script(keys=[key], args=_args(rate, cost, 0)), rate, cost)

    def charge(self, key: str, rate: Rate, floor: float, cost: float = 1) -> Decision:
        """Take ``cost`` tokens even if that leaves fewer than none (down to ``floor`` < 0)."""
        return _decision(self._script(keys=[key], args=_args(rate, cost, floor)), rate, cost)

    def check(self, key: str, rate: Rate) -> Decision:
        """Whether the bucket holds a token, taking none."""
        return _decision(self._script(keys=[key], args=_args(rate, 0, 0)), rate, 0)


class AsyncBuckets:
    """The same buckets on an asyncio client (inside the Rasa server and the web app's event loop)."""

    def __init__(self, client: aioredis.Redis[bytes]) -> None:
        self._script = client.register_script(_SCRIPT)

    async def take(self, key: str, rate: Rate, cost: float = 1) -> Decision:
        """As :meth:`Buckets.take`."""
        return _decision(await self._script(keys=[key], args=_args(rate, cost, 0)), rate, cost)

    async def charge(self, key: str, rate: Rate, floor: float, cost: float = 1) -> Decision:
        """As :meth:`Buckets.charge`."""
        return _decision(await self._script(keys=[key], args=_args(rate, cost, floor)), rate, cost)

    async def check(self, key: str, rate: Rate) -> Decision:
        """As :meth:`Buckets.check`."""
        return _decision(await self._script(keys=[key], args=_args(rate, 0, 0)), rate, 0)
