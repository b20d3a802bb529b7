"""Subscriptions in Redis: who follows which region and topics, with the consent behind each."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import redis

from bot import redis_keys
from bot.subscriptions.store import Subscription, SubscriptionStore, split_subscriber_id, subscriber_id

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def test_a_subscriber_is_the_channel_that_reaches_them_and_their_address() -> None:
    assert subscriber_id("telegram", "telegram:12345") == "telegram:telegram:12345"
    assert (
        subscriber_id("ussd", "ussd:+254711") == "africastalking:ussd:+254711"
    )  # USSD cannot push: SMS does
    assert split_subscriber_id("whatsapp:whatsapp:+34600") == ("whatsapp", "whatsapp:+34600")


def test_subscribing_keeps_the_consent_and_replaces_an_earlier_choice(
    redis_client: redis.Redis[bytes],
) -> None:
    store = SubscriptionStore(redis_client)
    store.subscribe("telegram:1", "coast", (), "en", NOW)
    store.subscribe("telegram:1", "coast", ("health", "fire"), "sw", NOW + timedelta(hours=1))
    subscriber = store.get("telegram:1")
    assert subscriber is not None and subscriber.language == "sw"
    assert subscriber.subscriptions == (
        Subscription("coast", ("health", "fire"), NOW + timedelta(hours=1), "telegram"),
    )
    assert not redis_client.sismember(redis_keys.subscribers_of_region("coast"), "telegram:1")  # left "all"
    assert redis_client.sismember(redis_keys.subscribers_of_region("coast", "fire"), "telegram:1")
    assert store.get("telegram:2") is None


def test_followers_come_from_every_region_and_topic_set_in_batches(redis_client: redis.Redis[bytes]) -> None:
    store = SubscriptionStore(redis_client)
    for i in range(5):
        store.subscribe(f"null:all{i}", "coast", (), "en", NOW)
    store.subscribe("null:health", "coast", ("health",), "en", NOW)
    store.subscribe("null:fire", "coast", ("fire",), "en", NOW)
    store.subscribe("null:lakes", "lakes", (), "en", NOW)
    batches = list(store.followers(("coast", "lakes"), ("health",), batch=2))
    assert all(len(b) <= 2 for b in batches)
    assert sorted(s for b in batches for s in b) == sorted(
        [f"null:all{i}" for i in range(5)] + ["null:health", "null:lakes"]
    )


def test_unsubscribing_one_region_or_all_and_nothing_kept_after(redis_client: redis.Redis[bytes]) -> None:
    store = SubscriptionStore(redis_client)
    store.subscribe("sms:+2547", "coast", ("health",), "fr", NOW)
    store.subscribe("sms:+2547", "lakes", (), "fr", NOW)
    assert store.unsubscribe("sms:+2547", "coast") == ["coast"]
    assert [s.region for s in store.get("sms:+2547").subscriptions] == ["lakes"]  # type: ignore[union-attr]
    assert not redis_client.sismember(redis_keys.subscribers_of_region("coast", "health"), "sms:+2547")
    assert store.unsubscribe("sms:+2547") == ["lakes"]
    assert not redis_client.exists(redis_keys.subscriber("sms:+2547"))
    assert store.unsubscribe("sms:+2547") == []


def test_languages_follow_the_subscriber(redis_client: redis.Redis[bytes]) -> None:
    store = SubscriptionStore(redis_client)
    store.subscribe("telegram:1", "coast", (), "en", NOW)
    store.set_language("telegram:1", "ar")
    store.set_language("telegram:2", "ar")  # not subscribed: nothing is kept about them
    assert store.languages(["telegram:1", "telegram:2"]) == ["ar", None]
    assert not redis_client.exists(redis_keys.subscriber("telegram:2"))
