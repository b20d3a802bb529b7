"""The Redis connection every Baraza process shares (created on demand, never at import)."""

from __future__ import annotations

import redis

from bot.settings import Settings


def connect(settings: Settings) -> redis.Redis[bytes]:
    """A client for the configured Redis.

    The launcher exports ``REDIS_URL`` for the embedded Redis before starting other processes, so an
    empty setting here means the process was started outside the launcher.
    """
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start Baraza with ./baraza run, or set REDIS_URL")
    return redis.Redis.from_url(settings.redis_url, socket_timeout=5, health_check_interval=30)
