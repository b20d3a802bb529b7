"""Who wants which alerts: subscriptions in the database, with the consent behind each.

A subscriber is one conversation reached on one channel (``<channel>:<conversation id>``, e.g.
``telegram:telegram:12345``; conversation ids are scoped by channel, see ``bot/identity.py``).
For each region they follow, the subscriber agreed (when, on which channel) to all its alerts or to
chosen topics: that consent is a record, so it lives in the database (``bot/subscriptions/tables.py``),
not in Redis. The fan-out reads a region's followers a page at a time in key order (never loading
them whole), and the delivery workers look up a batch's languages in one query.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.subscriptions.tables import EVERY_TOPIC, subscribers, subscription_topics, subscriptions

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, Row


#: Channels that cannot push a message: what is subscribed there is delivered on another channel to
#: the same address (a USSD user's alerts arrive by SMS on their number).
PUSH_CHANNEL = {"ussd": "africastalking"}
#: Subscribers asked for in one query when looking up languages (bound parameters stay few).
LOOKUP_CHUNK = 500


def subscriber_id(channel: str, sender_id: str) -> str:
    """The id of a subscriber: the channel alerts reach them on, and their address on it."""
    return f"{PUSH_CHANNEL.get(channel, channel)}:{sender_id}"


def split_subscriber_id(value: str) -> tuple[str, str]:
    """Inverse of :func:`subscriber_id` (channel names contain no colon; addresses may)."""
    channel, _, sender_id = value.partition(":")
    return channel, sender_id


def _utc(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they were stored in UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class Subscription:
    """One region a subscriber follows, and the consent they gave."""

    region: str
    topics: tuple[str, ...]  #: empty: every topic
    consented_at: datetime
    consent_channel: str


@dataclass(frozen=True)
class Subscriber:
    """A subscriber's details and subscriptions."""

    subscriber_id: str
    language: str
    subscriptions: tuple[Subscription, ...]


def _subscription(row: Row[Any]) -> Subscription:
    return Subscription(
        region=row.region,
        topics=tuple(json.loads(row.topics)),
        consented_at=_utc(row.consented_at),
        consent_channel=row.consent_channel,
    )


_PAGE = (
    select(subscription_topics.c.subscriber_id)
    .where(
        subscription_topics.c.region == bindparam("region"),
        subscription_topics.c.topic == bindparam("topic"),
        subscription_topics.c.subscriber_id > bindparam("after"),
    )
    .order_by(subscription_topics.c.subscriber_id)
    .limit(bindparam("batch"))
)


class SubscriptionStore:
    """Adds, lists and removes subscriptions."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def subscribe(
        self, sid: str, region: str, topics: tuple[str, ...], language: str, now: datetime
    ) -> Subscription:
        """Follow ``region`` (only ``topics``, or all when empty), replacing an earlier choice for it."""
        channel, _ = split_subscriber_id(sid)
        subscription = Subscription(region=region, topics=topics, consented_at=now, consent_channel=channel)
        self.adopt(sid, language, subscription)
        return subscription

    def adopt(self, sid: str, language: str, subscription: Subscription, *, replace: bool = True) -> bool:
        """Record ``subscription`` of ``sid`` as given (the migration brings old consents with their
        own date and channel); with ``replace`` off, one already recorded for the region is kept.
        Whether it was recorded."""
        for attempt in range(2):  # a first subscription racing another for the same subscriber: again
            try:
                with self._engine.begin() as connection:
                    return self._record(connection, sid, language, subscription, replace)
            except IntegrityError:
                if attempt:
                    raise
        return False  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _record(
        connection: Connection, sid: str, language: str, subscription: Subscription, replace: bool
    ) -> bool:
        region = subscription.region
        mine = (subscriptions.c.subscriber_id == sid) & (subscriptions.c.region == region)
        if connection.execute(select(subscriptions.c.region).where(mine)).first() is not None:
            if not replace:
                return False
            connection.execute(
                delete(subscription_topics).where(
                    (subscription_topics.c.subscriber_id == sid) & (subscription_topics.c.region == region)
                )
            )
            connection.execute(delete(subscriptions).where(mine))
        known = connection.execute(
            update(subscribers).where(subscribers.c.subscriber_id == sid).values(language=language)
        )
        if not known.rowcount:
            connection.execute(insert(subscribers).values(subscriber_id=sid, language=language))
        connection.execute(
            insert(subscriptions).values(
                subscriber_id=sid,
                region=region,
                topics=json.dumps(list(subscription.topics)),
                consented_at=_utc(subscription.consented_at),
                consent_channel=subscription.consent_channel,
            )
        )
        connection.execute(
            insert(subscription_topics),
            [
                {"region": region, "topic": topic, "subscriber_id": sid}
                for topic in dict.fromkeys(subscription.topics or (EVERY_TOPIC,))
            ],
        )
        return True

    def subscribe_many(self, sids: list[str], region: str, language: str, now: datetime) -> None:
        """Subscribe many new subscribers to all of ``region`` in one transaction (imports and
        benchmarks: a few statements for the lot instead of a few per subscriber)."""
        rows = [{"sid": sid, "channel": split_subscriber_id(sid)[0]} for sid in dict.fromkeys(sids)]
        with self._engine.begin() as connection:
            connection.execute(
                insert(subscribers), [{"subscriber_id": r["sid"], "language": language} for r in rows]
            )
            connection.execute(
                insert(subscriptions),
                [
                    {
                        "subscriber_id": r["sid"],
                        "region": region,
                        "topics": "[]",
                        "consented_at": _utc(now),
                        "consent_channel": r["channel"],
                    }
                    for r in rows
                ],
            )
            connection.execute(
                insert(subscription_topics),
                [{"region": region, "topic": EVERY_TOPIC, "subscriber_id": r["sid"]} for r in rows],
            )

    def unsubscribe(self, sid: str, region: str | None = None) -> list[str]:
        """Stop one region's alerts, or (``None``) all of them; the regions that were removed."""
        with self._engine.begin() as connection:
            mine = subscriptions.c.subscriber_id == sid
            chosen = mine if region is None else mine & (subscriptions.c.region == region)
            removed = sorted(connection.execute(select(subscriptions.c.region).where(chosen)).scalars())
            if not removed:
                return []
            topic_rows = subscription_topics.c.subscriber_id == sid
            if region is not None:
                topic_rows = topic_rows & (subscription_topics.c.region == region)
            connection.execute(delete(subscription_topics).where(topic_rows))
            connection.execute(delete(subscriptions).where(chosen))
            if connection.execute(select(subscriptions.c.region).where(mine).limit(1)).first() is None:
                # nothing left to keep about them
                connection.execute(delete(subscribers).where(subscribers.c.subscriber_id == sid))
        return removed

    def get(self, sid: str) -> Subscriber | None:
        """A subscriber and their subscriptions, or None."""
        with self._engine.connect() as connection:
            language = connection.execute(
                select(subscribers.c.language).where(subscribers.c.subscriber_id == sid)
            ).scalar()
            if language is None:
                return None
            rows = connection.execute(
                select(subscriptions)
                .where(subscriptions.c.subscriber_id == sid)
                .order_by(subscriptions.c.region)
            ).all()
        return Subscriber(sid, language, tuple(_subscription(row) for row in rows))

    def languages(self, sids: list[str]) -> list[str | None]:
        """The language of each subscriber (None for those who left), in one query per chunk."""
        wanted = list(dict.fromkeys(sids))
        found: dict[str, str] = {}
        query = select(subscribers.c.subscriber_id, subscribers.c.language).where(
            subscribers.c.subscriber_id.in_(bindparam("sids", expanding=True))
        )
        with self._engine.connect() as connection:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                found.update(
                    (row.subscriber_id, row.language) for row in connection.execute(query, {"sids": chunk})
                )
        return [found.get(sid) for sid in sids]

    def followers(self, regions: tuple[str, ...], topics: tuple[str, ...], batch: int) -> Iterator[list[str]]:
        """Batches of the subscribers who follow one of ``regions``, for all topics or one of ``topics``.

        Each page is one indexed range read (the primary key is region, topic, subscriber), ``batch``
        rows at a time after the last one read, so memory stays flat however many follow and no
        connection is held between pages; a subscriber in several lists comes once per list (the
        fan-out de-duplicates).
        """
        for region in regions:
            for topic in dict.fromkeys((EVERY_TOPIC, *topics)):
                after = ""
                while True:
                    with self._engine.connect() as connection:
                        page = list(
                            connection.execute(
                                _PAGE, {"region": region, "topic": topic, "after": after, "batch": batch}
                            ).scalars()
                        )
                    if page:
                        yield page
                    if len(page) < batch:
                        break
                    after = page[-1]

    def set_language(self, sid: str, language: str) -> None:
        """Follow a subscriber's change of language (only if they are subscribed)."""
        with self._engine.begin() as connection:
            connection.execute(
                update(subscribers).where(subscribers.c.subscriber_id == sid).values(language=language)
            )
