"""Alert subscriptions in the chat: subscribe (with consent), list, stop one region or everything."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import BarazaAction
from actions.forms import leaving_form
from actions.turn import Turn
from bot.assistant.mentions import Kind, lone_name, mentioned
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
        return ask_to_subscribe(catalogues, turn.language, region.value, topics, region.name, turn.channel)


def region_asked_again(turn: Turn, catalogues: Catalogues) -> Outcome | None:
    """A lone name the catalogue does not know, typed after "which region?": the question again,
    saying so (the topics chosen kept); None for any other turn."""
    pending = turn.slots.get("pending")
    if not (isinstance(pending, dict) and pending.get("kind") == WAITING_FOR_REGION):
        return None
    name = lone_name(turn.text)
    if not name or catalogues.regions.find_in_text(name, turn.language):
        return None
    topics = tuple(str(t) for t in pending.get("topics") or ())
    return ask_to_subscribe(catalogues, turn.language, None, topics, unknown_place=name, channel=turn.channel)


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
