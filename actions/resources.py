"""Resources shared by all actions, created once on first use."""

from __future__ import annotations

import functools

from bot.alerts.store import ActiveAlertStore
from bot.catalogue.bundle import LiveCatalogues
from bot.language.identify import LanguageIdentifier
from bot.redis_client import connect
from bot.settings import Settings, load_settings


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
def alert_store() -> ActiveAlertStore:
    """Active alerts in Redis."""
    return ActiveAlertStore(connect(settings()))
