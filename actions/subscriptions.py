"""Alert subscriptions in the chat: subscribe (with consent), list, stop one region or everything."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BarazaAction
from actions.forms import leaving_form
from actions.turn import Turn
from bot.assistant.conversation import fallback
from bot.assistant.mentions import Kind, mentioned, region_typed
from bot.assistant.replies import Outcome
from bot.assistant.subscriptions import (
    WAITING_FOR_REGION,
    answer_consent,
    ask_to_subscribe,
    find_topic,
    list_subscriptions,
    topic_in_text,
    unsubscribe,
)
from bot.catalogue.bundle import Catalogues
from bot.services import shared


def _region(turn: Turn, catalogues: Catalogues) -> str | None:
    return mentioned(catalogues, Kind.REGION, turn.entities, turn.text, turn.language).value


class ActionSubscribeAlerts(BarazaAction):
    """Ask for the region (if not named) and for consent."""

    def name(self) -> str:
        return "action_subscribe_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        topic = find_topic(catalogues, turn.entities.get("alert_topic", "")) or topic_in_text(
            catalogues, turn.text, turn.language
        )
        topics: tuple[str, ...] = (topic,) if topic else ()
        pending = turn.slots.get("pending") or {}
        if not topics and isinstance(pending, dict):
            topics = tuple(pending.get("topics") or ())  # a region named after "which region?"
        region = mentioned(catalogues, Kind.REGION, turn.entities, turn.text, turn.language)
        waiting = isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_REGION
        missed = waiting and region.value is None and not region.name
        if missed and isinstance(pending, dict) and pending.get("again"):
            return fallback(catalogues, turn.language)  # asked twice already: never the same question
        return ask_to_subscribe(
            catalogues, turn.language, region.value, topics, region.name, turn.channel, again=missed
        )


def subscription_region_answered(turn: Turn, catalogues: Catalogues) -> Outcome | None:
    """The answer to a pending "which region do you want alerts for?" typed as text: the region it
    names (in a sentence: "I live in bandari"), or saying that a place is no region, or (naming none)
    the question once more, then the main menu; None when that question is not pending."""
    pending = turn.slots.get("pending")
    if not (isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_REGION):
        return None
    region, place, missed = region_typed(catalogues, turn.entities, turn.text, turn.language)
    if missed and pending.get("again"):
        return fallback(catalogues, turn.language)
    topics = tuple(str(t) for t in pending.get("topics") or ())
    return ask_to_subscribe(
        catalogues, turn.language, region, topics, place, channel=turn.channel, again=missed
    )


def answer_subscription_consent(turn: Turn, catalogues: Catalogues, *, agreed: bool) -> Outcome:
    """The answer to "do you agree to receive alerts?": subscribe, or not."""
    pending = turn.slots.get("pending")
    services = shared()
    return answer_consent(
        catalogues,
        turn.language,
        pending if isinstance(pending, dict) else {},
        agreed,
        services.subscriptions,
        turn.subscriber,
        services.now(),
    )


class ActionListSubscriptions(BarazaAction):
    """What the citizen is subscribed to."""

    def name(self) -> str:
        return "action_list_subscriptions"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        return list_subscriptions(catalogues, turn.language, shared().subscriptions, turn.subscriber)


class ActionUnsubscribeAlerts(BarazaAction):
    """Stop one region's alerts, or (STOP and the like) every alert at once."""

    def name(self) -> str:
        return "action_unsubscribe_alerts"

    def respond(self, turn: Turn, catalogues: Catalogues) -> Outcome:
        region = _region(turn, catalogues)
        return unsubscribe(catalogues, turn.language, shared().subscriptions, turn.subscriber, region)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        """STOP works in the middle of a report too: the report is left."""
        return leaving_form(tracker, await super().run(dispatcher, tracker, domain))
