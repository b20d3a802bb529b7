"""What channel adapters read at run time: Redis and the locales, opened on first use (never at import)."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot.catalogue.bundle import LiveCatalogues
from bot.i18n.messages import Locale
from bot.settings import load_settings


class ChannelResources:
    """Lazily opened Redis client and catalogues for one channel adapter."""

    def __init__(self) -> None:
        self._redis: aioredis.Redis[bytes] | None = None
        self._catalogues: LiveCatalogues | None = None

    def redis(self) -> aioredis.Redis[bytes]:
        """The shared async Redis client."""
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(load_settings().redis_url, socket_timeout=5)
        return self._redis

    def locale(self, language: str) -> Locale:
        """The texts of ``language``, or of the default language when it is not supported."""
        if self._catalogues is None:
            self._catalogues = LiveCatalogues(load_settings().config_dir)
        current = self._catalogues.current()
        code = language if language in current.languages.codes else current.languages.default
        return current.locales[code]
