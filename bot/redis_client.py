"""Connections to Redis, created on demand (never at import), for the composition root."""

from __future__ import annotations

import redis
import redis.asyncio as aioredis

from bot.settings import Settings


def connect(settings: Settings) -> redis.Redis[bytes]:
    """A client for the configured Redis.

    The launcher exports ``REDIS_URL`` for the embedded Redis before starting other processes, so an
    empty setting here means the process was started outside the launcher.
    """
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start Baraza with ./baraza run, or set REDIS_URL")
    return redis.Redis.from_url(settings.redis_url, socket_timeout=5, health_check_interval=30)


def connect_async(settings: Settings) -> aioredis.Redis[bytes]:
    """An asyncio client for the configured Redis (the channel adapters inside the Rasa server)."""
    if not settings.redis_url:
        raise RuntimeError("REDIS_URL is not set: start Baraza with ./baraza run, or set REDIS_URL")
    return aioredis.Redis.from_url(settings.redis_url, socket_timeout=5)
