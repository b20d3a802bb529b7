"""Builds the services every Baraza process shares, from the settings, on first use (never at import).

The web app, the delivery workers and the command-line tools all hold one :class:`Services`; the
action server builds the parts it needs in ``actions/resources.py``.
"""

from __future__ import annotations

import functools
import time
from datetime import datetime
from typing import TYPE_CHECKING

import redis

from bot.alerts.model import utc_now
from bot.alerts.repository import AlertRepository
from bot.alerts.service import AlertService
from bot.alerts.store import ActiveAlertStore
from bot.auth.keys import ApiKeyStore
from bot.catalogue.bundle import Catalogues, LiveCatalogues
from bot.concerns.service import ConcernService
from bot.fanout.pacing import DeliveryPolicy, load_delivery_policy
from bot.fanout.queue import FanOutQueue
from bot.redis_client import connect
from bot.settings import Settings
from bot.subscriptions.store import SubscriptionStore

if TYPE_CHECKING:
    from bot.language.identify import LanguageIdentifier


class Services:
    """Lazily created stores and services over one Redis connection pool."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.live_catalogues = LiveCatalogues(settings.config_dir)
        self._clock = utc_now

    def now(self) -> datetime:
        """The current time (UTC)."""
        return self._clock()

    def catalogues(self) -> Catalogues:
        """The current catalogues snapshot."""
        return self.live_catalogues.current()

    @functools.cached_property
    def redis(self) -> redis.Redis[bytes]:
        """The shared Redis client."""
        return connect(self.settings)

    @functools.cached_property
    def repository(self) -> AlertRepository:
        """Alert records."""
        return AlertRepository(self.redis)

    @functools.cached_property
    def fan_out(self) -> FanOutQueue:
        """The fan-out streams."""
        return FanOutQueue(self.redis)

    @functools.cached_property
    def alerts(self) -> AlertService:
        """Alert operations."""
        return AlertService(self.repository, self.fan_out, self.catalogues, self.now)

    @functools.cached_property
    def active_alerts(self) -> ActiveAlertStore:
        """Alerts citizens can see."""
        return ActiveAlertStore(self.redis)

    @functools.cached_property
    def api_keys(self) -> ApiKeyStore:
        """Ministry API keys."""
        return ApiKeyStore(self.redis)

    @functools.cached_property
    def subscriptions(self) -> SubscriptionStore:
        """Citizens' alert subscriptions."""
        return SubscriptionStore(self.redis)

    @functools.cached_property
    def concerns(self) -> ConcernService:
        """Concerns in the relational store; status changes are pushed to the citizen."""
        from bot.concerns.database import make_engine
        from bot.concerns.store import ConcernStore

        engine = make_engine(self.settings.effective_database_url)
        return ConcernService(ConcernStore(engine), self.catalogues, self.now, self.notify_concern_change)

    def notify_concern_change(self, ticket: str, subscriber: str) -> None:
        """Queue a delivery telling the citizen their concern moved (one per change)."""
        change = f"concern:{ticket}:{time.time_ns()}"
        self.fan_out.enqueue(change, FanOutQueue.CONCERN, [subscriber])

    @functools.cached_property
    def language_identifier(self) -> LanguageIdentifier:
        """The language of texts that arrive without one (Open311 requests); its models load on first use."""
        from bot.language.identify import LanguageIdentifier

        return LanguageIdentifier(self.catalogues().languages.codes)

    @functools.cached_property
    def delivery_policy(self) -> DeliveryPolicy:
        """Rate limits and retries."""
        return load_delivery_policy(self.settings.config_dir)
