"""Resources shared by all actions, created once on first use."""

from __future__ import annotations

import functools

import redis

from bot.alerts.repository import AlertRepository
from bot.alerts.store import ActiveAlertStore
from bot.catalogue.bundle import LiveCatalogues
from bot.concerns.service import ConcernService
from bot.language.identify import LanguageIdentifier
from bot.redis_client import connect
from bot.settings import Settings, load_settings
from bot.subscriptions.store import SubscriptionStore


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    """The action server's settings."""
    return load_settings()


@functools.lru_cache(maxsize=1)
def catalogues() -> LiveCatalogues:
    """Catalogues and locales, following edits of ``config/``."""
    return LiveCatalogues(settings().config_dir)


@functools.lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """Language identification over the supported languages."""
    return LanguageIdentifier(catalogues().current().languages.codes)


@functools.lru_cache(maxsize=1)
def redis_client() -> redis.Redis[bytes]:
    """The action server's Redis client (one connection pool)."""
    return connect(settings())


@functools.lru_cache(maxsize=1)
def alert_store() -> ActiveAlertStore:
    """Active alerts in Redis."""
    return ActiveAlertStore(redis_client())


@functools.lru_cache(maxsize=1)
def alert_records() -> AlertRepository:
    """Alert records (for the alerts pushed to citizens, including cancelled ones)."""
    return AlertRepository(redis_client())


@functools.lru_cache(maxsize=1)
def subscriptions() -> SubscriptionStore:
    """Citizens' alert subscriptions."""
    return SubscriptionStore(redis_client())


@functools.lru_cache(maxsize=1)
def concern_service() -> ConcernService:
    """Concerns in the relational store (migrated by the launcher before the action server starts)."""
    from bot.alerts.model import utc_now
    from bot.concerns.database import make_engine
    from bot.concerns.store import ConcernStore

    engine = make_engine(settings().effective_database_url)
    return ConcernService(ConcernStore(engine), lambda: catalogues().current(), utc_now)
