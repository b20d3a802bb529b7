"""Subscribing to alerts in the chat: choose a region, agree, list, change, stop.

Consent is explicit: the citizen is told what is kept and why, and only a "yes" to that question
subscribes them; the moment and channel of that yes are stored with the subscription. The question
waits one turn (the ``pending`` slot); anything else said meanwhile drops it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.assistant.channel_kinds import channel_text
from bot.assistant.questions import QUESTION_ENTITY, question_id, yes_no
from bot.assistant.replies import Option, Outcome, Reply, intent_payload
from bot.catalogue.bundle import Catalogues
from bot.i18n.messages import Locale
from bot.phrases import PhraseIndex, base_form
from bot.subscriptions.store import SubscriptionStore

#: ``pending`` slot values: what the last question of the assistant was waiting for.
WAITING_FOR_REGION = "subscribe_region"
WAITING_FOR_CONSENT = "subscribe_consent"


def find_topic(catalogues: Catalogues, value: str) -> str | None:
    """The alert topic a word names (an id, or a topic's name or spelling in any language)."""
    if value in catalogues.alert_topics.ids:
        return value
    wanted = base_form(value)
    for locale in catalogues.locales.locales.values():
        for topic in catalogues.alert_topics.ids:
            if any(base_form(form) == wanted for form in _topic_forms(locale, topic)):
                return topic
    return None


def _topic_forms(locale: Locale, topic: str) -> list[str]:
    forms = [locale.alert_topic_names.get(topic, ""), *locale.alert_topic_spellings.get(topic, ())]
    return [form for form in forms if form]


def topic_in_text(catalogues: Catalogues, text: str, language: str) -> str | None:
    """The alert topic a citizen's text names when the NLU found none ("تنبيهات الفيضانات": the
    article and the plural are not in the lookup tables), trying their language first."""
    index = PhraseIndex()
    for code, locale in catalogues.locales.locales.items():
        for topic in catalogues.alert_topics.ids:
            for form in _topic_forms(locale, topic):
                index.add(code, form, topic)
    return index.find(text, language) if text else None


def topic_list(catalogues: Catalogues, language: str, topics: tuple[str, ...] | list[str]) -> str:
    """Topic names joined in the language's way ("all" when none is chosen)."""
    locale = catalogues.locales[language]
    if not topics:
        return locale.text("all_topics")
    return locale.join(locale.alert_topic_names[t] for t in topics)


def stop_word(catalogues: Catalogues, language: str) -> str:
    """The opt-out word to quote to a citizen: their language's first one, in capitals."""
    words = catalogues.locales[language].opt_out_keywords
    return (words[0] if words else "stop").upper()


def ask_to_subscribe(
    catalogues: Catalogues,
    language: str,
    region: str | None,
    topics: tuple[str, ...],
    unknown_place: str = "",
    channel: str = "",
    again: bool = False,
) -> Outcome:
    """Ask for the region (saying so when the citizen named one the catalogue does not know, or
    ``again`` when their answer named none), or (region known) for consent, worded for the citizen's
    ``channel``."""
    locale = catalogues.locales[language]
    if region is None or region not in catalogues.regions.regions:
        extra = {"alert_topic": topics[0]} if topics else {}
        options = tuple(
            Option(
                catalogues.regions.name(r, language), intent_payload("subscribe_alerts", region=r, **extra)
            )
            for r in catalogues.regions.ids
        )
        pending = {"kind": WAITING_FOR_REGION, "topics": list(topics), "again": again}
        if unknown_place:
            question = locale.text("alerts_unknown_place", place=unknown_place)
        else:
            question = locale.text("region_not_found" if again else "subscribe_which_region")
        return Outcome((Reply(question, options),), {"pending": pending})
    question = channel_text(
        locale,
        "subscribe_consent",
        channel,
        topics=topic_list(catalogues, language, topics),
        region=catalogues.regions.name(region, language),
    )
    asked = question_id(WAITING_FOR_CONSENT, question)
    options = yes_no(locale.text("consent_yes"), locale.text("consent_no"), asked)
    pending = {"kind": WAITING_FOR_CONSENT, "region": region, "topics": list(topics), QUESTION_ENTITY: asked}
    return Outcome((Reply(question, options),), {"pending": pending, "region": region})


def answer_consent(
    catalogues: Catalogues,
    language: str,
    pending: dict[str, Any],
    agreed: bool,
    store: SubscriptionStore,
    subscriber: str,
    now: datetime,
) -> Outcome:
    """Subscribe on a yes; confirm nothing was stored on a no."""
    locale = catalogues.locales[language]
    if not agreed:
        return Outcome((Reply(locale.text("subscribe_declined")),))
    region = str(pending["region"])
    topics = tuple(t for t in pending.get("topics") or () if t in catalogues.alert_topics.ids)
    store.subscribe(subscriber, region, topics, language, now)
    text = locale.text(
        "subscribed",
        topics=topic_list(catalogues, language, topics),
        region=catalogues.regions.name(region, language),
        stop_word=stop_word(catalogues, language),
    )
    return Outcome((Reply(text),))


def list_subscriptions(
    catalogues: Catalogues, language: str, store: SubscriptionStore, subscriber: str
) -> Outcome:
    """What the citizen gets alerts for, and how to change it."""
    locale = catalogues.locales[language]
    found = store.get(subscriber)
    if found is None or not found.subscriptions:
        options = (Option(locale.text("menu_subscribe"), intent_payload("subscribe_alerts")),)
        return Outcome((Reply(locale.text("subscriptions_none"), options),))
    lines = [locale.text("subscriptions_intro")]
    for subscription in found.subscriptions:
        region = (
            catalogues.regions.name(subscription.region, language)
            if subscription.region in catalogues.regions.regions
            else subscription.region
        )
        lines.append(
            locale.text(
                "subscriptions_item",
                region=region,
                topics=topic_list(catalogues, language, subscription.topics),
            )
        )
    first_region = (
        catalogues.regions.name(found.subscriptions[0].region, language)
        if found.subscriptions[0].region in catalogues.regions.regions
        else ""
    )
    lines.append(
        locale.text("subscriptions_change", region=first_region, stop_word=stop_word(catalogues, language))
    )
    return Outcome((Reply("\n".join(lines)),))


def unsubscribe(
    catalogues: Catalogues, language: str, store: SubscriptionStore, subscriber: str, region: str | None
) -> Outcome:
    """Stop one region's alerts, or all; says so either way."""
    locale = catalogues.locales[language]
    removed = store.unsubscribe(subscriber, region)
    if not removed:
        return Outcome((Reply(locale.text("not_subscribed")),))
    if region is None:
        return Outcome((Reply(locale.text("unsubscribed_all")),))
    return Outcome(
        (Reply(locale.text("unsubscribed_region", region=catalogues.regions.name(region, language))),)
    )
