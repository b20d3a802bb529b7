"""Who wants which alerts: subscriptions in Redis, with the consent behind each.

A subscriber is one conversation reached on one channel (``<channel>:<conversation id>``, e.g.
``telegram:telegram:12345``; conversation ids are scoped by channel, see ``bot/identity.py``).
For each region they follow, they are in the region's set (all topics) or in one set per chosen
topic; the fan-out scans those sets (SSCAN, never loading them whole). The subscriber's hash keeps
their language and, per region, the consent: the topics, when they agreed and on which channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot import redis_keys

if TYPE_CHECKING:
    import redis

_REGION_FIELD = "region:"


#: Channels that cannot push a message: what is subscribed there is delivered on another channel to
#: the same address (a USSD user's alerts arrive by SMS on their number).
PUSH_CHANNEL = {"ussd": "africastalking"}


def subscriber_id(channel: str, sender_id: str) -> str:
    """The id of a subscriber: the channel alerts reach them on, and their address on it."""
    return f"{PUSH_CHANNEL.get(channel, channel)}:{sender_id}"


def split_subscriber_id(value: str) -> tuple[str, str]:
    """Inverse of :func:`subscriber_id` (channel names contain no colon; addresses may)."""
    channel, _, sender_id = value.partition(":")
    return channel, sender_id


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


class SubscriptionStore:
    """Adds, lists and removes subscriptions."""

    def __init__(self, client: redis.Redis[bytes]) -> None:
        self._redis = client

    def subscribe(
        self, sid: str, region: str, topics: tuple[str, ...], language: str, now: datetime
    ) -> Subscription:
        """Follow ``region`` (only ``topics``, or all when empty), replacing an earlier choice for it."""
        channel, _ = split_subscriber_id(sid)
        previous = self._subscription(sid, region)
        subscription = Subscription(region=region, topics=topics, consented_at=now, consent_channel=channel)
        pipe = self._redis.pipeline(transaction=True)
        if previous is not None:
            self._leave_sets(pipe, sid, previous)
        for topic in topics or (None,):
            pipe.sadd(redis_keys.subscribers_of_region(region, topic), sid)
        record = {"topics": list(topics), "consented_at": now.isoformat(), "consent_channel": channel}
        pipe.hset(
            redis_keys.subscriber(sid),
            mapping={"language": language, _REGION_FIELD + region: json.dumps(record)},
        )
        pipe.execute()
        return subscription

    def unsubscribe(self, sid: str, region: str | None = None) -> list[str]:
        """Stop one region's alerts, or (``None``) all of them; the regions that were removed."""
        subscriber = self.get(sid)
        if subscriber is None:
            return []
        removed = [s for s in subscriber.subscriptions if region is None or s.region == region]
        pipe = self._redis.pipeline(transaction=True)
        for subscription in removed:
            self._leave_sets(pipe, sid, subscription)
            pipe.hdel(redis_keys.subscriber(sid), _REGION_FIELD + subscription.region)
        if len(removed) == len(subscriber.subscriptions):
            pipe.delete(redis_keys.subscriber(sid))  # nothing left to keep about them
        pipe.execute()
        return [s.region for s in removed]

    def get(self, sid: str) -> Subscriber | None:
        """A subscriber and their subscriptions, or None."""
        raw = self._redis.hgetall(redis_keys.subscriber(sid))
        if not raw:
            return None
        fields = {k.decode(): v.decode() for k, v in raw.items()}
        subscriptions = tuple(
            self._parse(name[len(_REGION_FIELD) :], value)
            for name, value in sorted(fields.items())
            if name.startswith(_REGION_FIELD)
        )
        return Subscriber(subscriber_id=sid, language=fields.get("language", ""), subscriptions=subscriptions)

    def languages(self, sids: list[str]) -> list[str | None]:
        """The language of each subscriber (None for those who left), in one round trip."""
        pipe = self._redis.pipeline(transaction=False)
        for sid in sids:
            pipe.hget(redis_keys.subscriber(sid), "language")
        return [value.decode() if value else None for value in pipe.execute()]

    def followers(self, regions: tuple[str, ...], topics: tuple[str, ...], batch: int) -> Iterator[list[str]]:
        """Batches of the subscribers who follow one of ``regions``, for all topics or one of ``topics``.

        The sets are read with SSCAN, ``batch`` members at a time, so memory stays flat however many
        follow; a subscriber in several sets comes once per set (the fan-out de-duplicates).
        """
        for region in regions:
            for topic in (None, *topics):
                members: list[str] = []
                for member in self._redis.sscan_iter(
                    redis_keys.subscribers_of_region(region, topic), count=batch
                ):
                    members.append(member.decode())
                    if len(members) >= batch:
                        yield members
                        members = []
                if members:
                    yield members

    def set_language(self, sid: str, language: str) -> None:
        """Follow a subscriber's change of language (only if they are subscribed)."""
        key = redis_keys.subscriber(sid)
        if self._redis.exists(key):
            self._redis.hset(key, "language", language)

    def _subscription(self, sid: str, region: str) -> Subscription | None:
        raw = self._redis.hget(redis_keys.subscriber(sid), _REGION_FIELD + region)
        return self._parse(region, raw.decode()) if raw else None

    @staticmethod
    def _parse(region: str, value: str) -> Subscription:
        data = json.loads(value)
        return Subscription(
            region=region,
            topics=tuple(data["topics"]),
            consented_at=datetime.fromisoformat(data["consented_at"]),
            consent_channel=data["consent_channel"],
        )

    @staticmethod
    def _leave_sets(pipe: redis.client.Pipeline[bytes], sid: str, subscription: Subscription) -> None:
        for topic in subscription.topics or (None,):
            pipe.srem(redis_keys.subscribers_of_region(subscription.region, topic), sid)
