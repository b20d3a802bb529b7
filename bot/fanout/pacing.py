"""Rate limits and retry policy for deliveries (``config/delivery.yml``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot import redis_keys
from bot.yaml_files import DataFileError, read_yaml_mapping

if TYPE_CHECKING:
    import redis

# KEYS: bucket. ARGV: rate per second, burst, now (ms), wanted. Returns tokens granted (0..wanted).
_TAKE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local wanted = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.min(wanted, math.floor(tokens))
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - granted), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return granted
"""


@dataclass(frozen=True)
class RateLimit:
    """A token bucket's refill rate and size."""

    per_second: float
    burst: int


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a delivery that failed for a passing reason."""

    max_attempts: int = 5
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 300.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based): exponential, capped."""
        return float(min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class DeliveryPolicy:
    """Rate limits per channel and the retry policy."""

    rate_limits: dict[str, RateLimit]
    retries: RetryPolicy

    def rate_limit(self, channel: str) -> RateLimit:
        """The limit for ``channel`` (or the default)."""
        return self.rate_limits.get(channel) or self.rate_limits["default"]


def load_delivery_policy(config_dir: Path, path: Path | None = None) -> DeliveryPolicy:
    """Read ``delivery.yml`` (of ``config_dir``, unless another ``path`` is given)."""
    path = path or config_dir / "delivery.yml"
    raw = read_yaml_mapping(path)
    try:
        limits = {
            str(name): RateLimit(per_second=float(v["per_second"]), burst=int(v["burst"]))
            for name, v in (raw.get("rate_limits") or {}).items()
        }
        retries = RetryPolicy(**dict(raw.get("retries") or {}))
    except (KeyError, TypeError, ValueError) as error:
        raise DataFileError(f"{path}: {error}") from error
    if "default" not in limits:
        raise DataFileError(f"{path}: rate_limits needs a `default` entry")
    return DeliveryPolicy(rate_limits=limits, retries=retries)


class ChannelPacer:
    """Token buckets in Redis, so all workers together keep to each channel's limit."""

    def __init__(self, client: redis.Redis[bytes], policy: DeliveryPolicy) -> None:
        self._policy = policy
        self._take = client.register_script(_TAKE)

    def take(self, channel: str, wanted: int) -> int:
        """Take up to ``wanted`` tokens now; how many were granted."""
        limit = self._policy.rate_limit(channel)
        now_ms = int(time.time() * 1000)
        return int(
            self._take(
                keys=[redis_keys.rate_bucket(channel)], args=[limit.per_second, limit.burst, now_ms, wanted]
            )
        )

    def pause(self, channel: str, wanted: int) -> float:
        """Seconds until the bucket may grant ``wanted`` more (at most a burst's worth, and a second)."""
        limit = self._policy.rate_limit(channel)
        return min(1.0, max(0.001, min(wanted, limit.burst) / limit.per_second))

    def wait_for(self, channel: str, wanted: int) -> None:
        """Block until ``wanted`` tokens were taken (in as many goes as the rate needs)."""
        remaining = wanted
        while remaining > 0:
            remaining -= self.take(channel, remaining)
            if remaining > 0:
                time.sleep(self.pause(channel, remaining))
