"""Subscriptions on both databases (SQLite and the real PostgreSQL): who follows which region and
topics, with the consent behind each."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.subscriptions.store import (
    Subscriber,
    Subscription,
    SubscriptionStore,
    split_subscriber_id,
    subscriber_id,
)
from bot.subscriptions.tables import subscribers, subscription_topics, subscriptions

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def _rows(engine: Engine) -> tuple[int, int, int]:
    """How many subscribers, subscriptions and topic rows are stored."""
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (subscribers, subscriptions, subscription_topics)
        )


def test_a_subscriber_is_the_channel_that_reaches_them_and_their_address() -> None:
    assert subscriber_id("telegram", "telegram:12345") == "telegram:telegram:12345"
    assert (
        subscriber_id("ussd", "ussd:+254711") == "africastalking:ussd:+254711"
    )  # USSD cannot push: SMS does
    assert split_subscriber_id("whatsapp:whatsapp:+34600") == ("whatsapp", "whatsapp:+34600")


def test_subscribing_keeps_the_consent_and_replaces_an_earlier_choice(database: Engine) -> None:
    store = SubscriptionStore(database)
    store.subscribe("telegram:1", "coast", (), "en", NOW)
    store.subscribe("telegram:1", "coast", ("health", "fire"), "sw", NOW + timedelta(hours=1))
    subscriber = store.get("telegram:1")
    assert subscriber is not None and subscriber.language == "sw"
    assert subscriber.subscriptions == (
        Subscription("coast", ("health", "fire"), NOW + timedelta(hours=1), "telegram"),
    )
    assert list(store.followers(("coast",), (), 10)) == []  # left "every topic"
    assert list(store.followers(("coast",), ("fire",), 10)) == [["telegram:1"]]
    assert store.get("telegram:2") is None


def test_followers_come_from_every_region_and_topic_in_batches(database: Engine) -> None:
    store = SubscriptionStore(database)
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


def test_unsubscribing_one_region_or_all_and_nothing_kept_after(database: Engine) -> None:
    store = SubscriptionStore(database)
    store.subscribe("sms:+2547", "coast", ("health",), "fr", NOW)
    store.subscribe("sms:+2547", "lakes", (), "fr", NOW)
    assert store.unsubscribe("sms:+2547", "coast") == ["coast"]
    assert [s.region for s in store.get("sms:+2547").subscriptions] == ["lakes"]  # type: ignore[union-attr]
    assert list(store.followers(("coast",), ("health",), 10)) == []
    assert store.unsubscribe("sms:+2547") == ["lakes"]
    assert store.get("sms:+2547") is None and _rows(database) == (0, 0, 0)  # nothing kept about them
    assert store.unsubscribe("sms:+2547") == []


def test_languages_follow_the_subscriber(database: Engine) -> None:
    store = SubscriptionStore(database)
    store.subscribe("telegram:1", "coast", (), "en", NOW)
    store.set_language("telegram:1", "ar")
    store.set_language("telegram:2", "ar")  # not subscribed: nothing is kept about them
    assert store.languages(["telegram:1", "telegram:2", "telegram:1"]) == ["ar", None, "ar"]
    assert _rows(database) == (1, 1, 1)


def test_a_consent_kept_from_before_is_not_replaced_when_asked_not_to(database: Engine) -> None:
    store = SubscriptionStore(database)
    store.subscribe("telegram:1", "coast", ("health",), "en", NOW)
    earlier = Subscription("coast", (), NOW - timedelta(days=30), "telegram")
    assert store.adopt("telegram:1", "sw", earlier, replace=False) is False
    assert store.get("telegram:1").subscriptions[0].topics == ("health",)  # type: ignore[union-attr]
    assert store.adopt("telegram:1", "sw", Subscription("lakes", (), NOW, "sms"), replace=False)
    assert [s.consent_channel for s in store.get("telegram:1").subscriptions] == ["telegram", "sms"]  # type: ignore[union-attr]


def test_a_large_audience_is_read_a_page_at_a_time_in_full(database: Engine) -> None:
    store = SubscriptionStore(database)
    store.subscribe_many([f"null:{i:05}" for i in range(2500)], "coast", "en", NOW)
    assert store.get("null:02499") == Subscriber(
        "null:02499", "en", (Subscription("coast", (), NOW, "null"),)
    )
    batches = list(store.followers(("coast",), ("weather",), batch=1000))
    assert [len(b) for b in batches] == [1000, 1000, 500]
    assert len({s for b in batches for s in b}) == 2500
