"""Subscribing in the chat: ask the region, ask consent, subscribe only on a yes, list, stop."""

from __future__ import annotations

from datetime import datetime, timezone

import redis
from sqlalchemy.engine import Engine

from bot.assistant.questions import QUESTION_ENTITY, question_id
from bot.assistant.replies import parse_payload
from bot.assistant.subscriptions import (
    WAITING_FOR_CONSENT,
    WAITING_FOR_REGION,
    answer_consent,
    ask_to_subscribe,
    find_topic,
    list_subscriptions,
    stop_word,
    topic_in_text,
    topic_list,
    unsubscribe,
)
from bot.catalogue.bundle import Catalogues
from bot.subscriptions.store import SubscriptionStore

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def test_topics_are_found_by_id_name_or_spelling_in_any_language(catalogues: Catalogues) -> None:
    assert find_topic(catalogues, "health") == "health"
    assert find_topic(catalogues, "Mafuriko") == "weather"  # Swahili, whatever the conversation's language
    assert find_topic(catalogues, catalogues.locales["fr"].alert_topic_names["health"].upper()) == "health"
    assert find_topic(catalogues, "gossip") is None


def test_topic_lists_and_the_stop_word_are_in_the_language(catalogues: Catalogues) -> None:
    locale = catalogues.locales["fr"]
    assert topic_list(catalogues, "fr", ()) == locale.text("all_topics")
    both = locale.text("list_separator").join(
        [locale.alert_topic_names["health"], locale.alert_topic_names["fire"]]
    )
    assert topic_list(catalogues, "fr", ["health", "fire"]) == both
    assert stop_word(catalogues, "fr") == locale.opt_out_keywords[0].upper()


def test_without_a_region_the_regions_are_offered_keeping_the_topic(catalogues: Catalogues) -> None:
    outcome = ask_to_subscribe(catalogues, "en", None, ("health",))
    assert outcome.remember == {"pending": {"kind": WAITING_FOR_REGION, "topics": ["health"], "again": False}}
    options = [parse_payload(o.payload) for o in outcome.replies[0].options]
    assert options == [
        ("subscribe_alerts", {"region": r, "alert_topic": "health"}) for r in catalogues.regions.ids
    ]


def test_with_a_region_consent_is_asked_and_nothing_is_stored_yet(
    catalogues: Catalogues, redis_client: redis.Redis[bytes]
) -> None:
    outcome = ask_to_subscribe(catalogues, "en", "coast", ())
    [reply] = outcome.replies
    asked = question_id(WAITING_FOR_CONSENT, reply.text)  # its buttons name it: a late tap is checked
    assert outcome.remember == {
        "pending": {"kind": WAITING_FOR_CONSENT, "region": "coast", "topics": [], QUESTION_ENTITY: asked},
        "region": "coast",
    }
    assert {parse_payload(o.payload)[1][QUESTION_ENTITY] for o in reply.options} == {asked}  # type: ignore[index]
    assert reply.text == catalogues.locales["en"].text(
        "subscribe_consent",
        topics=catalogues.locales["en"].text("all_topics"),
        region=catalogues.regions.name("coast", "en"),
    )
    assert [parse_payload(o.payload)[0] for o in reply.options] == ["affirm", "deny"]  # type: ignore[index]
    assert redis_client.keys("baraza:*") == []


def test_only_a_yes_subscribes(catalogues: Catalogues, database: Engine) -> None:
    store = SubscriptionStore(database)
    pending = {"kind": WAITING_FOR_CONSENT, "region": "coast", "topics": ["health", "gossip"]}
    declined = answer_consent(catalogues, "sw", pending, False, store, "telegram:1", NOW)
    assert declined.replies[0].text == catalogues.locales["sw"].text("subscribe_declined")
    assert store.get("telegram:1") is None
    answer_consent(catalogues, "sw", pending, True, store, "telegram:1", NOW)
    subscriber = store.get("telegram:1")
    assert subscriber is not None and subscriber.language == "sw"
    [subscription] = subscriber.subscriptions
    assert (subscription.region, subscription.topics, subscription.consented_at) == (
        "coast",
        ("health",),
        NOW,
    )


def test_listing_and_stopping_say_what_there_is(catalogues: Catalogues, database: Engine) -> None:
    store = SubscriptionStore(database)
    locale = catalogues.locales["en"]
    nothing = list_subscriptions(catalogues, "en", store, "telegram:1")
    assert nothing.replies[0].text == locale.text("subscriptions_none")
    store.subscribe("telegram:1", "coast", (), "en", NOW)
    store.subscribe("telegram:1", "lakes", ("health",), "en", NOW)
    lines = list_subscriptions(catalogues, "en", store, "telegram:1").replies[0].text.splitlines()
    assert lines[0] == locale.text("subscriptions_intro")
    assert lines[1:3] == [
        locale.text(
            "subscriptions_item",
            region=catalogues.regions.name("coast", "en"),
            topics=locale.text("all_topics"),
        ),
        locale.text(
            "subscriptions_item",
            region=catalogues.regions.name("lakes", "en"),
            topics=locale.alert_topic_names["health"],
        ),
    ]
    one = unsubscribe(catalogues, "en", store, "telegram:1", "lakes")
    assert one.replies[0].text == locale.text(
        "unsubscribed_region", region=catalogues.regions.name("lakes", "en")
    )
    assert unsubscribe(catalogues, "en", store, "telegram:1", None).replies[0].text == locale.text(
        "unsubscribed_all"
    )
    assert unsubscribe(catalogues, "en", store, "telegram:1", None).replies[0].text == locale.text(
        "not_subscribed"
    )


def test_a_topic_in_the_text_is_found_in_arabic_with_its_article_and_plural(catalogues: Catalogues) -> None:
    """The lookup tables hold "فيضانات", the citizen writes "الفيضانات": the topic is still floods."""
    assert topic_in_text(catalogues, "أريد تلقي تنبيهات الفيضانات في بانداري", "ar") == "weather"
    assert topic_in_text(catalogues, "نبهني بالحرائق في الشمال", "ar") == "fire"
    assert topic_in_text(catalogues, "اشترك في تنبيهات السيول", "ar") == "weather"
    assert topic_in_text(catalogues, "I want flood alerts for Bandari", "en") == "weather"
    assert topic_in_text(catalogues, "أريد تلقي التنبيهات في بانداري", "ar") is None  # every topic
    assert find_topic(catalogues, "الفيضانات") == "weather"


def test_a_region_that_is_no_region_is_said_when_asking_for_one(catalogues: Catalogues) -> None:
    outcome = ask_to_subscribe(catalogues, "fr", None, ("weather",), unknown_place="Lyon")
    assert outcome.replies[0].text == catalogues.locales["fr"].text("alerts_unknown_place", place="Lyon")
    assert len(outcome.replies[0].options) == len(catalogues.regions.ids)
