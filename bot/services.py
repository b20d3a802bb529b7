"""The composition root: every shared service of a Baraza process, built here from the settings.

The web app, the action server, the channel adapters (inside the Rasa server), the delivery workers,
housekeeping and the command-line tools all reach their stores and services through one
:class:`Services`. Nothing is connected or read until first use (the action server imports every
action module at start, and an import must do no I/O). A process holds one instance, :func:`shared`;
tests build their own over the test Redis and install it with :func:`use`.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import redis
import redis.asyncio as aioredis

from bot.alerts.broadcasting import AlertBroadcasts
from bot.alerts.model import utc_now
from bot.alerts.outbox import AlertOutbox
from bot.alerts.repository import AlertRepository
from bot.alerts.service import AlertService
from bot.alerts.store import ActiveAlertStore
from bot.auth.keys import ApiKeyStore
from bot.catalogue.bundle import Catalogues, LiveCatalogues
from bot.concerns.service import ConcernService
from bot.fanout.notices import Broadcast, NoticeKind
from bot.fanout.pacing import DeliveryPolicy, load_delivery_policy
from bot.fanout.pushed import PushedNotices
from bot.fanout.queue import FanOutQueue
from bot.handoff.desks import DeskDirectory, desks_path, load_desks
from bot.handoff.distress import DistressWords, load_distress_words
from bot.handoff.inbox import Inbox
from bot.handoff.notify import HandoffNotifier, citizen_channel
from bot.handoff.relay import CitizenOutbox, RasaRelay
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore
from bot.i18n.messages import Locale
from bot.i18n.recent import RecentLanguages
from bot.insights.service import InsightService
from bot.insights.unanswered import UnansweredLog
from bot.limits.buckets import AsyncBuckets
from bot.limits.guard import Guard
from bot.limits.policy import Limits, load_limits
from bot.open311.repeats import RepeatedPosts
from bot.redis_client import connect, connect_async
from bot.settings import Settings, load_settings
from bot.subscriptions.store import SubscriptionStore

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.language.identify import LanguageIdentifier


class Services:
    """Lazily created stores and services over one Redis connection pool and one database engine."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.live_catalogues = LiveCatalogues(settings.config_dir)
        self._clock = utc_now
        self._desks: tuple[int, DeskDirectory] | None = None

    def now(self) -> datetime:
        """The current time (UTC)."""
        return self._clock()

    def catalogues(self) -> Catalogues:
        """The current catalogues snapshot."""
        return self.live_catalogues.current()

    def locale(self, language: str) -> Locale:
        """The texts of ``language``, or of the default language when it is not supported."""
        current = self.catalogues()
        code = language if language in current.languages.codes else current.languages.default
        return current.locales[code]

    @functools.cached_property
    def recent_languages(self) -> RecentLanguages:
        """The language of each conversation this process saw lately (for when Redis is down)."""
        return RecentLanguages()

    def conversation_language(self, conversation_id: str, hint: str | None = None) -> str:
        """A conversation's language without reading its tracker: the one it was last seen in here,
        else the channel's hint (``fr-SN`` -> ``fr``), else the default language."""
        languages = self.catalogues().languages
        return self.recent_languages.recall(conversation_id) or languages.normalise(hint) or languages.default

    # Connections ---------------------------------------------------------------------------------

    @functools.cached_property
    def redis(self) -> redis.Redis[bytes]:
        """The shared Redis client."""
        return connect(self.settings)

    @functools.cached_property
    def async_redis(self) -> aioredis.Redis[bytes]:
        """The shared asyncio Redis client (channel adapters inside the Rasa server)."""
        return connect_async(self.settings)

    @functools.cached_property
    def database(self) -> Engine:
        """The relational store's engine (migrated by the launcher before any process starts)."""
        from bot.concerns.database import make_engine

        return make_engine(self.settings.effective_database_url)

    # Alerts --------------------------------------------------------------------------------------

    @functools.cached_property
    def repository(self) -> AlertRepository:
        """Alert records with their history and outbox (records: in the database)."""
        return AlertRepository(self.database)

    @functools.cached_property
    def alert_outbox(self) -> AlertOutbox:
        """Applies the consequences of alert changes to Redis (what citizens see, fan-out jobs)."""
        return AlertOutbox(self.repository, self.redis)

    @functools.cached_property
    def fan_out(self) -> FanOutQueue:
        """The fan-out streams."""
        return FanOutQueue(self.redis)

    @functools.cached_property
    def pushed_notices(self) -> PushedNotices:
        """What was pushed into each conversation (kept as long as conversations are)."""
        return PushedNotices(self.redis, self.settings.conversation_retention_days * 86400)

    @functools.cached_property
    def alerts(self) -> AlertService:
        """Alert operations."""
        return AlertService(self.repository, self.alert_outbox, self.fan_out, self.catalogues, self.now)

    @functools.cached_property
    def broadcasts(self) -> AlertBroadcasts:
        """What the delivery worker asks of alerts: who wants one, is it still live, it is done."""
        return AlertBroadcasts(self.alerts, self.repository, self.subscriptions)

    @functools.cached_property
    def active_alerts(self) -> ActiveAlertStore:
        """Alerts citizens can see."""
        return ActiveAlertStore(self.redis)

    @functools.cached_property
    def api_keys(self) -> ApiKeyStore:
        """Ministry API keys (records: in the database)."""
        return ApiKeyStore(self.database)

    @functools.cached_property
    def subscriptions(self) -> SubscriptionStore:
        """Citizens' alert subscriptions and their consents (records: in the database)."""
        return SubscriptionStore(self.database)

    # Concerns ------------------------------------------------------------------------------------

    @functools.cached_property
    def concerns(self) -> ConcernService:
        """Concerns in the relational store; a status change's notice is relayed to the fan-out."""
        from bot.concerns.store import ConcernStore

        return ConcernService(
            ConcernStore(self.database), self.catalogues, self.now, self.queue_concern_notice
        )

    def queue_concern_notice(self, ticket: str, subscriber: str, change: int) -> None:
        """Queue the delivery telling a citizen their concern moved (once per change, however often
        the same outbox entry is relayed)."""
        self.fan_out.enqueue(Broadcast(NoticeKind.CONCERN, ticket, str(change)), [subscriber])

    @functools.cached_property
    def open311_repeats(self) -> RepeatedPosts:
        """Recent Open311 POSTs, so that a client's retry files nothing twice."""
        return RepeatedPosts(self.redis)

    # Handoff to a person -------------------------------------------------------------------------

    def desks(self) -> DeskDirectory:
        """The desks, their hours and holidays; re-read when the desks file changes."""
        path = self.settings.desks_file or desks_path(self.settings.config_dir)
        changed = path.stat().st_mtime_ns
        if self._desks is None or self._desks[0] != changed:
            ministries = set(self.catalogues().ministries.ministries)
            self._desks = (changed, load_desks(self.settings.config_dir, ministries, path))
        return self._desks[1]

    @functools.cached_property
    def distress_words(self) -> DistressWords:
        """The phrases of every language that signal danger (read on first use)."""
        return load_distress_words(self.settings.config_dir, list(self.catalogues().languages.codes))

    @functools.cached_property
    def handoffs(self) -> HandoffService:
        """Conversations handed to people, kept for the conversations' retention, rating comments
        redacted as concerns are."""
        return HandoffService(
            HandoffStore(self.redis),
            self.desks,
            self.now,
            timedelta(days=self.settings.conversation_retention_days),
            redact=lambda text: self.concerns.redacted(text),
        )

    @functools.cached_property
    def handoff_outbox(self) -> CitizenOutbox:
        """What each handed-over citizen has yet to be told."""
        return CitizenOutbox(self.redis)

    @functools.cached_property
    def handoff_notifier(self) -> HandoffNotifier:
        """Tells citizens what happened to their handoff, on a channel that reaches them."""
        relay = RasaRelay(self.settings.rasa_url, self.settings.rasa_auth_token)
        return HandoffNotifier(self.redis, relay, citizen_channel)

    @functools.cached_property
    def inbox(self) -> Inbox:
        """What the desks' people do with handoffs (the agents' inbox)."""
        return Inbox(self.handoffs, self.handoff_notifier, self.now)

    # Insights ------------------------------------------------------------------------------------

    @functools.cached_property
    def unanswered(self) -> UnansweredLog:
        """Turns counted per language and day; the unanswered ones kept, redacted as concerns are."""
        return UnansweredLog(self.redis, lambda text: self.concerns.redacted(text))

    @functools.cached_property
    def insights(self) -> InsightService:
        """What analysts read of the unanswered questions and of the handoffs to a person."""
        return InsightService(self.unanswered, self.now, self.handoffs.asked_since)

    # Language and delivery -----------------------------------------------------------------------

    @functools.cached_property
    def language_identifier(self) -> LanguageIdentifier:
        """Language identification over the supported languages; its models load on first use."""
        from bot.language.identify import LanguageIdentifier

        return LanguageIdentifier(self.catalogues().languages.codes)

    @functools.cached_property
    def delivery_policy(self) -> DeliveryPolicy:
        """Rate limits and retries."""
        return load_delivery_policy(self.settings.config_dir, self.settings.delivery_file)

    # Limits --------------------------------------------------------------------------------------

    @functools.cached_property
    def limits(self) -> Limits:
        """The rate limits (``config/limits.yml``, or ``BARAZA_LIMITS_FILE``)."""
        return load_limits(self.settings.limits_file or self.settings.config_dir / "limits.yml")

    @functools.cached_property
    def guard(self) -> Guard:
        """The rate limits, checked on buckets shared by every replica (asyncio: called by the doors)."""
        return Guard(AsyncBuckets(self.async_redis), self.limits, self.async_redis)


_shared: Services | None = None


def shared() -> Services:
    """This process's services, built from the environment's settings on first use."""
    global _shared
    if _shared is None:
        _shared = Services(load_settings())
    return _shared


def use(services: Services | None) -> None:
    """Install ``services`` as this process's (tests; ``None`` goes back to building from settings)."""
    global _shared
    _shared = services
